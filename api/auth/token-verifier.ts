import { createRemoteJWKSet, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ROLES, type Role } from '../../workflows/contracts';
import type { Principal } from './principal';

export interface TokenSettings {
  JWT_SECRET?: string;
  OIDC_ISSUER?: string;
  OIDC_AUDIENCE?: string;
}

/** Largest clock difference tolerated between the issuer and us. */
const CLOCK_TOLERANCE_S = 30;

export class InvalidTokenError extends Error {}

/**
 * Verifies bearer tokens: HS256 with JWT_SECRET (local stack, tests) or RS256 against the OIDC issuer's JWKS
 * (production). Algorithms are pinned, so `alg: none` or a swapped algorithm never verifies.
 */
export class TokenVerifier {
  private readonly secret?: Uint8Array;
  private jwks?: JWTVerifyGetKey;

  constructor(private readonly settings: TokenSettings) {
    if (settings.JWT_SECRET) this.secret = new TextEncoder().encode(settings.JWT_SECRET);
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      if (this.settings.OIDC_ISSUER) {
        this.jwks ??= createRemoteJWKSet(new URL(`${this.settings.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`));
        ({ payload } = await jwtVerify(token, this.jwks, {
          algorithms: ['RS256'], issuer: this.settings.OIDC_ISSUER, audience: this.settings.OIDC_AUDIENCE, clockTolerance: CLOCK_TOLERANCE_S,
        }));
      } else {
        ({ payload } = await jwtVerify(token, this.secret!, { algorithms: ['HS256'], clockTolerance: CLOCK_TOLERANCE_S }));
      }
    } catch {
      throw new InvalidTokenError('token rejected');
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
    if (typeof payload.sub !== 'string' || !payload.sub || typeof payload.unit !== 'string') throw new InvalidTokenError('token lacks sub or unit');
    return { id: payload.sub, roles, unit: payload.unit };
  }
}
