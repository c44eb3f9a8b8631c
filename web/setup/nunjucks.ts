import type { Express } from 'express';
import nunjucks from 'nunjucks';
import { GOVUK_FRONTEND, MOJ_FRONTEND, VIEWS } from './paths';
import { describeDue, label, ukDate, ukDateTime } from '../common/labels';

/**
 * Nunjucks over our views and the design systems' macros (`govuk/components/…`, `moj/components/…`), autoescaped,
 * cached unless templates are being edited. Filters turn instants into UK local time and enums into words.
 */
export function setUpNunjucks(app: Express, opts: { watch?: boolean } = {}): nunjucks.Environment {
  const env = nunjucks.configure([VIEWS, GOVUK_FRONTEND, MOJ_FRONTEND], { autoescape: true, express: app, noCache: !!opts.watch, throwOnUndefined: false });
  app.set('view engine', 'njk');
  app.set('views', VIEWS);
  env.addFilter('dateTime', ukDateTime);
  env.addFilter('date', ukDate);
  env.addFilter('due', (iso: string | Date, now?: number) => describeDue(iso, now));
  env.addFilter('label', (value: unknown, kind: string) => label(kind, value));
  env.addGlobal('serviceName', 'Pre-charge orchestrator');
  return env;
}
