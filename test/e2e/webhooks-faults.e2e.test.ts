import { Webhook } from 'standardwebhooks';
import { caseBody, createForceAdmin, createTeam, type Member, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';
import { WebhookReceiver } from '../support/webhook-receiver';
import { startWorkerProcess } from '../support/worker-process';

/** Loopback only, quick retries, a 1 s deadline per attempt, failing after 2 s without a success. */
const ENV = { WEBHOOK_DESTINATIONS: 'loopback', WEBHOOK_RETRY_INITIAL: 'PT0.2S', WEBHOOK_RETRY_MAX: 'PT1S', WEBHOOK_TIMEOUT: 'PT1S', WEBHOOK_FAILING_AFTER: 'PT2S', WEBHOOK_CONCURRENCY: '4' };

/** A few cases, each with a registration and a command or two: several events per case, several cases at once. */
async function someCases(baseUrl: string, team: Team, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const kase = await api(baseUrl, 'POST', '/cases', { token: team.officer.token, body: caseBody({ unit: team.unit, officerId: team.officer.id }) });
    expect(kase.status).toBe(201);
    ids.push(kase.body.id);
    const contact = await api(baseUrl, 'POST', `/cases/${kase.body.id}/victim-contacts`, { token: team.officer.token, body: { kind: 'routine-update', note: 'Synthetic update given.' } });
    expect(contact.status).toBeLessThan(300);
    if (i % 2 === 0) expect((await api(baseUrl, 'POST', `/cases/${kase.body.id}/early-advice/not-sought`, { token: team.officer.token, body: { reason: 'Synthetic: not needed.' } })).status).toBeLessThan(300);
  }
  return ids;
}

/**
 * Every event of the cases arrived, each case's in order of first receipt (a later event never before an earlier one),
 * and anything received twice came with the same webhook-id, the same body and a valid signature.
 */
async function expectAllDeliveredInOrder(system: RunningSystem, receiver: WebhookReceiver, caseIds: string[], secret: string): Promise<void> {
  const outbox = async () => (await system.dataSource.query('SELECT id, case_id, case_seq FROM webhook_events WHERE case_id = ANY($1) ORDER BY case_id, case_seq', [caseIds])) as { id: string; case_id: string; case_seq: number }[];
  await eventually(async () => {
    const expected = await outbox();
    return expected.every((e) => receiver.received.some((r) => r.webhookId === e.id)) && expected.length;
  }, 90_000);
  const expected = await outbox();
  for (const caseId of caseIds) {
    expect(receiver.firstReceipts(caseId).map((r) => r.webhookId)).toEqual(expected.filter((e) => e.case_id === caseId).map((e) => e.id));
  }
  const byId = new Map<string, string>();
  for (const r of receiver.received.filter((x) => caseIds.includes(x.event.subject))) {
    expect(byId.get(r.webhookId) ?? r.body).toBe(r.body);
    byId.set(r.webhookId, r.body);
    expect(new Webhook(secret).verify(r.body, r.headers)).toEqual(r.event);
  }
}

describe('webhook delivery when the receiver is down', () => {
  let system: RunningSystem;
  let team: Team;
  let forceAdmin: Member;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    system = await startSystem({ env: ENV });
    team = await createTeam(system.baseUrl);
    forceAdmin = await createForceAdmin(system.baseUrl, team);
    await receiver.up();
  }, 120_000);
  afterAll(async () => { await receiver.down(); await system?.stop(); });

  it('refused, then 500s, then too slow, then back: everything arrives in order per case, none lost, repeats only with their webhook-id', async () => {
    const created = await api(system.baseUrl, 'POST', '/webhooks', { token: forceAdmin.token, body: { url: receiver.url, events: ['case.*'] } });
    expect(created.status).toBe(201);
    expect(created.body.forceId).toBe(team.forceId); // a force's administrator subscribes to their force's cases
    const { id, secret } = created.body as { id: string; secret: string };
    const attempts = async (error: RegExp) => ((await system.dataSource.query('SELECT error FROM webhook_attempts WHERE subscription_id = $1', [id])) as { error: string | null }[])
      .filter((a) => a.error && error.test(a.error)).length;

    try {
      await receiver.down();
      const caseIds = await someCases(system.baseUrl, team, 4);
      await eventually(async () => (await attempts(/ECONNREFUSED/)) >= 4);
      await receiver.up();
      receiver.mode = 'error';
      caseIds.push(...await someCases(system.baseUrl, team, 2));
      // Until the first case's first event, retried on its own back-off, has met a 500 too (its history is checked below).
      const firstMet500 = async () => ((await system.dataSource.query(
        `SELECT 1 FROM webhook_attempts a JOIN webhook_events e ON e.position = a.event_position WHERE a.subscription_id = $1 AND e.case_id = $2 AND e.case_seq = 1 AND a.error LIKE '%HTTP 500%'`,
        [id, caseIds[0]],
      )) as unknown[]).length > 0;
      await eventually(async () => (await attempts(/HTTP 500/)) >= 4 && firstMet500());
      receiver.mode = 'slow';
      await eventually(async () => (await attempts(/timed out/)) >= 2);

      // Failing for longer than WEBHOOK_FAILING_AFTER: marked, and its administrator told (the mail path, once).
      await eventually(async () => (await api(system.baseUrl, 'GET', `/webhooks/${id}`, { token: forceAdmin.token })).body.status === 'failing', 30_000);
      const alerts = await eventually(async () => { const m = (await mailTo(forceAdmin.email)).filter((x) => x.subject === 'Webhook subscription failing'); return m.length > 0 && m; });
      expect(alerts).toHaveLength(1);
      expect(alerts[0].text).toContain(id);

      // Nothing was delivered while it was down, and a later event of a case never went before an earlier one.
      const delivered = (await system.dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 AND status = 'delivered'`, [id]))[0].n;
      expect(delivered).toBe(0);
      for (const caseId of caseIds) {
        const seen = receiver.received.filter((r) => r.event.subject === caseId).map((r) => r.event.data.sequence as number);
        expect(seen.every((s) => s === 1)).toBe(true);
      }

      receiver.mode = 'ok';
      await expectAllDeliveredInOrder(system, receiver, caseIds, secret);
      const after = await api(system.baseUrl, 'GET', `/webhooks/${id}`, { token: forceAdmin.token });
      expect(after.body).toMatchObject({ status: 'active', failingSince: null });
      expect(receiver.received.filter((r) => caseIds.includes(r.event.subject)).length).toBeGreaterThan((await system.dataSource.query('SELECT count(*)::int AS n FROM webhook_events WHERE case_id = ANY($1)', [caseIds]))[0].n);
      const history = await api(system.baseUrl, 'GET', `/webhooks/${id}/deliveries?caseId=${caseIds[0]}`, { token: forceAdmin.token });
      const first = history.body.items.at(-1);
      expect(first.attempts.map((a: { error: string | null }) => a.error)).toEqual(expect.arrayContaining([expect.stringMatching(/ECONNREFUSED/), expect.stringMatching(/HTTP 500/), null]));
      expect(first.attempts.at(-1)).toMatchObject({ succeeded: true, statusCode: 204 });
    } finally {
      await api(system.baseUrl, 'DELETE', `/webhooks/${id}`, { token: forceAdmin.token });
    }
  }, 240_000);
});

describe('webhook delivery when the dispatcher is killed mid-delivery', () => {
  let system: RunningSystem;
  let team: Team;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    system = await startSystem({ worker: false, env: ENV });
    team = await createTeam(system.baseUrl);
    await receiver.up();
  }, 120_000);
  afterAll(async () => { await receiver.down(); await system?.stop(); });

  it('loses nothing and keeps each case\'s order after a restart', async () => {
    const created = await api(system.baseUrl, 'POST', '/webhooks', { token: team.admin, body: { url: receiver.url, events: ['case.*'], forceId: team.forceId } });
    expect(created.status).toBe(201);
    const { id, secret } = created.body as { id: string; secret: string };
    const first = startWorkerProcess(ENV);
    let second: ReturnType<typeof startWorkerProcess> | undefined;
    try {
      await first.ready;
      receiver.mode = 'hold';
      const caseIds = await someCases(system.baseUrl, team, 4);
      // The dispatcher has requests in flight, unanswered: killed now, as a host dies.
      await eventually(async () => receiver.heldCount >= 2);
      await first.kill();
      const held = receiver.received.filter((r) => caseIds.includes(r.event.subject)).map((r) => r.webhookId);
      receiver.release();
      receiver.mode = 'ok';

      second = startWorkerProcess(ENV);
      await second.ready;
      caseIds.push(...await someCases(system.baseUrl, team, 1));
      await expectAllDeliveredInOrder(system, receiver, caseIds, secret);
      // What was in flight at the kill was sent again, with the same webhook-id.
      for (const webhookId of held) expect(receiver.received.filter((r) => r.webhookId === webhookId).length).toBeGreaterThanOrEqual(2);
    } finally {
      await first.kill();
      await second?.kill();
      await api(system.baseUrl, 'DELETE', `/webhooks/${id}`, { token: team.admin });
    }
  }, 240_000);
});
