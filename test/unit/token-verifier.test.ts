import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, type KeyLike, SignJWT } from 'jose';
import { TokenVerifier } from '../../api/auth/token-verifier';
import { ConfigError, loadEnvironment } from '../../infra/config';

const SECRET = 'unit-test-secret-that-is-long-enough-for-hs256';
const AUDIENCE = 'precharge-api';
const claims = { roles: ['officer', 'supervisor'], unit: 'unit-alpha' };
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function hs256(payload: JWTPayload, opts: { secret?: string | Uint8Array; expiresAt?: number; subject?: string | null } = {}): Promise<string> {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(opts.expiresAt ?? '5m');
  if (opts.subject !== null) jwt.setSubject(opts.subject ?? 'person-1');
  const secret = opts.secret ?? SECRET;
  return jwt.sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);
}

/** A stand-in identity provider on 127.0.0.1: answers the given paths with JSON, 404 otherwise (503 while unavailable), and notes what was asked. */
async function identityProvider(routes: (base: string) => Record<string, unknown>, unavailable = () => false): Promise<{ base: string; requested: string[]; close(): Promise<void> }> {
  const requested: string[] = [];
  let answers: Record<string, unknown> = {};
  const server: Server = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (unavailable()) return void res.writeHead(503).end();
    const body = answers[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(body === undefined ? '{}' : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  answers = routes(base);
  return { base, requested, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('TokenVerifier with HS256 (JWT_SECRET)', () => {
  const verifier = new TokenVerifier({ JWT_SECRET: SECRET });

  it('accepts a valid token and reads sub, roles and unit', async () => {
    await expect(verifier.verify(await hs256(claims))).resolves.toEqual({ id: 'person-1', roles: ['officer', 'supervisor'], unit: 'unit-alpha' });
  });

  it('drops roles it does not know', async () => {
    const principal = await verifier.verify(await hs256({ ...claims, roles: ['officer', 'superuser'] }));
    expect(principal.roles).toEqual(['officer']);
  });

  it('refuses an expired token beyond the clock tolerance, and allows a little skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verifier.verify(await hs256(claims, { expiresAt: now - 120 }))).rejects.toThrow('token rejected');
    await expect(verifier.verify(await hs256(claims, { expiresAt: now - 5 }))).resolves.toMatchObject({ id: 'person-1' });
  });

  it('refuses a token signed with another secret, or whose payload was changed after signing', async () => {
    await expect(verifier.verify(await hs256(claims, { secret: 'some-other-secret-of-a-decent-length' }))).rejects.toThrow('token rejected');
    const [header, , signature] = (await hs256(claims)).split('.');
    const promoted = `${header}.${b64url({ ...claims, roles: ['admin'], sub: 'person-1', exp: Math.floor(Date.now() / 1000) + 300 })}.${signature}`;
    await expect(verifier.verify(promoted)).rejects.toThrow('token rejected');
  });

  it('refuses an unsigned `alg: none` token', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, sub: 'person-1', exp: Math.floor(Date.now() / 1000) + 300 })}.`;
    await expect(verifier.verify(unsigned)).rejects.toThrow('token rejected');
  });

  it('refuses a token without a unit or a subject, and gives no roles to one without roles', async () => {
    await expect(verifier.verify(await hs256({ roles: ['officer'] }))).rejects.toThrow('token lacks sub or unit');
    await expect(verifier.verify(await hs256(claims, { subject: null }))).rejects.toThrow('token lacks sub or unit');
    await expect(verifier.verify(await hs256({ unit: 'unit-alpha' }))).resolves.toEqual({ id: 'person-1', roles: [], unit: 'unit-alpha' });
    await expect(verifier.verify(await hs256({ unit: 'unit-alpha', roles: 'admin' }))).resolves.toMatchObject({ roles: [] });
  });

  it('refuses what is not a JWT at all', async () => {
    for (const junk of ['', 'not-a-jwt', 'a.b.c', `${b64url({ alg: 'HS256' })}..`]) await expect(verifier.verify(junk)).rejects.toThrow('token rejected');
  });
});

describe('TokenVerifier with an OIDC issuer (RS256 via JWKS)', () => {
  let issuerKey: { privateKey: KeyLike; publicKey: KeyLike };
  let provider: Awaited<ReturnType<typeof identityProvider>>;
  let verifier: TokenVerifier;

  const rs256 = (payload: JWTPayload, opts: { key?: KeyLike; issuer?: string; audience?: string; kid?: string } = {}) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'issuer-key-1' }).setSubject('person-2').setIssuedAt().setExpirationTime('5m')
      .setIssuer(opts.issuer ?? provider.base).setAudience(opts.audience ?? AUDIENCE).sign(opts.key ?? issuerKey.privateKey);

  beforeAll(async () => {
    issuerKey = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(issuerKey.publicKey)), kid: 'issuer-key-1', alg: 'RS256', use: 'sig' };
    provider = await identityProvider((base) => ({
      '/.well-known/openid-configuration': { issuer: base, jwks_uri: `${base}/oauth/keys` },
      '/oauth/keys': { keys: [jwk] },
    }));
    // JWT_SECRET too: a deployment that sets both must still accept only the issuer's RS256 tokens.
    verifier = new TokenVerifier({ OIDC_ISSUER: provider.base, OIDC_AUDIENCE: AUDIENCE, JWT_SECRET: SECRET });
  });
  afterAll(() => provider?.close());

  it('accepts an RS256 token from the issuer, finding its keys through discovery', async () => {
    await expect(verifier.verify(await rs256(claims))).resolves.toEqual({ id: 'person-2', roles: ['officer', 'supervisor'], unit: 'unit-alpha', issuer: provider.base });
    expect(provider.requested).toEqual(expect.arrayContaining(['/.well-known/openid-configuration', '/oauth/keys']));
    expect(provider.requested).not.toContain('/.well-known/jwks.json');
  });

  it('refuses HS256 tokens once OIDC is configured, including one keyed with the issuer\'s public key (algorithm confusion)', async () => {
    await expect(verifier.verify(await hs256(claims))).rejects.toThrow('token rejected');
    const publicPem = await exportSPKI(issuerKey.publicKey);
    const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'issuer-key-1' }).setSubject('person-2').setIssuer(provider.base)
      .setAudience(AUDIENCE).setExpirationTime('5m').sign(new TextEncoder().encode(publicPem));
    await expect(verifier.verify(confused)).rejects.toThrow('token rejected');
    const unsigned = `${b64url({ alg: 'none' })}.${b64url({ ...claims, sub: 'person-2', iss: provider.base, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 })}.`;
    await expect(verifier.verify(unsigned)).rejects.toThrow('token rejected');
  });

  it('refuses a token from another issuer, for another audience, or signed by a key the issuer never published', async () => {
    await expect(verifier.verify(await rs256(claims, { issuer: 'https://login.example.test' }))).rejects.toThrow('token rejected');
    await expect(verifier.verify(await rs256(claims, { audience: 'some-other-api' }))).rejects.toThrow('token rejected');
    const stranger = await generateKeyPair('RS256');
    await expect(verifier.verify(await rs256(claims, { key: stranger.privateKey }))).rejects.toThrow('token rejected');
    await expect(verifier.verify(await rs256(claims, { key: stranger.privateKey, kid: 'stranger-key' }))).rejects.toThrow('token rejected');
  });

  it('refuses an issuer token without a unit, and gives no roles to one without roles', async () => {
    await expect(verifier.verify(await rs256({ roles: ['officer'] }))).rejects.toThrow('token lacks sub or unit');
    await expect(verifier.verify(await rs256({ unit: 'unit-alpha' }))).resolves.toEqual({ id: 'person-2', roles: [], unit: 'unit-alpha', issuer: provider.base });
  });

  it('falls back to /.well-known/jwks.json where the issuer publishes no discovery document', async () => {
    const jwk = { ...(await exportJWK(issuerKey.publicKey)), kid: 'issuer-key-1' };
    const plain = await identityProvider(() => ({ '/.well-known/jwks.json': { keys: [jwk] } }));
    try {
      const fallback = new TokenVerifier({ OIDC_ISSUER: plain.base, OIDC_AUDIENCE: AUDIENCE });
      await expect(fallback.verify(await rs256(claims, { issuer: plain.base }))).resolves.toMatchObject({ id: 'person-2' });
      expect(plain.requested).toEqual(['/.well-known/openid-configuration', '/.well-known/jwks.json']);
    } finally {
      await plain.close();
    }
  });

  it('trusts no discovery document that names another issuer', async () => {
    const jwk = { ...(await exportJWK(issuerKey.publicKey)), kid: 'issuer-key-1' };
    const impostor = await identityProvider((base) => ({
      '/.well-known/openid-configuration': { issuer: 'https://login.example.test', jwks_uri: `${base}/keys` },
      '/keys': { keys: [jwk] },
    }));
    try {
      const misled = new TokenVerifier({ OIDC_ISSUER: impostor.base, OIDC_AUDIENCE: AUDIENCE });
      await expect(misled.verify(await rs256(claims, { issuer: impostor.base }))).rejects.toThrow('token rejected');
      expect(impostor.requested).not.toContain('/keys');
    } finally {
      await impostor.close();
    }
  });

  it('retries discovery after the issuer failed to answer instead of caching the failure', async () => {
    const jwk = { ...(await exportJWK(issuerKey.publicKey)), kid: 'issuer-key-1' };
    let down = true;
    const flaky = await identityProvider(() => ({ '/.well-known/jwks.json': { keys: [jwk] } }), () => down);
    try {
      const patient = new TokenVerifier({ OIDC_ISSUER: flaky.base, OIDC_AUDIENCE: AUDIENCE });
      await expect(patient.verify(await rs256(claims, { issuer: flaky.base }))).rejects.toThrow('token rejected');
      down = false;
      await expect(patient.verify(await rs256(claims, { issuer: flaky.base }))).resolves.toMatchObject({ id: 'person-2' });
    } finally {
      await flaky.close();
    }
  });
});

describe('several OIDC issuers (OIDC_ISSUERS)', () => {
  const base = { DATABASE_URL: 'postgres://x@localhost/x', SMTP_URL: 'smtp://localhost:25', PAYLOAD_KEYS: 'k1:AAAA', OIDC_AUDIENCE: AUDIENCE };
  const problems = (env: Record<string, string>) => {
    try { loadEnvironment({ ...base, ...env }); return []; } catch (err) { return (err as ConfigError).problems; }
  };

  it('takes a JSON object from issuer URL to the force or CPS area it vouches for, with OIDC_ISSUER as the one-issuer case', () => {
    expect(problems({ OIDC_ISSUERS: JSON.stringify({ 'https://idp.a.example': { forceId: 'force-a' }, 'https://login.cps.example': { areaId: 'cps-se' }, 'https://hq.example': {} }) })).toEqual([]);
    expect(problems({ OIDC_ISSUER: 'https://idp.a.example' })).toEqual([]);
  });

  it('refuses a malformed map without echoing it, and an issuer vouching for both a force and an area', () => {
    for (const bad of ['not json', '["https://idp.a.example"]', JSON.stringify({ 'not a url': {} }), JSON.stringify({ 'https://idp.a.example': { forceId: 'a', areaId: 'b' } }), JSON.stringify({ 'https://idp.a.example': { force: 'a' } })]) {
      const found = problems({ OIDC_ISSUERS: bad });
      expect(found).toEqual([expect.stringContaining('OIDC_ISSUERS')]);
      expect(found.join()).not.toContain(bad);
    }
    expect(problems({ OIDC_ISSUERS: JSON.stringify({ 'https://idp.a.example': {} }), OIDC_AUDIENCE: '' })).toEqual([expect.stringContaining('OIDC_AUDIENCE')]);
  });
});
