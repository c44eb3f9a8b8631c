import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../scripts/stack/ports';
import { caseBody, caseWithOneAction, createTeam, SYNTHETIC_SUSPECT, SYNTHETIC_VICTIM, type Team } from '../support/fixtures';
import { parsePrometheus, sampleValue } from '../support/prometheus';
import { api, eventually, type RunningSystem, startSystem } from '../support/system';
import { startWorkerProcess } from '../support/worker-process';

/** Writes what an endpoint answered to test/output, to be quoted. */
function keep(file: string, text: string): void {
  const dir = join(__dirname, '..', 'output');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), text);
}

/** GET /api/metrics as Prometheus would scrape it, with extra headers. */
async function scrape(system: RunningSystem, headers: Record<string, string> = {}) {
  const res = await fetch(`${system.baseUrl}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/**
 * The operations endpoints on the real stack: the API's /api/metrics (business gauges counted from PostgreSQL as cases
 * move, the HTTP histogram by route template, who may scrape) and the worker's SDK metrics endpoint.
 */
describe('GET /api/metrics with METRICS_TOKEN', () => {
  const token = randomBytes(24).toString('hex');
  let system: RunningSystem;
  let team: Team;
  const gauges = async () => {
    const res = await scrape(system, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    return parsePrometheus(res.text);
  };

  beforeAll(async () => {
    system = await startSystem({ policyFile: join(__dirname, '..', 'fixtures', 'fast-policy.json'), env: { METRICS_TOKEN: token } });
    team = await createTeam(system.baseUrl);
  }, 240_000);
  afterAll(() => system?.stop());

  it('answers the token only: not without it, not a wrong one, not a person\'s bearer token', async () => {
    expect((await scrape(system)).status).toBe(401);
    expect((await scrape(system, { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await scrape(system, { authorization: `Bearer ${team.admin}` })).status).toBe(401);
    const ok = await scrape(system, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(ok.text).toContain('# TYPE process_cpu_user_seconds_total counter');
    for (const name of ['precharge_open_cases', 'precharge_overdue_items', 'precharge_escalations_unacknowledged', 'precharge_emails_failing', 'precharge_http_request_duration_seconds']) {
      expect(ok.text).toContain(`# TYPE ${name} `);
    }
  });

  it('counts open cases by stage as cases are registered, and times requests by route template, never the URL', async () => {
    const before = await gauges();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await api(system.baseUrl, 'POST', '/cases', { token: team.officer.token, body: caseBody({ unit: team.unit, officerId: team.officer.id }) });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const read = await api(system.baseUrl, 'GET', `/cases/${ids[0]}`, { token: team.officer.token });
    const stage: string = read.body.stage;
    const after = await gauges();
    expect(sampleValue(after, 'precharge_open_cases', { stage })).toBe(sampleValue(before, 'precharge_open_cases', { stage }) + 2);

    const text = (await scrape(system, { authorization: `Bearer ${token}` })).text;
    const reads = parsePrometheus(text).filter((s) => s.name === 'precharge_http_request_duration_seconds_count' && s.labels.route === '/api/cases/:id' && s.labels.method === 'GET');
    expect(reads).toEqual([expect.objectContaining({ labels: { method: 'GET', route: '/api/cases/:id', status: '200' } })]);
    expect(sampleValue(parsePrometheus(text), 'precharge_http_request_duration_seconds_count', { method: 'POST', route: '/api/cases', status: '201' })).toBeGreaterThanOrEqual(2);
    // Refusals are timed too (the guard answers before any handler), under their route.
    expect(sampleValue(parsePrometheus(text), 'precharge_http_request_duration_seconds_count', { method: 'GET', route: '/api/metrics', status: '401' })).toBeGreaterThanOrEqual(3);
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).not.toContain(team.unit);
    expect(text).not.toContain(SYNTHETIC_VICTIM);
    expect(text).not.toContain(SYNTHETIC_SUSPECT);
  });

  it('shows an overdue action in the overdue gauge, its escalation until it is acknowledged', async () => {
    const overdueBefore = sampleValue(await gauges(), 'precharge_overdue_items', { clock: 'actionPlan.item' });
    const { caseId } = await caseWithOneAction(system.baseUrl, team, 1_000);
    // Other cases' clocks (registered as reported days ago) escalate meanwhile: the gauge, less their escalations read
    // from the tasks at the same moment, is this case's, retried until a scrape and the read agree.
    const others = async () => (await system.dataSource.query(
      `SELECT count(DISTINCT clock_key)::int AS n FROM tasks WHERE kind = 'escalation' AND status = 'open' AND case_id <> $1`, [caseId],
    ) as { n: number }[])[0].n;
    const mine = async () => {
      const before = await others();
      const gauge = sampleValue(await gauges(), 'precharge_escalations_unacknowledged');
      return before === await others() ? gauge - before : undefined;
    };
    // Under the fast policy the action is due in a second and escalates to the DS two seconds later.
    await eventually(async () => sampleValue(await gauges(), 'precharge_overdue_items', { clock: 'actionPlan.item' }) >= overdueBefore + 1, 30_000);
    const escalation = await eventually(async () => {
      const open = (await api(system.baseUrl, 'GET', '/escalations?mine=true', { token: team.ds.token })).body as { id: string; caseId: string }[];
      return open.find((t) => t.caseId === caseId);
    }, 30_000);
    await eventually(async () => (await mine()) === 1, 20_000);
    expect((await api(system.baseUrl, 'POST', `/escalations/${escalation.id}/acknowledge`, { token: team.ds.token })).status).toBe(200);
    await eventually(async () => (await mine()) === 0, 20_000);
    // Acknowledged is not done: the action is still overdue.
    expect(sampleValue(await gauges(), 'precharge_overdue_items', { clock: 'actionPlan.item' })).toBeGreaterThanOrEqual(overdueBefore + 1);
    const text = (await scrape(system, { authorization: `Bearer ${token}` })).text;
    keep('api-metrics.txt', text.split('\n').filter((l) => /^(# (HELP|TYPE) )?precharge_(open|overdue|escalations|emails)/.test(l) || /^precharge_http_request_duration_seconds_count/.test(l)).join('\n'));
  });
});

describe('GET /api/metrics without METRICS_TOKEN', () => {
  let system: RunningSystem;

  // No worker: only the API's answer to who may scrape is in question here.
  beforeAll(async () => { system = await startSystem({ worker: false, env: { TRUST_PROXY: 'loopback' } }); }, 240_000);
  afterAll(() => system?.stop());

  it('answers callers on this machine only: not through a proxy, not from another address', async () => {
    expect((await scrape(system)).status).toBe(200);
    // Through a proxy on this machine (trusted), from another address; and any forwarded request.
    const remote = await scrape(system, { 'x-forwarded-for': '203.0.113.9' });
    expect({ status: remote.status, text: remote.text }).toEqual({ status: 403, text: expect.stringContaining('METRICS_TOKEN') });
    expect((await scrape(system, { 'x-forwarded-for': '127.0.0.1' })).status).toBe(403);
    expect((await scrape(system, { forwarded: 'for=127.0.0.1' })).status).toBe(403);
  });

  // The worker's side (attempts and failures counted on the outbox row while the relay refuses) is the SMTP-down fault
  // test's (npm run test:faults); here, that such a row is what the gauge counts, and a sent one is not.
  it('counts emails still pending after a failed retry, and not once they are sent', async () => {
    const failing = async () => sampleValue(parsePrometheus((await scrape(system)).text), 'precharge_emails_failing');
    const before = await failing();
    const [{ id: recipient }]: { id: string }[] = await system.dataSource.query('SELECT id FROM people LIMIT 1');
    const key = `metrics-test:${randomBytes(8).toString('hex')}`;
    await system.dataSource.query(
      `INSERT INTO outbound_emails (key, case_id, recipient_id, template, status, message_id, attempts, failures) VALUES ($1, NULL, $2, 'test', 'pending', $1, 2, 2)`,
      [key, recipient],
    );
    try {
      expect(await failing()).toBe(before + 1);
      await system.dataSource.query(`UPDATE outbound_emails SET status = 'sent', sent_at = now() WHERE key = $1`, [key]);
      expect(await failing()).toBe(before);
    } finally {
      await system.dataSource.query('DELETE FROM outbound_emails WHERE key = $1', [key]);
    }
  });
});

describe("the worker's metrics endpoint (WORKER_METRICS_ADDRESS)", () => {
  it("serves the Temporal SDK's metrics for Prometheus at the address it is given", async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const worker = startWorkerProcess({ WORKER_METRICS_ADDRESS: address });
    try {
      await worker.ready;
      const samples = await eventually(async () => {
        const res = await fetch(`http://${address}/metrics`);
        const found = parsePrometheus(await res.text());
        return res.status === 200 && found.some((s) => s.name.startsWith('temporal_request')) && found.some((s) => s.name === 'temporal_worker_task_slots_available') && found;
      }, 30_000);
      const names = new Set(samples.map((s) => s.name));
      keep('worker-metrics-names.txt', `${[...names].sort().join('\n')}\n`);
      expect([...names].filter((n) => n.startsWith('temporal_')).length).toBeGreaterThan(5);
      expect(samples.find((s) => s.name === 'temporal_worker_task_slots_available' && s.labels.worker_type === 'WorkflowWorker')?.labels).toMatchObject({ task_queue: 'precharge' });
    } finally {
      await worker.kill();
    }
  }, 240_000);
});
