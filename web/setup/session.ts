import connectPgSimple from 'connect-pg-simple';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

export const SESSION_COOKIE = 'precharge.sid';

/**
 * Sessions in PostgreSQL (web_sessions) behind a signed, HttpOnly, SameSite=Lax cookie (Lax, so the provider's
 * redirect back after sign-in carries it), Secure when the site is served over https. Each response pushes the idle
 * timeout back.
 */
export function webSession(opts: { dataSource: DataSource; secret: string; idleMinutes: number; secure: boolean }): { middleware: RequestHandler; close: () => void } {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: (opts.dataSource.driver as unknown as { master: Pool }).master,
    tableName: 'web_sessions',
    createTableIfMissing: false,
    pruneSessionInterval: 15 * 60,
  });
  const middleware = session({
    name: SESSION_COOKIE,
    secret: opts.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: opts.secure, maxAge: opts.idleMinutes * 60_000, path: '/' },
  });
  return { middleware, close: () => store.close() };
}
