import { delay } from '../../bench/bench-support';
import { syntheticCase } from '../../scripts/demo/demo-api';
import { type DataFaultSystem, settled, startDataFaultSystem } from './support/data-system';

/**
 * PostgreSQL stopped (as if it crashed, then by a fast shutdown) and started again on its data directory and port
 * while cases are registered, their overdue clocks fire their steps (inbox tasks and emails) and commands are sent;
 * every request carries an Idempotency-Key and is sent again until answered, as a client would.
 */
const CASES = 8;
const CONTACTS = 4;

let s: DataFaultSystem;
beforeAll(async () => { s = await startDataFaultSystem('postgres'); }, 300_000);
afterAll(async () => { await s?.stop(); });

test('PostgreSQL restarted mid-run: no timeline event, projection or inbox task lost or doubled', async () => {
  const caseIds: string[] = [];
  let answered = 0;
  const work = (async () => {
    // Two lanes: registrations of cases reported a month ago (their clocks are overdue: steps fire at once), then
    // victim contacts, each its own key.
    await Promise.all([0, 1].map(async (lane) => {
      for (let n = lane; n < CASES; n += 2) {
        const reg = await s.retried('POST', '/cases', s.tokens.officer, syntheticCase(s.ids.officer, n, 30), `pg-register-${n}`);
        expect(reg.status).toBe(201);
        const caseId = reg.body.id as string;
        caseIds.push(caseId);
        answered += 1;
        for (let c = 0; c < CONTACTS; c += 1) {
          const contact = await s.retried('POST', `/cases/${caseId}/victim-contacts`, s.tokens.officer, { kind: 'routine-update', note: `Synthetic update ${c}` }, `pg-contact-${n}-${c}`);
          expect(contact.status).toBe(200);
          answered += 1;
        }
      }
    }));
  })();
  const total = CASES * (1 + CONTACTS);
  await Promise.race([until(() => answered >= total / 4), work]);
  await s.system.restart('postgres', { postgresMode: 'immediate', whileDown: () => delay(3000) });
  await Promise.race([until(() => answered >= total / 2), work]);
  await s.system.restart('postgres', { postgresMode: 'fast', whileDown: () => delay(3000) });
  await work;
  expect(caseIds).toHaveLength(CASES);

  const invariants = async () => {
    // The cases: one each, by URN (no second registration for a retried key).
    const [{ count }] = await s.db.query(`SELECT count(*)::int AS count FROM cases`);
    expect(count).toBe(CASES);
    for (const caseId of caseIds) {
      const view = await s.view(caseId);
      // Timeline: exactly the events expected, by kind, with sequence numbers 1..n (none lost, none twice).
      const events = (await s.db.query('SELECT seq, type, document_id FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId])) as { seq: number; type: string; document_id: string | null }[];
      expect(countBy(events.map((e) => e.type))).toEqual({ 'case-registered': 1, 'victim-contact-recorded': CONTACTS });
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 1 + CONTACTS }, (_, i) => i + 1));
      // Every command's document is there.
      const documents = events.filter((e) => e.document_id).map((e) => e.document_id);
      expect(documents).toHaveLength(CONTACTS);
      const [{ stored }] = await s.db.query('SELECT count(*)::int AS stored FROM case_documents WHERE id = ANY($1)', [documents]);
      expect(stored).toBe(CONTACTS);
      // Projections: the case row, its live state and its clocks as the workflow has them.
      const [row] = await s.db.query('SELECT stage, live_seq FROM cases WHERE id = $1', [caseId]);
      expect(row).toEqual({ stage: view.stage, live_seq: 1 + CONTACTS });
      const clocks = (await s.db.query('SELECT key, steps_fired, status FROM case_clocks WHERE case_id = $1 ORDER BY key', [caseId])) as { key: string; steps_fired: number; status: string }[];
      expect(clocks.map((c) => ({ key: c.key, stepsFired: c.steps_fired }))).toEqual(view.clocks.map((c) => ({ key: c.key, stepsFired: c.stepsFired })).sort((a, b) => a.key.localeCompare(b.key)));
      // Inbox tasks: one per fired step per person told, for exactly the steps the workflow fired.
      const tasks = (await s.db.query('SELECT clock_key, step, person_id, count(*)::int AS n FROM tasks WHERE case_id = $1 GROUP BY 1, 2, 3', [caseId])) as { clock_key: string; step: number; person_id: string; n: number }[];
      expect(tasks.filter((t) => t.n !== 1)).toEqual([]);
      const fired = view.clocks.flatMap((c) => c.firings.filter((f) => f.to.length).map((f) => `${c.key}#${f.step}`)).sort();
      expect([...new Set(tasks.map((t) => `${t.clock_key}#${t.step}`))].sort()).toEqual(fired);
    }
    // Every email the steps and commands owed went out.
    const unsent = await s.db.query(`SELECT key, status FROM outbound_emails WHERE status <> 'sent'`);
    expect(unsent).toEqual([]);
  };
  await settled(invariants);
  // Still so a little later: nothing arrives twice after the fact.
  await delay(5000);
  await invariants();
  const [{ fired }] = await s.db.query('SELECT count(*)::int AS fired FROM tasks');
  expect(fired).toBeGreaterThan(0);
  expect(s.crashed).toEqual([]);
});

async function until(done: () => boolean): Promise<void> {
  while (!done()) await delay(100);
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
