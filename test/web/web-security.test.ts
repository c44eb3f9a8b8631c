import { execFile, spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Task } from '../../db/entities';
import { ConfigError, loadEnvironment } from '../../infra/config';
import { caseBody, createTeam, type Team } from '../support/fixtures';
import { type FakeOidcProvider, startOidcProvider } from '../support/oidc-provider';
import { api, type RunningSystem, startSystem } from '../support/system';
import { type PageResponse, pageOrigin, parseSetCookie, SESSION_COOKIE, signedInClient, WebClient } from '../support/web-session';

const ROOT = join(__dirname, '..', '..');

/** `s%3A<sid>.<signature>` → its session id and signature (express-session signs with cookie-signature: HMAC-SHA256). */
function unsign(cookie: string): { sid: string; signature: string } {
  const match = /^s:([^.]+)\.(.+)$/.exec(decodeURIComponent(cookie));
  if (!match) throw new Error('not a signed session cookie');
  return { sid: match[1], signature: match[2] };
}
const signatureFor = (sid: string, secret: string) => createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');

/** The Content-Security-Policy as directive → sources. */
function cspOf(res: PageResponse): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(header.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));
}

/** Web pages beside the API: the session cookie, CSRF, sign-in (demo and OIDC), security headers, and the audit log. */
describe('web security', () => {
  let system: RunningSystem;
  let origin: string;
  let team: Team;

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' } });
    origin = pageOrigin(system);
    team = await createTeam(system.baseUrl);
  });
  afterAll(() => system?.stop());

  const sessionRows = async (sid: string): Promise<number> =>
    Number((await system.dataSource.query('SELECT count(*) AS n FROM web_sessions WHERE sid = $1', [sid]))[0].n);

  describe('the session cookie', () => {
    it('is HttpOnly, SameSite=Lax, Path=/, signed with SESSION_SECRET, idle-limited, and not Secure over plain http', async () => {
      const res = await new WebClient(origin).signInAs(team.officer.id);
      expect(res.status).toBe(303);
      const cookie = parseSetCookie(res.setCookies, SESSION_COOKIE);
      expect(cookie).toBeDefined();
      expect(cookie!.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
      expect(cookie!.attributes.secure).toBeUndefined();
      expect(cookie!.value).toMatch(/^s%3A/);
      const { sid, signature } = unsign(cookie!.value);
      expect(signature).toBe(signatureFor(sid, process.env.SESSION_SECRET!));
      // SESSION_IDLE_MINUTES defaults to 30: the cookie lasts that long from the last response.
      const expiresInMinutes = (Date.parse(String(cookie!.attributes.expires)) - Date.now()) / 60_000;
      expect(expiresInMinutes).toBeGreaterThan(28);
      expect(expiresInMinutes).toBeLessThanOrEqual(30);
    });

    it('gets a new session id at sign-in, so an id planted before sign-in opens nothing', async () => {
      const client = new WebClient(origin);
      const anonymous = await client.get('/sign-in');
      const before = parseSetCookie(anonymous.setCookies, SESSION_COOKIE);
      expect(before).toBeDefined(); // the sign-in form's CSRF token needs a session
      const signedIn = await client.post('/sign-in/demo', { personId: team.officer.id });
      expect(signedIn.status).toBe(303);
      const after = parseSetCookie(signedIn.setCookies, SESSION_COOKIE);
      expect(after).toBeDefined();
      const [oldSid, newSid] = [unsign(before!.value).sid, unsign(after!.value).sid];
      expect(newSid).not.toBe(oldSid);
      expect(await sessionRows(oldSid)).toBe(0);
      expect(await sessionRows(newSid)).toBe(1);

      expect((await client.get('/')).status).toBe(200);
      const planted = new WebClient(origin);
      planted.useSessionCookie(before!.value);
      const res = await planted.get('/');
      expect({ status: res.status, location: res.location }).toEqual({ status: 303, location: '/sign-in' });
    });

    it('opens nothing when its signature is forged, even for a live session id', async () => {
      const client = await signedInClient(origin, team.officer.id);
      const { sid } = unsign(client.sessionCookie!);
      const forged = new WebClient(origin);
      forged.useSessionCookie(encodeURIComponent(`s:${sid}.${signatureFor(sid, 'not the session secret at all, guessed')}`));
      expect((await forged.get('/')).status).toBe(303);
      forged.useSessionCookie(sid); // unsigned
      expect((await forged.get('/')).status).toBe(303);
      expect((await client.get('/')).status).toBe(200);
    });

    it('is destroyed at sign-out: the old cookie no longer opens a page', async () => {
      const client = await signedInClient(origin, team.ds.id);
      const cookie = client.sessionCookie!;
      expect((await client.get('/')).status).toBe(200);
      const out = await client.post('/sign-out');
      expect({ status: out.status, location: out.location }).toEqual({ status: 303, location: '/sign-in?signed-out=1' });
      expect(await sessionRows(unsign(cookie).sid)).toBe(0);
      const replayed = new WebClient(origin);
      replayed.useSessionCookie(cookie);
      const res = await replayed.get('/');
      expect({ status: res.status, location: res.location }).toEqual({ status: 303, location: '/sign-in' });
    });

    describe('behind a TLS-terminating proxy (PUBLIC_URL https, TRUST_PROXY 1)', () => {
      let https: RunningSystem;
      beforeAll(async () => {
        https = await startSystem({ env: { DEMO_SIGN_IN: 'true', PUBLIC_URL: 'https://localhost:8443', TRUST_PROXY: '1' } });
      });
      afterAll(() => https?.stop());

      it('is Secure when the proxy says the request came over https, and never set over plain http', async () => {
        const proxied = new WebClient(pageOrigin(https), { 'x-forwarded-proto': 'https' });
        const res = await proxied.signInAs(team.officer.id);
        expect(res.status).toBe(303);
        expect(parseSetCookie(res.setCookies, SESSION_COOKIE)?.attributes).toMatchObject({ secure: true, httponly: true, samesite: 'Lax', path: '/' });
        expect((await proxied.get('/')).status).toBe(200);

        const plain = await new WebClient(pageOrigin(https)).get('/sign-in');
        expect(plain.status).toBe(200);
        expect(parseSetCookie(plain.setCookies, SESSION_COOKIE)).toBeUndefined();
      });
    });
  });

  describe('CSRF', () => {
    let taskId: string;
    const taskStatus = async () => (await system.dataSource.getRepository(Task).findOneByOrFail({ id: taskId })).status;

    beforeAll(async () => {
      const created = await api(system.baseUrl, 'POST', '/cases', { token: team.officer.token, body: caseBody({ unit: team.unit, officerId: team.officer.id }) });
      expect(created.status).toBe(201);
      taskId = randomUUID();
      await system.dataSource.getRepository(Task).insert({
        id: taskId, dedupeKey: `web-csrf-test:${taskId}`, personId: team.officer.id, caseId: created.body.id, forceId: team.forceId, kind: 'reminder', clockKey: `victim.routineUpdate:${created.body.id}`,
        clockName: 'victim.routineUpdate', step: 1, dueAt: new Date(Date.now() + 86_400_000), why: 'Synthetic reminder for the CSRF test', status: 'open', delivery: 'immediate',
      });
    });

    const expectRefused = (res: PageResponse) => {
      expect(res.status).toBe(403);
      expect(res.body).toContain('This form has expired');
    };

    it('refuses a form without the session\'s token before its handler runs, and accepts it with the token', async () => {
      const officer = await signedInClient(origin, team.officer.id);
      const colleague = await signedInClient(origin, team.ds.id);
      const seqBefore = Number((await system.dataSource.query('SELECT coalesce(max(seq), 0) AS seq FROM audit_log'))[0].seq);
      const path = `/tasks/${taskId}/complete`;

      expectRefused(await officer.post(path, {}, { csrf: null }));
      expectRefused(await officer.post(path, {}, { csrf: '' }));
      expectRefused(await officer.post(path, {}, { csrf: 'f'.repeat(256) }));
      expectRefused(await officer.post(path, {}, { csrf: await colleague.csrfToken() })); // a real token, of another session
      expect(await taskStatus()).toBe('open');
      const audited = async () => system.dataSource.query('SELECT outcome FROM audit_log WHERE seq > $1 AND route = $2', [seqBefore, '/tasks/:id/complete']);
      expect(await audited()).toEqual([]); // refused before routing: the handler never saw it

      const done = await officer.post(path);
      expect({ status: done.status, location: done.location }).toEqual({ status: 303, location: '/' });
      expect(await taskStatus()).toBe('done');
      expect(await audited()).toEqual([{ outcome: 303 }]);
      expect((await officer.get('/')).body).toContain('Reminder marked as done.');
    });

    it('keeps a person signed in when a forged sign-out arrives, and signs them out with the token', async () => {
      const client = await signedInClient(origin, team.officer.id);
      expectRefused(await client.post('/sign-out', {}, { csrf: null }));
      expectRefused(await client.post('/sign-out', {}, { csrf: 'forged' }));
      expect((await client.get('/')).status).toBe(200);
      expect((await client.post('/sign-out')).status).toBe(303);
      expect((await client.get('/')).status).toBe(303);
    });

    it('refuses a sign-in form posted without a token (login CSRF)', async () => {
      const client = new WebClient(origin);
      await client.get('/sign-in');
      expectRefused(await client.post('/sign-in/demo', { personId: team.officer.id }, { csrf: null }));
      expect((await client.get('/')).status).toBe(303);
    });
  });

  describe('security headers and assets', () => {
    it('sends no-store and a nonce-based CSP without unsafe-inline on every page response, the nonce on every script', async () => {
      const anonymous = new WebClient(origin);
      const signedIn = await signedInClient(origin, team.officer.id);
      const responses: Record<string, PageResponse> = {
        'sign-in page': await anonymous.get('/sign-in'),
        'refused sign-in (422)': await anonymous.post('/sign-in/demo', { personId: randomUUID() }),
        'anonymous My work (303)': await anonymous.get('/'),
        'My work': await signedIn.get('/'),
        'unknown page (404)': await signedIn.get('/no-such-page'),
        'forged form (403)': await signedIn.post('/sign-out', {}, { csrf: null }),
      };
      expect(Object.values(responses).map((r) => r.status)).toEqual([200, 422, 303, 200, 404, 403]);
      for (const [name, res] of Object.entries(responses)) {
        const csp = cspOf(res);
        const nonces = (csp.get('script-src') ?? []).filter((s) => s.startsWith("'nonce-"));
        expect({ name, cacheControl: res.headers.get('cache-control'), nonces: nonces.length }).toEqual({ name, cacheControl: 'no-store', nonces: 1 });
        expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
        expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
        if (res.status === 303) continue;
        const nonce = nonces[0].slice("'nonce-".length, -1);
        const scripts = [...res.body.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
        expect(scripts.length).toBeGreaterThanOrEqual(2); // the GOV.UK template's one-liner and our module
        for (const attributes of scripts) expect({ name, attributes }).toEqual({ name, attributes: expect.stringContaining(`nonce="${nonce}"`) });
        // What this CSP would block: inline handlers and inline styles.
        expect(res.body).not.toMatch(/<[^>]+\s(on[a-z]+|style)=/i);
      }
    });

    it('uses a fresh nonce for every response', async () => {
      const client = new WebClient(origin);
      const nonces = new Set<string>();
      for (let i = 0; i < 3; i += 1) nonces.add((cspOf(await client.get('/sign-in')).get('script-src') ?? []).join(' '));
      expect(nonces.size).toBe(3);
    });

    it('serves the stylesheet and scripts with their content types, and nothing outside the asset folders', async () => {
      const client = new WebClient(origin);
      const assets: [string, RegExp][] = [
        ['/assets/app.css', /^text\/css/],
        ['/assets/govuk/govuk-frontend.min.js', /^(application|text)\/javascript/],
        ['/assets/moj/moj-frontend.min.js', /^(application|text)\/javascript/],
        ['/assets/js/app.js', /^(application|text)\/javascript/],
      ];
      for (const [path, type] of assets) {
        const res = await client.get(path);
        expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status: 200, type: expect.stringMatching(type) });
        expect(res.body.length).toBeGreaterThan(100);
      }
      const escape = await client.get('/assets/js/..%2fapp.scss');
      expect(escape.status).not.toBe(200);
      expect(escape.body).not.toContain('@import');
    });
  });

  describe('the audit log of page reads', () => {
    it('records a signed-in read of My work like the API\'s own reads', async () => {
      const client = await signedInClient(origin, team.ds.id);
      const seqBefore = Number((await system.dataSource.query('SELECT coalesce(max(seq), 0) AS seq FROM audit_log'))[0].seq);
      expect((await client.get('/')).status).toBe(200);
      const rows = await system.dataSource.query('SELECT method, route, action, actor_id, actor_roles, outcome FROM audit_log WHERE seq > $1 AND actor_id = $2', [seqBefore, team.ds.id]);
      expect(rows).toEqual([{ method: 'GET', route: '/', action: 'case.read', actor_id: team.ds.id, actor_roles: ['supervisor'], outcome: 200 }]);
    });

    it('sends an anonymous reader to sign in, then back where they were going', async () => {
      const client = new WebClient(origin);
      const anonymous = await client.get('/?from=email');
      expect({ status: anonymous.status, location: anonymous.location }).toEqual({ status: 303, location: '/sign-in' });
      const signedIn = await client.signInAs(team.officer.id);
      expect({ status: signedIn.status, location: signedIn.location }).toEqual({ status: 303, location: '/?from=email' });
      const landed = await client.get(signedIn.location!);
      expect(landed.status).toBe(200);
      expect(landed.body).toContain('DC Test Officer');
    });
  });

  describe('failed sign-ins (AUTH_FAILURES_PER_MINUTE 5)', () => {
    let limited: RunningSystem;
    beforeAll(async () => {
      limited = await startSystem({ env: { DEMO_SIGN_IN: 'true', AUTH_FAILURES_PER_MINUTE: '5' } });
    });
    afterAll(() => limited?.stop());

    it('answers 422 with an error summary up to the limit, then 429 with Retry-After, but still lets a real person in', async () => {
      const client = new WebClient(pageOrigin(limited));
      for (let i = 0; i < 5; i += 1) {
        const res = await client.post('/sign-in/demo', { personId: randomUUID() });
        expect(res.status).toBe(422);
        expect(res.body).toContain('govuk-error-summary');
        expect(res.body).toContain('choose a person from the list');
      }
      for (const personId of [randomUUID(), 'not-a-person', '']) {
        const res = await client.post('/sign-in/demo', { personId });
        expect(res.status).toBe(429);
        expect(res.body).toContain('Too many attempts');
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      }
      // As for API tokens: only failures are refused, or a few bad attempts would lock out everyone behind one proxy.
      const colleague = await client.post('/sign-in/demo', { personId: team.officer.id });
      expect({ status: colleague.status, location: colleague.location }).toEqual({ status: 303, location: '/' });
      expect((await client.get('/')).status).toBe(200);
    });
  });

  describe('the demo sign-in in production', () => {
    const valid = {
      DATABASE_URL: 'postgres://precharge@127.0.0.1:5432/precharge', SMTP_URL: 'smtp://127.0.0.1:2525', JWT_SECRET: randomBytes(32).toString('hex'),
      PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`, SESSION_SECRET: randomBytes(32).toString('hex'),
    };

    it('is refused by the configuration, naming DEMO_SIGN_IN', () => {
      expect(() => loadEnvironment({ ...valid, NODE_ENV: 'production' })).not.toThrow();
      expect(loadEnvironment({ ...valid, NODE_ENV: 'development', DEMO_SIGN_IN: 'true' }).DEMO_SIGN_IN).toBe(true);
      for (const on of ['true', '1']) {
        let error: unknown;
        try {
          loadEnvironment({ ...valid, NODE_ENV: 'production', DEMO_SIGN_IN: on });
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems).toEqual([expect.stringContaining('DEMO_SIGN_IN')]);
      }
    });

    describe('the compiled API', () => {
      // What `npm start` and the image run: dist/, compiled here as the build does it.
      beforeAll(async () => {
        await promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
      }, 180_000);

      it('exits non-zero at boot, naming DEMO_SIGN_IN and no secret', async () => {
        const child = spawn(process.execPath, [join(ROOT, 'dist', 'api', 'main.js')], {
          cwd: ROOT, env: { ...process.env, NODE_ENV: 'production', DEMO_SIGN_IN: 'true', PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
        child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000); // a regression would boot and listen instead
        const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
        clearTimeout(timer);
        expect(code).not.toBe(0);
        expect(code).not.toBeNull(); // exited by itself, not killed
        expect(output).toContain('DEMO_SIGN_IN');
        for (const secret of [process.env.SESSION_SECRET!, process.env.JWT_SECRET!]) expect(output).not.toContain(secret);
      });
    });
  });

  describe('OIDC sign-in (authorisation code with PKCE)', () => {
    let provider: FakeOidcProvider;
    let oidc: RunningSystem;
    let oidcOrigin: string;

    beforeAll(async () => {
      provider = await startOidcProvider({ clientId: 'precharge-web', clientSecret: randomBytes(24).toString('hex') });
      provider.signInAs({ sub: team.officer.id, roles: ['officer'], unit: team.unit });
      oidc = await startSystem({
        env: {
          DEMO_SIGN_IN: 'false', AUTH_FAILURES_PER_MINUTE: '5',
          OIDC_ISSUER: provider.issuer, OIDC_AUDIENCE: 'precharge-api', OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret,
        },
      });
      oidcOrigin = pageOrigin(oidc);
    });
    afterAll(async () => {
      await oidc?.stop();
      await provider?.close();
    });

    /** The app's redirect to the provider, checked for PKCE, state and nonce. */
    const toProvider = async (client: WebClient): Promise<URL> => {
      const res = await client.get('/sign-in/oidc');
      expect(res.status).toBe(303);
      const authorize = new URL(res.location!);
      expect(`${authorize.origin}${authorize.pathname}`).toBe(`${provider.issuer}/authorize`);
      return authorize;
    };
    /** The provider's answer: a redirect to the callback with a code. The browser would be at PUBLIC_URL; the test's system listens on its own port. */
    const providerAnswer = async (authorize: URL): Promise<{ callback: URL; path: string }> => {
      const res = await fetch(authorize, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const callback = new URL(res.headers.get('location')!);
      expect(`${callback.origin}${callback.pathname}`).toBe(`${process.env.PUBLIC_URL!.replace(/\/$/, '')}/sign-in/callback`);
      return { callback, path: `${callback.pathname}${callback.search}` };
    };
    const withState = (callback: URL, state: string) => `${callback.pathname}?code=${callback.searchParams.get('code')}&state=${encodeURIComponent(state)}`;

    it('signs a person in through the provider, with S256 PKCE, state and nonce, and a new session id', async () => {
      const client = new WebClient(oidcOrigin);
      const authorize = await toProvider(client);
      const query = authorize.searchParams;
      expect(query.get('response_type')).toBe('code');
      expect(query.get('client_id')).toBe(provider.clientId);
      expect(query.get('scope')?.split(' ')).toContain('openid');
      expect(query.get('code_challenge_method')).toBe('S256');
      expect(query.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(query.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(query.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      const pendingSid = unsign(client.sessionCookie!).sid;

      const { callback, path } = await providerAnswer(authorize);
      expect(callback.searchParams.get('state')).toBe(query.get('state'));
      const back = await client.get(path);
      expect({ status: back.status, location: back.location }).toEqual({ status: 303, location: '/' });
      expect(provider.tokenRequests.at(-1)).toEqual({ code: callback.searchParams.get('code'), outcome: 'issued' });
      expect(unsign(client.sessionCookie!).sid).not.toBe(pendingSid);

      const home = await client.get('/');
      expect(home.status).toBe(200);
      expect(home.body).toContain('DC Test Officer');
    });

    it('does not sign in when the callback\'s state is not the one it sent, and never redeems the code', async () => {
      const client = new WebClient(oidcOrigin);
      const { callback } = await providerAnswer(await toProvider(client));
      const tokenRequests = provider.tokenRequests.length;
      const forged = await client.get(withState(callback, 'a-state-the-app-never-sent'));
      expect(forged.status).toBe(401);
      expect(forged.body).toContain('Sign-in did not complete');
      expect(provider.tokenRequests).toHaveLength(tokenRequests);
      expect((await client.get('/')).status).toBe(303);
      // The attempt is spent: the genuine answer, arriving late, finds nothing pending.
      const late = await client.get(withState(callback, callback.searchParams.get('state')!));
      expect({ status: late.status, location: late.location }).toEqual({ status: 303, location: '/sign-in' });
      expect((await client.get('/')).status).toBe(303);
    });

    it('does not sign in with a code issued to another sign-in: the provider refuses the PKCE verifier', async () => {
      const attacker = new WebClient(oidcOrigin);
      const { callback: stolen } = await providerAnswer(await toProvider(attacker));
      const victim = new WebClient(oidcOrigin);
      const victimState = (await toProvider(victim)).searchParams.get('state')!;
      const injected = await victim.get(withState(stolen, victimState));
      expect(injected.status).toBe(401);
      expect(provider.tokenRequests.at(-1)).toEqual({ code: stolen.searchParams.get('code'), outcome: 'pkce-mismatch' });
      expect((await victim.get('/')).status).toBe(303);
    });

    it('refuses failed callbacks past the limit with 429, while a genuine sign-in from the same address completes', async () => {
      const failures: number[] = [];
      let refused: PageResponse | undefined;
      for (let i = 0; i < 6 && !refused; i += 1) {
        const client = new WebClient(oidcOrigin);
        const { callback } = await providerAnswer(await toProvider(client));
        const res = await client.get(withState(callback, 'a-state-the-app-never-sent'));
        if (res.status === 429) refused = res;
        else failures.push(res.status);
      }
      expect(failures.every((status) => status === 401)).toBe(true);
      expect(refused?.headers.get('retry-after')).toMatch(/^\d+$/);

      const client = new WebClient(oidcOrigin);
      const { path } = await providerAnswer(await toProvider(client));
      expect((await client.get(path)).status).toBe(303);
      expect((await client.get('/')).status).toBe(200);
    });

    describe('with DEMO_SIGN_IN off', () => {
      it('lists no people on the sign-in page, only the organisation sign-in', async () => {
        const page = await new WebClient(oidcOrigin).get('/sign-in');
        expect(page.status).toBe(200);
        expect(page.body).toContain('href="/sign-in/oidc"');
        expect(page.body).not.toContain('name="personId"');
        for (const name of ['DC Test Officer', 'DS Test Sergeant', 'Test Prosecutor']) expect(page.body).not.toContain(name);
      });

      it('answers 404 to the demo sign-in, even to a signed-in person with a valid form token', async () => {
        expect((await new WebClient(oidcOrigin).post('/sign-in/demo', { personId: team.di.id }, { csrf: null })).status).toBe(403);
        const client = new WebClient(oidcOrigin);
        const { path } = await providerAnswer(await toProvider(client));
        expect((await client.get(path)).status).toBe(303);
        const demo = await client.post('/sign-in/demo', { personId: team.di.id });
        expect(demo.status).toBe(404);
        const home = await client.get('/');
        expect(home.body).toContain('DC Test Officer');
        expect(home.body).not.toContain('DI Test Inspector');
      });
    });
  });
});
