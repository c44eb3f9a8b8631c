import { createRemoteJWKSet, decodeJwt, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { type IssuerHome, trustedIssuers } from '../../infra/config';
import { ROLES, type Role } from '../../workflows/contracts';
import type { Claims } from './principal';

export interface TokenSettings {
  JWT_SECRET?: string;
  OIDC_ISSUER?: string;
  OIDC_ISSUERS?: string;
  OIDC_AUDIENCE?: string;
}

/** Largest clock difference tolerated between the issuer and us. */
const CLOCK_TOLERANCE_S = 30;

export class InvalidTokenError extends Error {}

/**
 * Verifies bearer tokens: HS256 with JWT_SECRET (local stack, tests) or RS256 against the JWKS of one of the trusted
 * OIDC issuers (production: each force's, and the CPS's). Algorithms are pinned, so `alg: none` or a swapped
 * algorithm never verifies; a token naming an issuer not on the list is refused before any key is fetched.
 */
export class TokenVerifier {
  private readonly secret?: Uint8Array;
  private readonly issuers: Map<string, IssuerHome>;
  private readonly jwks = new Map<string, Promise<JWTVerifyGetKey>>();

  constructor(private readonly settings: TokenSettings) {
    if (settings.JWT_SECRET) this.secret = new TextEncoder().encode(settings.JWT_SECRET);
    this.issuers = trustedIssuers(settings);
  }

  async verify(token: string): Promise<Claims> {
    let payload: JWTPayload;
    let issuer: string | undefined;
    try {
      if (this.issuers.size) {
        issuer = decodeJwt(token).iss;
        if (!issuer || !this.issuers.has(issuer)) throw new InvalidTokenError('untrusted issuer');
        ({ payload } = await jwtVerify(token, await this.issuerKeys(issuer), {
          algorithms: ['RS256'], issuer, audience: this.settings.OIDC_AUDIENCE, clockTolerance: CLOCK_TOLERANCE_S,
        }));
      } else {
        ({ payload } = await jwtVerify(token, this.secret!, { algorithms: ['HS256'], clockTolerance: CLOCK_TOLERANCE_S }));
      }
    } catch {
      throw new InvalidTokenError('token rejected');
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
    if (typeof payload.sub !== 'string' || !payload.sub || typeof payload.unit !== 'string') throw new InvalidTokenError('token lacks sub or unit');
    return { id: payload.sub, roles, unit: payload.unit, ...(issuer ? { issuer } : {}) };
  }

  /** The force or area an issuer vouches for (empty: the directory alone decides); undefined for an untrusted issuer. */
  homeOf(issuer: string): IssuerHome | undefined {
    return this.issuers.get(issuer);
  }

  /** The issuer's key set, found once; a failed discovery is not cached, so the next token tries again. */
  private issuerKeys(issuer: string): Promise<JWTVerifyGetKey> {
    let keys = this.jwks.get(issuer);
    if (!keys) {
      keys = discoverJwksUri(issuer).then((uri) => createRemoteJWKSet(uri)).catch((err: unknown) => {
        this.jwks.delete(issuer);
        throw err;
      });
      this.jwks.set(issuer, keys);
    }
    return keys;
  }
}

/**
 * OIDC discovery: the issuer's `jwks_uri`, or `/.well-known/jwks.json` where it publishes no discovery document.
 * A document naming another issuer, or a key set over plain http for an https issuer, is refused.
 */
export async function discoverJwksUri(issuer: string): Promise<URL> {
  const base = issuer.replace(/\/$/, '');
  const res = await fetch(`${base}/.well-known/openid-configuration`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
  if (!res.ok && res.status !== 404) throw new Error(`OIDC discovery answered ${res.status}`);
  const doc = res.ok ? ((await res.json()) as { issuer?: unknown; jwks_uri?: unknown }) : {};
  if (typeof doc.jwks_uri !== 'string') return new URL(`${base}/.well-known/jwks.json`);
  if (typeof doc.issuer === 'string' && doc.issuer.replace(/\/$/, '') !== base) throw new Error('OIDC discovery document names another issuer');
  const uri = new URL(doc.jwks_uri);
  if (new URL(base).protocol === 'https:' && uri.protocol !== 'https:') throw new Error('OIDC jwks_uri must be https');
  return uri;
}
