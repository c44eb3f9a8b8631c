import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { ConfigError, type Environment } from '../../infra/config';
import { ensureStyles } from '../assets/build-styles';
import { csrfProtection } from './csrf';
import { navigationFor } from './navigation';
import { setUpNunjucks } from './nunjucks';
import { pagesOnly } from './pages-only';
import { ASSETS_BUILT, ASSETS_SOURCE, GOVUK_FRONTEND, MOJ_FRONTEND } from './paths';
import { webSession } from './session';
import { fileUpload } from './upload';
import { webSecurity } from './web-security';

/**
 * The web front end's Express set-up, one concern a module (as the justice sector's template does): static assets,
 * form bodies, security headers with a CSP nonce, the PostgreSQL session, CSRF tokens, Nunjucks, and the locals
 * every page shows (who is signed in, the navigation, a one-off notice). The API under /api is untouched by all
 * but the static assets. Returns what must be closed on shutdown.
 */
export function setUpWeb(app: NestExpressApplication, deps: { config: Environment; dataSource: DataSource }): () => void {
  const { config } = deps;
  if (!config.SESSION_SECRET) throw new ConfigError(['SESSION_SECRET is required: it signs the web session cookie (32 or more random characters)']);
  if (config.TRUST_PROXY) app.set('trust proxy', /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY);
  ensureStyles();
  const cacheFor = { maxAge: '1h' };
  app.useStaticAssets(ASSETS_BUILT, { prefix: '/assets/', ...cacheFor, index: false });
  app.useStaticAssets(join(ASSETS_SOURCE, 'js'), { prefix: '/assets/js/', ...cacheFor, index: false });
  app.useStaticAssets(join(GOVUK_FRONTEND, 'govuk'), { prefix: '/assets/govuk/', ...cacheFor, index: false });
  app.useStaticAssets(join(MOJ_FRONTEND, 'moj'), { prefix: '/assets/moj/', ...cacheFor, index: false });

  app.use(pagesOnly(express.urlencoded({ extended: true, limit: '256kb', parameterLimit: 2000 })));
  for (const handler of webSecurity()) app.use(pagesOnly(handler));
  const session = webSession({ dataSource: deps.dataSource, secret: config.SESSION_SECRET, idleMinutes: config.SESSION_IDLE_MINUTES, secure: config.PUBLIC_URL.startsWith('https:') });
  app.use(pagesOnly(session.middleware));
  // The import page's file, parsed before the CSRF check so that its token is read from the same form.
  app.use(pagesOnly(fileUpload(['/imports'])));
  for (const handler of csrfProtection(refuseForgedForm)) app.use(pagesOnly(handler));
  app.use(pagesOnly(pageLocals));
  setUpNunjucks(app.getHttpAdapter().getInstance() as express.Express, { watch: config.NODE_ENV === 'development' });
  return session.close;
}

/** Who is signed in, what they may navigate to, and a notice left by the last form, for every page. */
function pageLocals(req: Request, res: Response, next: NextFunction): void {
  const principal = req.session?.principal;
  if (principal) {
    res.locals.user = { ...req.session.display, id: principal.id };
    res.locals.navigation = navigationFor(principal, req.path, req.session.display?.rank);
  }
  if (req.session?.notice) {
    res.locals.notice = req.session.notice;
    delete req.session.notice;
  }
  next();
}

/** A form without the session's CSRF token: refused before any handler runs, and nothing changes. */
function refuseForgedForm(_req: Request, res: Response): void {
  res.status(403).render('errors/error.njk', {
    pageTitle: 'This form has expired',
    status: 403,
    message: 'The form could not be checked as yours (it may have been open too long, or come from another site). Nothing was changed: go back, reload the page and try again.',
  });
}
