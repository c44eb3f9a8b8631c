import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { withSystemAndTeam } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';
import { tokenFor } from '../support/tokens';

const INJECTION_SHAPED_NAME = "Robert'); DROP TABLE people;--\n[FAKE LOG] admin login";

/** What an attacker tries first: huge bodies, floods, hostile strings; and the headers a browser relies on. */
describe('API hardening', () => {
  const context = withSystemAndTeam();

  it('refuses a body over 256 kB with 413 in the error shape', async () => {
    const huge = { name: 'x'.repeat(300 * 1024) };
    const res = await api(context.system.baseUrl, 'POST', '/people', { token: context.team.admin, body: huge });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'The request body is too large.' });
  });

  it('sends security headers, no framework banner and no CORS grant', async () => {
    const res = await api(context.system.baseUrl, 'GET', '/health', { headers: { origin: 'https://evil.example.test' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const error = await api(context.system.baseUrl, 'GET', '/no-such-route', { token: context.team.admin });
    expect(error.status).toBe(404);
    expect(error.headers.get('x-powered-by')).toBeNull();
  });

  it('stores and returns an injection-shaped name verbatim, and the people table survives', async () => {
    const email = `bobby.tables.${randomUUID().slice(0, 6)}@example.test`;
    const created = await api(context.system.baseUrl, 'POST', '/people', {
      token: context.team.admin,
      body: { name: INJECTION_SHAPED_NAME, email, roles: ['officer'], organisation: 'police', rank: 'DC', unit: context.team.unit },
    });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(INJECTION_SHAPED_NAME);
    const read = await api(context.system.baseUrl, 'GET', `/people/${created.body.id}`, { token: context.team.admin });
    expect(read.status).toBe(200);
    expect(read.body.name).toBe(INJECTION_SHAPED_NAME);
    const [row] = await context.system.dataSource.query('SELECT name FROM people WHERE id = $1', [created.body.id]);
    expect(row.name).toBe(INJECTION_SHAPED_NAME);
    const [{ table }] = await context.system.dataSource.query(`SELECT to_regclass('public.people')::text AS table`);
    expect(table).toBe('people');
    const listed = await api(context.system.baseUrl, 'GET', `/people?unit=${context.team.unit}`, { token: context.team.admin });
    expect(listed.body.map((p: { name: string }) => p.name)).toContain(INJECTION_SHAPED_NAME);
  });

  describe('rate limiting', () => {
    let limited: RunningSystem;
    beforeAll(async () => {
      limited = await startSystem({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    });
    afterAll(() => limited?.stop());

    it('answers 429 in the error shape with Retry-After once a person exceeds the limit, and counts each person apart', async () => {
      const hurried = await tokenFor({ sub: randomUUID(), roles: ['admin'], unit: 'headquarters' });
      for (let i = 0; i < 5; i += 1) expect((await api(limited.baseUrl, 'GET', '/policy', { token: hurried })).status).toBe(200);
      const refused = await api(limited.baseUrl, 'GET', '/people', { token: hurried });
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Too many requests; wait a moment and try again.' });
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);

      const colleague = await tokenFor({ sub: randomUUID(), roles: ['admin'], unit: 'headquarters' });
      expect((await api(limited.baseUrl, 'GET', '/policy', { token: colleague })).status).toBe(200);
    });
  });

  describe('failed authentication', () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'precharge-auth-logs-')), 'app.log');
    // Each system counts on its own, so the missing-token burst starts from nothing even though every request here comes from one address.
    let badTokens: RunningSystem;
    let missingTokens: RunningSystem;
    beforeAll(async () => {
      process.env.LOG_DESTINATION = logFile;
      const env = { AUTH_FAILURES_PER_MINUTE: '5', LOG_LEVEL: 'info' };
      [badTokens, missingTokens] = await Promise.all([startSystem({ env }), startSystem({ env })]);
    });
    afterAll(async () => {
      await Promise.all([badTokens?.stop(), missingTokens?.stop()]);
      delete process.env.LOG_DESTINATION;
      rmSync(dirname(logFile), { recursive: true, force: true });
    });

    const logSize = () => statSync(logFile, { throwIfNoEntry: false })?.size ?? 0;
    const burstWarningsSince = (offset: number) => readFileSync(logFile).subarray(offset).toString('utf8').split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg?: string }).filter((line) => line.msg?.startsWith('failed authentication burst'));

    const expectTooManyFailures = (res: Awaited<ReturnType<typeof api>>) => {
      expect(res.status).toBe(429);
      expect(res.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Too many failed attempts to authenticate; wait a moment and try again.' });
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    };

    it('answers a burst of bad tokens 401 up to the limit, then 429 with Retry-After, and logs the burst once', async () => {
      const logOffset = logSize();
      const claimed = randomUUID();
      const forged = await tokenFor({ sub: claimed, roles: ['admin'], unit: 'headquarters' }, { secret: 'an attacker guessing the secret' });
      for (let i = 0; i < 5; i += 1) expect((await api(badTokens.baseUrl, 'GET', '/people', { token: forged })).status).toBe(401);
      for (const token of [forged, 'not-a-jwt', 'x'.repeat(2000)]) expectTooManyFailures(await api(badTokens.baseUrl, 'GET', '/people', { token }));
      expectTooManyFailures(await api(badTokens.baseUrl, 'GET', '/people'));
      // Public routes are not guarded at all.
      expect((await api(badTokens.baseUrl, 'GET', '/health')).status).toBe(200);

      const warnings = burstWarningsSince(logOffset);
      expect(warnings).toHaveLength(1);
      expect(warnings[0].level).toBe(40);
      expect(warnings[0].msg).toMatch(/from address \S*127\.0\.0\.1 and for subject #[0-9a-f]{12};/);
      expect(warnings[0].msg).not.toContain(claimed);
    });

    it('still lets a valid token through from the blocked address, while its failures stay refused', async () => {
      const admin = await tokenFor({ sub: randomUUID(), roles: ['admin'], unit: 'headquarters' });
      for (let i = 0; i < 3; i += 1) expect((await api(badTokens.baseUrl, 'GET', '/policy', { token: admin })).status).toBe(200);
      expectTooManyFailures(await api(badTokens.baseUrl, 'GET', '/policy', { token: 'not-a-jwt' }));
    });

    it('counts requests without a token the same way', async () => {
      const logOffset = logSize();
      for (let i = 0; i < 5; i += 1) expect((await api(missingTokens.baseUrl, 'POST', '/cases', { body: {} })).status).toBe(401);
      for (let i = 0; i < 3; i += 1) expectTooManyFailures(await api(missingTokens.baseUrl, 'POST', '/cases', { body: {} }));
      expectTooManyFailures(await api(missingTokens.baseUrl, 'GET', '/people', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }));
      expect(burstWarningsSince(logOffset)).toHaveLength(1);
    });
  });
});
