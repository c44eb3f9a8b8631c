import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Synchroniser tokens: one per session, carried by every form as `_csrf`; a state-changing request without the
 * session's token is refused with 403 before any handler runs.
 */
export function csrfProtection(onRefused: (req: Request, res: Response) => void): RequestHandler[] {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
  });
  return [
    (req: Request, res: Response, next: NextFunction) => csrfSynchronisedProtection(req, res, (err?: unknown) => (err ? onRefused(req, res) : next())),
    (req: Request, res: Response, next: NextFunction) => {
      // Only a session that exists gets a token: a first anonymous visit stores nothing until it needs a form.
      res.locals.csrfToken = () => generateToken(req);
      next();
    },
  ];
}
