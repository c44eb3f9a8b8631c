import { randomUUID } from 'node:crypto';
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
});
