import { randomBytes, randomUUID } from 'node:crypto';
import { caseBody, createTeam, FIXTURE_AREA, NEIGHBOUR_FORCE, type Team } from '../support/fixtures';
import { type FakeOidcProvider, type OidcUser, startOidcProvider } from '../support/oidc-provider';
import { api, type RunningSystem, startSystem } from '../support/system';
import { tokenFor } from '../support/tokens';
import { pageOrigin, WebClient } from '../support/web-session';

const AUDIENCE = 'precharge-api';

/**
 * Identity per force: each force's OIDC provider is trusted at once, each vouching for its force (OIDC_ISSUERS). A
 * caller's force comes from the directory (or, for someone not in it, the issuer), never from a claim; a provider
 * vouching for a person the directory places in another force is refused, for API tokens and web sign-in alike. The
 * web front end signs in through each provider's own client (web clients in OIDC_ISSUERS, secrets in
 * OIDC_CLIENT_SECRETS), one button each on the sign-in page.
 */
describe('identity per force', () => {
  let setup: RunningSystem;
  let system: RunningSystem;
  let north: Team;
  let south: Team;
  let northIdp: FakeOidcProvider;
  let southIdp: FakeOidcProvider;
  let cpsIdp: FakeOidcProvider;
  let northCase: string;

  beforeAll(async () => {
    // Teams are made through a system on the run's HS256 tokens; the system under test trusts only the providers.
    setup = await startSystem();
    north = await createTeam(setup.baseUrl);
    south = await createTeam(setup.baseUrl, undefined, { force: NEIGHBOUR_FORCE });
    northCase = (await api(setup.baseUrl, 'POST', '/cases', { token: north.officer.token, body: caseBody({ unit: north.unit, officerId: north.officer.id }) })).body.id;
    [northIdp, southIdp, cpsIdp] = await Promise.all([1, 2, 3].map(() => startOidcProvider({ clientId: 'precharge-web', clientSecret: randomBytes(24).toString('hex') })));
    system = await startSystem({
      env: {
        JWT_SECRET: '', DEMO_SIGN_IN: 'false', OIDC_AUDIENCE: AUDIENCE,
        // Each provider with its web client: north named here, south and the CPS by the directory's names.
        OIDC_ISSUERS: JSON.stringify({
          [northIdp.issuer]: { forceId: north.forceId, clientId: northIdp.clientId, name: 'North Police' },
          [southIdp.issuer]: { forceId: south.forceId, clientId: southIdp.clientId },
          [cpsIdp.issuer]: { areaId: north.areaId, clientId: cpsIdp.clientId },
        }),
        OIDC_CLIENT_SECRETS: `${north.forceId}:${northIdp.clientSecret},${south.forceId}:${southIdp.clientSecret},${north.areaId}:${cpsIdp.clientSecret}`,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    await setup?.stop();
    await Promise.all([northIdp?.close(), southIdp?.close(), cpsIdp?.close()]);
  });

  const officer = (team: Team) => ({ sub: team.officer.id, roles: ['officer'], unit: team.unit });

  it("accepts each force's provider for its own people, at once", async () => {
    const northRead = await api(system.baseUrl, 'GET', `/cases/${northCase}`, { token: await northIdp.bearer(officer(north), AUDIENCE) });
    expect(northRead.status).toBe(200);
    const southList = await api(system.baseUrl, 'GET', '/cases', { token: await southIdp.bearer(officer(south), AUDIENCE) });
    expect(southList.status).toBe(200);
    // The south officer, properly signed in, still finds the north force's case absent.
    expect((await api(system.baseUrl, 'GET', `/cases/${northCase}`, { token: await southIdp.bearer(officer(south), AUDIENCE) })).status).toBe(404);
  });

  it('refuses (401) a provider vouching for a person the directory places in another force, whatever unit the token claims', async () => {
    for (const claims of [officer(north), { ...officer(north), unit: south.unit }]) {
      const res = await api(system.baseUrl, 'GET', '/cases', { token: await southIdp.bearer(claims, AUDIENCE) });
      expect(res.status).toBe(401);
    }
  });

  it("gives someone the directory does not know the force of their token's issuer, never one they claim", async () => {
    const stranger = { sub: randomUUID(), roles: ['admin'], unit: north.unit, forceId: north.forceId };
    const people = await api(system.baseUrl, 'GET', '/people', { token: await southIdp.bearer(stranger, AUDIENCE) });
    expect(people.status).toBe(200);
    const forces = new Set((people.body as { forceId: string | null }[]).map((p) => p.forceId));
    expect([...forces]).toEqual([south.forceId]);
  });

  it('refuses tokens of an issuer not on the list, and the HS256 tokens of the local stack', async () => {
    const stranger = await startOidcProvider({ clientId: 'x', clientSecret: 'y' });
    try {
      expect((await api(system.baseUrl, 'GET', '/cases', { token: await stranger.bearer(officer(north), AUDIENCE) })).status).toBe(401);
    } finally {
      await stranger.close();
    }
    expect((await api(system.baseUrl, 'GET', '/cases', { token: north.officer.token })).status).toBe(401);
    expect((await api(system.baseUrl, 'GET', '/cases', { token: await tokenFor({ sub: north.officer.id, roles: ['officer'], unit: north.unit }) })).status).toBe(401);
  });

  /** Web sign-in as a browser would: the page's button for `key`, the provider's answer, then the callback. */
  const webSignIn = async (idp: FakeOidcProvider, key: string, user: OidcUser) => {
    idp.signInAs(user);
    const client = new WebClient(pageOrigin(system));
    const start = await client.get(`/sign-in/oidc?provider=${key}`);
    expect(start.status).toBe(303);
    const authorize = new URL(start.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${idp.issuer}/authorize`);
    const answer = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(answer.headers.get('location')!);
    expect(callback.pathname).toBe('/sign-in/callback');
    return { client, callback, back: await client.get(`${callback.pathname}${callback.search}`) };
  };

  it('offers one sign-in button per provider, named as configured or by the directory', async () => {
    const page = await new WebClient(pageOrigin(system)).get('/sign-in');
    expect(page.status).toBe(200);
    const buttons = [...page.body.matchAll(/<a href="([^"]+)"[^>]*class="govuk-button"[^>]*>\s*([^<]*?)\s*<\/a>/g)].map(([, href, text]) => ({ href, text }));
    expect(buttons).toEqual([
      { href: `/sign-in/oidc?provider=${north.forceId}`, text: 'Sign in with North Police' },
      { href: `/sign-in/oidc?provider=${south.forceId}`, text: `Sign in with ${NEIGHBOUR_FORCE.name}` },
      { href: `/sign-in/oidc?provider=${north.areaId}`, text: `Sign in with ${FIXTURE_AREA.name}` },
    ]);
    expect(page.body).not.toContain('organisation account');
  });

  it("signs each force's and the CPS's people in through their own provider", async () => {
    // The north case as each sees it: its force's officer opens it, the other force's finds it absent.
    for (const [idp, key, user, northCaseStatus] of [
      [northIdp, north.forceId, officer(north), 200],
      [southIdp, south.forceId, officer(south), 404],
      [cpsIdp, north.areaId, { sub: north.dcp.id, roles: ['cps'], unit: `${north.unit}-cps` }, undefined],
    ] satisfies [FakeOidcProvider, string, OidcUser, number | undefined][]) {
      const { client, back } = await webSignIn(idp, key, user);
      expect({ status: back.status, location: back.location }).toEqual({ status: 303, location: '/' });
      expect(idp.tokenRequests.at(-1)?.outcome).toBe('issued');
      expect((await client.get('/')).status).toBe(200);
      if (northCaseStatus) expect((await client.get(`/cases/${northCase}`)).status).toBe(northCaseStatus);
    }
  });

  it("refuses web sign-in through a provider vouching for another force's or area's person, as the sign-in page's error", async () => {
    for (const [idp, key, user] of [
      [southIdp, south.forceId, officer(north)],
      [northIdp, north.forceId, { ...officer(south), unit: north.unit }],
      [cpsIdp, north.areaId, officer(north)],
    ] satisfies [FakeOidcProvider, string, OidcUser][]) {
      const { client, back } = await webSignIn(idp, key, user);
      expect(back.status).toBe(401);
      expect(back.body).toContain('Sign-in did not complete');
      expect((await client.get('/cases')).status).toBe(303);
    }
  });

  it("accepts a callback only from the provider the session set off to, and only the page's provider keys", async () => {
    const client = new WebClient(pageOrigin(system));
    // The session set off to the north provider; a code the south provider issued, even under the north attempt's
    // state, goes to the north provider only (which knows no such code), never to the south one.
    const northState = new URL((await client.get(`/sign-in/oidc?provider=${north.forceId}`)).location!).searchParams.get('state')!;
    const { callback: southAnswer } = await webSignIn(southIdp, south.forceId, officer(south));
    const southTokens = southIdp.tokenRequests.length;
    const mixedUp = await client.get(`${southAnswer.pathname}?code=${southAnswer.searchParams.get('code')}&state=${encodeURIComponent(northState)}`);
    expect(mixedUp.status).toBe(401);
    expect(northIdp.tokenRequests.at(-1)).toEqual({ code: southAnswer.searchParams.get('code'), outcome: 'unknown-code' });
    expect(southIdp.tokenRequests).toHaveLength(southTokens);
    expect((await client.get('/cases')).status).toBe(303);
    expect((await client.get('/sign-in/oidc?provider=no-such-provider')).status).toBe(404);
    // With several providers, a start naming none goes back to the choice.
    expect(await client.get('/sign-in/oidc').then((r) => ({ status: r.status, location: r.location }))).toEqual({ status: 303, location: '/sign-in' });
  });
});
