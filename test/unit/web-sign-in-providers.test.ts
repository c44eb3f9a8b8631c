import { type ConfigError, loadEnvironment, webSignInProviders } from '../../infra/config';

/** The web front end's providers (OIDC_ISSUERS web clients, OIDC_CLIENT_SECRETS), validated at boot. */
describe('web sign-in providers', () => {
  const base = { DATABASE_URL: 'postgres://x@localhost/x', SMTP_URL: 'smtp://localhost:25', PAYLOAD_KEYS: 'k1:AAAA', OIDC_AUDIENCE: 'precharge-api' };
  const SECRET = 's3cr3t-value-never-echoed';
  const problems = (env: Record<string, string>) => {
    try { loadEnvironment({ ...base, ...env }); return []; } catch (err) { return (err as ConfigError).problems; }
  };
  const issuers = (map: Record<string, Record<string, unknown>>) => JSON.stringify(map);
  const region = issuers({
    'https://idp.surrey.example': { forceId: 'surrey', clientId: 'precharge-web', name: 'Surrey Police' },
    'https://login.cps.example': { areaId: 'cps-se', clientId: 'precharge-web' },
    'https://idp.kent.example': { forceId: 'kent' },
  });

  it('takes each listed web client, its secret from OIDC_CLIENT_SECRETS by its force or area id', () => {
    const config = loadEnvironment({ ...base, OIDC_ISSUERS: region, OIDC_CLIENT_SECRETS: `surrey:${SECRET},cps-se:a:b-c` });
    expect(webSignInProviders(config)).toEqual([
      { key: 'surrey', issuer: 'https://idp.surrey.example', clientId: 'precharge-web', forceId: 'surrey', name: 'Surrey Police', clientSecret: SECRET },
      // A secret may hold colons: only the first one ends the key.
      { key: 'cps-se', issuer: 'https://login.cps.example', clientId: 'precharge-web', areaId: 'cps-se', clientSecret: 'a:b-c' },
    ]);
  });

  it('keeps OIDC_ISSUER with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET as the one-provider case', () => {
    const config = loadEnvironment({ ...base, OIDC_ISSUER: 'https://idp.surrey.example', OIDC_CLIENT_ID: 'web', OIDC_CLIENT_SECRET: SECRET });
    expect(webSignInProviders(config)).toEqual([{ key: 'organisation', issuer: 'https://idp.surrey.example', clientId: 'web', clientSecret: SECRET }]);
    expect(webSignInProviders(loadEnvironment({ ...base, OIDC_ISSUERS: issuers({ 'https://idp.kent.example': { forceId: 'kent' } }) }))).toEqual([]);
  });

  it('names a web client of an issuer vouching for no force or area by its own key', () => {
    const config = loadEnvironment({ ...base, OIDC_ISSUERS: issuers({ 'https://hq.example': { clientId: 'web', key: 'region' } }), OIDC_CLIENT_SECRETS: `region:${SECRET}` });
    expect(webSignInProviders(config)).toEqual([{ key: 'region', issuer: 'https://hq.example', clientId: 'web', clientSecret: SECRET }]);
  });

  it.each([
    ['a secret for a key no client has', { OIDC_ISSUERS: region, OIDC_CLIENT_SECRETS: `kent:${SECRET}` }, /OIDC_CLIENT_SECRETS names key kent, which no web client/],
    ['a key given two secrets', { OIDC_ISSUERS: region, OIDC_CLIENT_SECRETS: `surrey:${SECRET},surrey:${SECRET}` }, /OIDC_CLIENT_SECRETS names key surrey more than once/],
    ['secrets that are not key:secret pairs', { OIDC_ISSUERS: region, OIDC_CLIENT_SECRETS: SECRET }, /OIDC_CLIENT_SECRETS must be key:secret pairs/],
    ['secrets with no web client listed', { OIDC_ISSUER: 'https://idp.surrey.example', OIDC_CLIENT_SECRETS: `surrey:${SECRET}` }, /OIDC_CLIENT_SECRETS is set but no issuer in OIDC_ISSUERS has a web client/],
    ['the one-provider client beside listed ones', { OIDC_ISSUERS: region, OIDC_ISSUER: 'https://idp.kent.example', OIDC_CLIENT_ID: 'web', OIDC_CLIENT_SECRET: SECRET }, /OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are the one-provider case/],
    ['two clients with one key', { OIDC_ISSUERS: issuers({ 'https://a.example': { forceId: 'surrey', clientId: 'web' }, 'https://b.example': { forceId: 'surrey', clientId: 'web' } }) }, /OIDC_ISSUERS gives two web clients the key surrey/],
    ['a client with no key to be known by', { OIDC_ISSUERS: issuers({ 'https://hq.example': { clientId: 'web' } }) }, /web client of https:\/\/hq\.example needs a "key"/],
    ['a name without a client', { OIDC_ISSUERS: issuers({ 'https://hq.example': { forceId: 'kent', name: 'Kent Police' } }) }, /has "key" or "name" but no "clientId"/],
    ['a client id that is not text', { OIDC_ISSUERS: issuers({ 'https://hq.example': { forceId: 'kent', clientId: 42 } }) }, /web client of https:\/\/hq\.example needs "clientId"/],
    ['a secret put in the JSON', { OIDC_ISSUERS: issuers({ 'https://hq.example': { forceId: 'kent', clientId: 'web', clientSecret: SECRET } }) }, /each issuer in OIDC_ISSUERS maps to/],
  ])('refuses to boot on %s, naming the variable and never the secret', (_, env, expected) => {
    const found = problems(env);
    expect(found).toEqual([expect.stringMatching(expected)]);
    expect(found.join('\n')).not.toContain(SECRET);
  });
});
