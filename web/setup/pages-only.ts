import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The API lives under /api and answers JSON to bearer tokens; everything else is a page. */
export const isPageRequest = (req: Pick<Request, 'path'>): boolean => req.path !== '/api' && !req.path.startsWith('/api/');

/** Runs a middleware for page requests only: the API has no cookies, sessions or forms. */
export function pagesOnly(middleware: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => (isPageRequest(req) ? middleware(req, res, next) : next());
}

/** Runs a middleware for API requests only. */
export function apiOnly(middleware: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => (isPageRequest(req) ? next() : middleware(req, res, next));
}
