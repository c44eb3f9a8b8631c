import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import type { Claims } from './principal';

declare module 'express-session' {
  interface SessionData {
    /** Who is signed in: the same claims a bearer token carries (their force is resolved on each request). Never case data. */
    principal?: Claims;
    /** How the header names them (a member of staff's name and rank, from the directory at sign-in). */
    display?: { name: string; rank: string };
    /** Epoch ms of sign-in: a session ends after SESSION_MAX_HOURS however active it is. */
    signedInAt?: number;
    /** Where to go after signing in (a path on this site). */
    returnTo?: string;
    /** The authorisation request in flight, and which provider's (its key): the callback answers only that one. */
    oidc?: { state: string; nonce: string; codeVerifier: string; provider: string };
    /** A one-line confirmation shown on the next page (no personal data). */
    notice?: string;
  }
}

/** However active, a web session ends after a working shift. */
export const SESSION_MAX_HOURS = 12;

/**
 * Who is signed in to the web session: the claims the sign-in stored (the same as a bearer token's). A session that
 * has outlived SESSION_MAX_HOURS is ended, so a page asks for sign-in again (401, which pages turn into a redirect).
 */
export function signedInPrincipal(request: Request): Claims {
  const session = request.session;
  const principal = session?.principal;
  if (!principal || !session.signedInAt) throw ApiError.unauthorized('Sign in to continue.');
  if (Date.now() - session.signedInAt > SESSION_MAX_HOURS * 3_600_000) {
    session.principal = undefined;
    throw ApiError.unauthorized('Your session has ended: sign in again.');
  }
  return principal;
}
