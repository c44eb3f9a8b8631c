import { delay } from '../../bench/bench-support';
import { syntheticCase } from '../../scripts/demo/demo-api';
import { startTcpProxy, type TcpProxy } from '../../scripts/stack/tcp-proxy';
import { type DataFaultSystem, logTail, settled, startDataFaultSystem } from './support/data-system';

/**
 * Faults of the data path, on one whole system (PostgreSQL, Temporal's dev server, the SMTP catcher, the worker and the
 * API as processes of their own): the API killed between a client's tries of one Idempotency-Key; the API's connection
 * to Temporal lost in the middle of a command's Update; PostgreSQL restarted while cases are registered, their clocks
 * fire and commands are sent. Each names its invariant and checks it at the end. One system for the three: starting
 * one takes minutes on a loaded two-core machine. The API reaches Temporal through a TCP proxy from the second on.
 */
let s: DataFaultSystem;
let proxy: TcpProxy | undefined;
const year = String(new Date().getUTCFullYear()).slice(2);
const urn = (n: number) => `01DM${String(90000 + n)}${year}`;

beforeAll(async () => { s = await startDataFaultSystem('data'); }, 900_000);
afterEach(() => {
  // What the worker and the API said, when one of them died (or always, with FAULTS_LOG=1).
  if (s?.crashed.length || process.env.FAULTS_LOG === '1') console.error(`crashed: ${s?.crashed.join(', ') || 'none'}\n${logTail(s.system.log)}`);
});
afterAll(async () => {
  await s?.stop();
  await proxy?.close();
});

test('API restarted between retries of one Idempotency-Key: exactly one case for the key', async () => {
  // A retry sends the very same body (its report time included): the same key with another body is refused (422).
  const bodies = new Map<number, ReturnType<typeof syntheticCase>>();
  const registration = (n: number) => bodies.get(n) ?? bodies.set(n, syntheticCase(s.ids.officer, n, 1, urn(n))).get(n)!;
  const register = (n: number, key: string) => s.request('POST', '/cases', s.tokens.officer, registration(n), key);
  const answers: Record<string, string> = {};

  // Down when the first try is sent: it never arrives; the retry makes the case.
  await s.system.restart('api', { whileDown: async () => expect(await register(1, 'api-restart-before')).toBeUndefined() });
  answers.before = (await s.retried('POST', '/cases', s.tokens.officer, registration(1), 'api-restart-before')).body.id as string;

  // Killed mid-request: the key and the parties recorded, the case workflow being started (the worker paused, so
  // the request waits inside the API), no answer yet.
  const worker = s.system.worker.pid!;
  process.kill(worker, 'SIGSTOP');
  let resumed = false;
  try {
    const first = register(2, 'api-restart-during');
    await settled(async () => expect(await s.db.query('SELECT 1 FROM idempotency_keys WHERE key = $1', ['api-restart-during'])).toHaveLength(1), 120_000);
    await delay(500);
    await s.system.restart('api', {
      whileDown: async () => {
        expect(await first).toBeUndefined();
        process.kill(worker, 'SIGCONT');
        resumed = true;
      },
    });
  } finally {
    if (!resumed) process.kill(worker, 'SIGCONT');
  }
  answers.during = (await s.retried('POST', '/cases', s.tokens.officer, registration(2), 'api-restart-during')).body.id as string;

  // Answered, then the API restarted: the retry answers with the same case.
  const answered = await s.retried('POST', '/cases', s.tokens.officer, registration(3), 'api-restart-after');
  expect(answered.status).toBe(201);
  await s.system.restart('api');
  answers.after = (await s.retried('POST', '/cases', s.tokens.officer, registration(3), 'api-restart-after')).body.id as string;
  expect(answers.after).toBe(answered.body.id);

  // One case per key: in the key's record, the projection, the parties and Temporal's workflows.
  for (const [when, n] of [['before', 1], ['during', 2], ['after', 3]] as const) {
    const [{ resource_id: recorded }] = await s.db.query('SELECT resource_id FROM idempotency_keys WHERE key = $1', [`api-restart-${when}`]);
    expect({ when, id: answers[when] }).toEqual({ when, id: recorded });
    expect(await s.db.query('SELECT id FROM cases WHERE urn = $1', [urn(n)])).toEqual([{ id: recorded }]);
    expect(await s.db.query(`SELECT case_id FROM case_parties WHERE kind = 'victim' AND name = $1`, [registration(n).victim.name])).toEqual([{ case_id: recorded }]);
    expect(await s.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'case-registered'`, [recorded])).toEqual([{ n: 1 }]);
    expect((await s.view(recorded)).registered).toBe(true);
  }
  // Temporal's list is eventually consistent; every request has finished, so no workflow is still to come.
  await settled(async () => {
    let workflows = 0;
    for await (const execution of s.temporal.workflow.list({ query: `WorkflowType = 'caseWorkflow'` })) if (execution.workflowId) workflows += 1;
    expect(workflows).toBe(3);
  }, 30_000);
  expect(s.crashed).toEqual([]);
}, 900_000);

test('API\'s connection to Temporal lost mid-Update: the command happened with its document, or not at all; a retry with its Idempotency-Key gives the one result', async () => {
  proxy = await startTcpProxy(s.system.temporalAddress);
  await s.system.restart('api', { env: { TEMPORAL_ADDRESS: proxy.address } });
  const p = proxy;
  const caseId = (await s.retried('POST', '/cases', s.tokens.officer, syntheticCase(s.ids.officer, 20, 1, urn(20)), 'temporal-lost-register')).body.id as string;
  const events = (type: string) => s.db.query('SELECT seq, document_id, data FROM case_events WHERE case_id = $1 AND type = $2', [caseId, type]) as Promise<{ seq: number; document_id: string | null; data: Record<string, unknown> }[]>;
  const stored = async (documentId: string | null) => documentId !== null && (await s.db.query('SELECT 1 FROM case_documents WHERE id = $1', [documentId])).length === 1;
  /** Loses the connection for good (until `restore`): the API's client retries the same Update id until it gives up. */
  const lose = () => { p.refuse(true); p.cut(); p.mode = 'pass'; };

  // Accepted, its answer lost: Temporal gets the Update, the case records it, the reply never reaches the API.
  const advice = {
    summary: 'Synthetic: reported two weeks after the event; suspect known to the victim.', linesOfInquiry: ['Phone download requested'],
    issues: ['Consent disputed'], questions: ['Is the GP record third-party material necessary and proportionate?'],
  };
  p.mode = 'hold-replies';
  const accepted = s.request('POST', `/cases/${caseId}/early-advice`, s.tokens.officer, advice, 'temporal-lost-accepted');
  // (An answer before the cut would mean the reply was not held: the scenario did not happen.)
  const early = accepted.then((a) => { throw new Error(`answered before the cut: ${a?.status} ${JSON.stringify(a?.body)}`); });
  await Promise.race([settled(async () => expect(await events('early-advice-requested')).toHaveLength(1), 180_000), early]);
  lose();
  const unconfirmed = await accepted;
  p.refuse(false);
  expect(unconfirmed?.status).toBe(503);
  // It happened, with its document.
  const [requested] = await events('early-advice-requested');
  expect(await stored(requested.document_id)).toBe(true);
  // The retry answers with that one result, and records nothing twice.
  const again = await s.retried('POST', `/cases/${caseId}/early-advice`, s.tokens.officer, advice, 'temporal-lost-accepted');
  expect(again.status).toBe(201);
  expect(again.body.requestId).toBe(requested.data.requestId);
  expect(await events('early-advice-requested')).toEqual([requested]);

  // Never arrived: the Update's bytes swallowed, then the connection lost.
  const contact = { kind: 'routine-update', note: 'Synthetic: told of the advice request.' };
  const before = p.dropped;
  p.mode = 'drop-requests';
  const lost = s.request('POST', `/cases/${caseId}/victim-contacts`, s.tokens.officer, contact, 'temporal-lost-never');
  await settled(async () => expect(p.dropped - before).toBeGreaterThan(200), 120_000);
  lose();
  const unknown = await lost;
  p.refuse(false);
  expect(unknown?.status).toBe(503);
  // Not at all: the case has no such event.
  expect(await events('victim-contact-recorded')).toEqual([]);
  // The retry makes it happen, once, with its document.
  const retried = await s.retried('POST', `/cases/${caseId}/victim-contacts`, s.tokens.officer, contact, 'temporal-lost-never');
  expect(retried.status).toBe(200);
  const contacts = await events('victim-contact-recorded');
  expect(contacts).toHaveLength(1);
  expect(await stored(contacts[0].document_id)).toBe(true);
  // And again: still one.
  expect((await s.retried('POST', `/cases/${caseId}/victim-contacts`, s.tokens.officer, contact, 'temporal-lost-never')).status).toBe(200);
  expect(await events('victim-contact-recorded')).toEqual(contacts);
  expect(s.crashed).toEqual([]);
}, 900_000);

test('PostgreSQL restarted mid-run: no timeline event, projection or inbox task lost or doubled', async () => {
  const CASES = 6;
  const CONTACTS = 3;
  const caseIds: string[] = [];
  let answered = 0;
  // Two lanes: cases reported a month ago (their clocks are overdue, so steps fire at once), then victim contacts;
  // every request has its own Idempotency-Key and is sent again until answered, as a client would.
  const work = Promise.all([0, 1].map(async (lane) => {
    for (let n = 40 + lane; n < 40 + CASES; n += 2) {
      const reg = await s.retried('POST', '/cases', s.tokens.officer, syntheticCase(s.ids.officer, n, 30, urn(n)), `pg-register-${n}`, 600_000);
      expect(reg.status).toBe(201);
      caseIds.push(reg.body.id as string);
      answered += 1;
      for (let c = 0; c < CONTACTS; c += 1) {
        const contact = await s.retried('POST', `/cases/${reg.body.id as string}/victim-contacts`, s.tokens.officer, { kind: 'routine-update', note: `Synthetic update ${c}` }, `pg-contact-${n}-${c}`, 600_000);
        expect(contact.status).toBe(200);
        answered += 1;
      }
    }
  }));
  const total = CASES * (1 + CONTACTS);
  const until = async (count: number) => { while (answered < count) await Promise.race([delay(100), work]); };
  await until(total / 4);
  await s.system.restart('postgres', { postgresMode: 'immediate', whileDown: () => delay(3000) });
  await until(total / 2);
  await s.system.restart('postgres', { postgresMode: 'fast', whileDown: () => delay(3000) });
  await work;
  expect(caseIds).toHaveLength(CASES);

  const invariants = async () => {
    for (const caseId of caseIds) {
      const view = await s.view(caseId);
      // Timeline: exactly the events expected, by kind, numbered 1..n (none lost, none twice), each command's document stored.
      const events = (await s.db.query('SELECT seq, type, document_id FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId])) as { seq: number; type: string; document_id: string | null }[];
      expect(countBy(events.map((e) => e.type))).toEqual({ 'case-registered': 1, 'victim-contact-recorded': CONTACTS });
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 1 + CONTACTS }, (_, i) => i + 1));
      const documents = events.filter((e) => e.document_id).map((e) => e.document_id);
      expect(await s.db.query('SELECT count(*)::int AS n FROM case_documents WHERE id = ANY($1)', [documents])).toEqual([{ n: CONTACTS }]);
      // Projections: the case row, its live state and its clocks as the workflow has them.
      expect(await s.db.query('SELECT stage, live_seq FROM cases WHERE id = $1', [caseId])).toEqual([{ stage: view.stage, live_seq: 1 + CONTACTS }]);
      const clocks = (await s.db.query('SELECT key, steps_fired FROM case_clocks WHERE case_id = $1 ORDER BY key', [caseId])) as { key: string; steps_fired: number }[];
      expect(clocks.map((c) => ({ key: c.key, stepsFired: c.steps_fired }))).toEqual(view.clocks.map((c) => ({ key: c.key, stepsFired: c.stepsFired })).sort((a, b) => a.key.localeCompare(b.key)));
      // Inbox tasks: one per step per arming of a clock per person told (a victim contact re-arms its clock), and for
      // each clock's current arming exactly the steps the workflow fired to someone.
      const tasks = (await s.db.query(
        `SELECT clock_key, split_part(dedupe_key, ':step-', 1) AS arming, step, person_id, count(*)::int AS n FROM tasks WHERE case_id = $1 GROUP BY 1, 2, 3, 4`, [caseId],
      )) as { clock_key: string; arming: string; step: number; person_id: string; n: number }[];
      expect(tasks.filter((t) => t.n !== 1)).toEqual([]);
      const current = new Set(view.clocks.map((c) => `${c.key}:${c.startedAt}`));
      const fired = view.clocks.flatMap((c) => c.firings.filter((f) => f.to.length).map((f) => `${c.key}#${f.step}`)).sort();
      expect([...new Set(tasks.filter((t) => current.has(t.arming.slice(t.arming.indexOf(':clock:') + ':clock:'.length))).map((t) => `${t.clock_key}#${t.step}`))].sort()).toEqual(fired);
    }
    // Every email owed went out.
    expect(await s.db.query(`SELECT key, status FROM outbound_emails WHERE status <> 'sent'`)).toEqual([]);
  };
  await settled(invariants, 300_000);
  // Still so a little later: nothing arrives twice after the fact.
  await delay(5000);
  await invariants();
  expect(await s.db.query('SELECT count(*)::int AS n FROM tasks WHERE case_id = ANY($1)', [caseIds])).not.toEqual([{ n: 0 }]);
  expect(s.crashed).toEqual([]);
}, 900_000);

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
