import { type Client, generators, Issuer } from 'openid-client';
import type { Claims } from '../../api/auth/principal';
import type { WebSignInProvider } from '../../infra/config';
import { ROLES, type Role } from '../../workflows/contracts';

export interface PendingSignIn { state: string; nonce: string; codeVerifier: string }

/** Every provider the web front end signs in with (empty: no OIDC sign-in), one OidcSignIn each. */
export const OIDC_SIGN_INS = Symbol('OIDC_SIGN_INS');

/**
 * Sign-in through one force's (or the CPS's) OIDC provider: the authorisation code flow with PKCE (S256), state and
 * nonce, using `openid-client`. The ID token must carry the same claims a bearer token does: `sub` (the person's
 * directory id), `roles` and `unit`. Every provider shares the one redirect URI: the session, not the URL, says
 * which provider a callback answers.
 */
export class OidcSignIn {
  private client?: Promise<Client>;

  constructor(readonly settings: WebSignInProvider & { redirectUri: string }) {}

  get key(): string {
    return this.settings.key;
  }

  /** Where to send the browser, and what to keep in the session until it comes back. */
  async start(): Promise<{ url: string; pending: PendingSignIn }> {
    const client = await this.discovered();
    const pending = { state: generators.state(), nonce: generators.nonce(), codeVerifier: generators.codeVerifier() };
    const url = client.authorizationUrl({
      scope: 'openid profile', state: pending.state, nonce: pending.nonce,
      code_challenge: generators.codeChallenge(pending.codeVerifier), code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /** Exchanges the code for tokens and checks the ID token (signature, issuer, audience, nonce, expiry). */
  async finish(callbackUrl: string, pending: PendingSignIn): Promise<Claims & { name?: string }> {
    const client = await this.discovered();
    const tokens = await client.callback(this.settings.redirectUri, client.callbackParams(callbackUrl), {
      state: pending.state, nonce: pending.nonce, code_verifier: pending.codeVerifier,
    });
    const claims = tokens.claims();
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
    if (typeof claims.unit !== 'string' || !roles.length) throw new Error('the ID token carries no roles or unit');
    return { id: claims.sub, roles, unit: claims.unit, issuer: this.settings.issuer, name: typeof claims.name === 'string' ? claims.name : undefined };
  }

  /** The provider's metadata, found once; a failed discovery is not kept, so the next sign-in tries again. */
  private discovered(): Promise<Client> {
    this.client ??= Issuer.discover(this.settings.issuer).then((issuer) => new issuer.Client({
      client_id: this.settings.clientId,
      client_secret: this.settings.clientSecret,
      redirect_uris: [this.settings.redirectUri],
      response_types: ['code'],
      token_endpoint_auth_method: this.settings.clientSecret ? 'client_secret_basic' : 'none',
      id_token_signed_response_alg: 'RS256',
    })).catch((err: unknown) => {
      this.client = undefined;
      throw err;
    });
    return this.client;
  }
}
