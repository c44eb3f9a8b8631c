import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface OidcUser { sub: string; roles: string[]; unit: string; name?: string }

export type TokenOutcome = 'issued' | 'bad-client' | 'unknown-code' | 'pkce-mismatch' | 'redirect-mismatch';

/** What the provider saw and did, for the test to check. */
export interface FakeOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The query of every authorisation request, in order. */
  authorizations: URLSearchParams[];
  /** Every token request: the code it offered and what came of it. */
  tokenRequests: { code: string; outcome: TokenOutcome }[];
  /** Who the next authorisation signs in as. */
  signInAs(user: OidcUser): void;
  /** A bearer token this provider signs for `user`, as a force's identity provider issues them to the API's callers. */
  bearer(user: OidcUser, audience: string): Promise<string>;
  close(): Promise<void>;
}

interface IssuedCode { challenge: string; nonce: string; redirectUri: string; user: OidcUser }

/**
 * A minimal OpenID provider on loopback, just enough for the authorisation code flow with PKCE: discovery, a key set,
 * an authorisation endpoint that signs in whoever `signInAs` named without asking, and a token endpoint that checks
 * the client secret, the redirect URI and the PKCE verifier before it issues an RS256 ID token. Codes are single-use.
 */
export async function startOidcProvider(client: { clientId: string; clientSecret: string }): Promise<FakeOidcProvider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  let user: OidcUser | undefined;
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => json(res, 500, { error: 'server_error', error_description: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider: FakeOidcProvider = {
    issuer,
    ...client,
    authorizations: [],
    tokenRequests: [],
    signInAs(next) { user = next; },
    bearer: (who, audience) => signed(who, audience, {}),
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'], token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    }
    if (req.method === 'GET' && url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
    if (req.method === 'GET' && url.pathname === '/authorize') return authorize(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/token') return token(req, res);
    return json(res, 404, { error: 'not_found' });
  }

  function authorize(query: URLSearchParams, res: ServerResponse): void {
    provider.authorizations.push(query);
    const redirectUri = query.get('redirect_uri');
    if (query.get('client_id') !== client.clientId || !redirectUri || !user) return json(res, 400, { error: 'invalid_request' });
    const code = randomBytes(16).toString('base64url');
    codes.set(code, { challenge: query.get('code_challenge') ?? '', nonce: query.get('nonce') ?? '', redirectUri, user });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', query.get('state') ?? '');
    res.writeHead(302, { location: back.toString() }).end();
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const code = form.get('code') ?? '';
    const refuse = (outcome: TokenOutcome, status: number, error: string) => {
      provider.tokenRequests.push({ code, outcome });
      json(res, status, { error });
    };
    const [scheme, credentials] = (req.headers.authorization ?? '').split(' ');
    const [id, secret] = Buffer.from(credentials ?? '', 'base64').toString().split(':').map(decodeURIComponent);
    if (scheme !== 'Basic' || id !== client.clientId || secret !== client.clientSecret) return refuse('bad-client', 401, 'invalid_client');
    const issued = codes.get(code);
    codes.delete(code);
    if (form.get('grant_type') !== 'authorization_code' || !issued) return refuse('unknown-code', 400, 'invalid_grant');
    if (form.get('redirect_uri') !== issued.redirectUri) return refuse('redirect-mismatch', 400, 'invalid_grant');
    const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
    if (challenge !== issued.challenge) return refuse('pkce-mismatch', 400, 'invalid_grant');
    provider.tokenRequests.push({ code, outcome: 'issued' });
    json(res, 200, {
      access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300,
      id_token: await idToken(issued),
    });
  }

  function idToken(issued: IssuedCode): Promise<string> {
    return signed(issued.user, client.clientId, { nonce: issued.nonce });
  }

  function signed(who: OidcUser, audience: string, extra: Record<string, string>): Promise<string> {
    const { sub, ...claims } = who;
    return new SignJWT({ ...claims, ...extra })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .setIssuer(issuer).setAudience(audience).setSubject(sub)
      .setIssuedAt().setExpirationTime('5m')
      .sign(privateKey);
  }

  return provider;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
