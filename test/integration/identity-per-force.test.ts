import { randomBytes, randomUUID } from 'node:crypto';
import { caseBody, createTeam, NEIGHBOUR_FORCE, type Team } from '../support/fixtures';
import { type FakeOidcProvider, startOidcProvider } from '../support/oidc-provider';
import { api, type RunningSystem, startSystem } from '../support/system';
import { tokenFor } from '../support/tokens';
import { pageOrigin, WebClient } from '../support/web-session';

const AUDIENCE = 'precharge-api';

/**
 * Identity per force: each force's OIDC provider is trusted at once, each vouching for its force (OIDC_ISSUERS). A
 * caller's force comes from the directory (or, for someone not in it, the issuer), never from a claim; a provider
 * vouching for a person the directory places in another force is refused, for API tokens and web sign-in alike.
 */
describe('identity per force', () => {
  let setup: RunningSystem;
  let system: RunningSystem;
  let north: Team;
  let south: Team;
  let northIdp: FakeOidcProvider;
  let southIdp: FakeOidcProvider;
  let northCase: string;

  beforeAll(async () => {
    // Teams are made through a system on the run's HS256 tokens; the system under test trusts only the providers.
    setup = await startSystem();
    north = await createTeam(setup.baseUrl);
    south = await createTeam(setup.baseUrl, undefined, { force: NEIGHBOUR_FORCE });
    northCase = (await api(setup.baseUrl, 'POST', '/cases', { token: north.officer.token, body: caseBody({ unit: north.unit, officerId: north.officer.id }) })).body.id;
    [northIdp, southIdp] = await Promise.all([1, 2].map(() => startOidcProvider({ clientId: 'precharge-web', clientSecret: randomBytes(24).toString('hex') })));
    system = await startSystem({
      env: {
        JWT_SECRET: '', DEMO_SIGN_IN: 'false', OIDC_AUDIENCE: AUDIENCE,
        OIDC_ISSUERS: JSON.stringify({ [northIdp.issuer]: { forceId: north.forceId }, [southIdp.issuer]: { forceId: south.forceId } }),
        // The web front end signs in with the south force's provider.
        OIDC_ISSUER: southIdp.issuer, OIDC_CLIENT_ID: southIdp.clientId, OIDC_CLIENT_SECRET: southIdp.clientSecret,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    await setup?.stop();
    await Promise.all([northIdp?.close(), southIdp?.close()]);
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

  it("refuses web sign-in through a force's provider for a person of another force, and signs its own people in", async () => {
    const signIn = async (user: { sub: string; roles: string[]; unit: string }) => {
      southIdp.signInAs(user);
      const client = new WebClient(pageOrigin(system));
      const start = await client.get('/sign-in/oidc');
      const answer = await fetch(start.location!, { redirect: 'manual' });
      const callback = new URL(answer.headers.get('location')!);
      return { client, back: await client.get(`${callback.pathname}${callback.search}`) };
    };
    const refused = await signIn(officer(north));
    expect(refused.back.status).toBe(401);
    expect((await refused.client.get('/cases')).status).toBe(303);
    const own = await signIn(officer(south));
    expect({ status: own.back.status, location: own.back.location }).toEqual({ status: 303, location: '/' });
    expect((await own.client.get('/cases')).status).toBe(200);
  });
});
