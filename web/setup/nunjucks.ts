import type { Express } from 'express';
import nunjucks from 'nunjucks';
import { GOVUK_FRONTEND, MOJ_FRONTEND, VIEWS } from './paths';
import { describeDue, label } from '../common/labels';

const ZONE = 'Europe/London';

/**
 * Nunjucks over our views and the design systems' macros (`govuk/components/…`, `moj/components/…`), autoescaped,
 * cached unless templates are being edited. Filters turn instants into UK local time and enums into words.
 */
export function setUpNunjucks(app: Express, opts: { watch?: boolean } = {}): nunjucks.Environment {
  const env = nunjucks.configure([VIEWS, GOVUK_FRONTEND, MOJ_FRONTEND], { autoescape: true, express: app, noCache: !!opts.watch, throwOnUndefined: false });
  app.set('view engine', 'njk');
  app.set('views', VIEWS);
  env.addFilter('dateTime', (iso?: string | Date | null) => (iso ? DATE_TIME.format(new Date(iso)) : ''));
  env.addFilter('date', (iso?: string | Date | null) => (iso ? DATE.format(new Date(iso)) : ''));
  env.addFilter('due', (iso: string | Date, now?: number) => describeDue(iso, now));
  env.addFilter('label', (value: unknown, kind: string) => label(kind, value));
  env.addGlobal('serviceName', 'Pre-charge orchestrator');
  return env;
}

/** Built once: a formatter per page row would cost more than the row (measured with npm run bench:web). */
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'short', year: 'numeric' });
