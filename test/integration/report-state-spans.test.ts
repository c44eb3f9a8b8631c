import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { refreshReportStates } from '../../activities/reports/report-states';
import { createDataSource, migrations } from '../../db/data-source';
import { ReportStateSpans1766000000000 } from '../../db/migrations/1766000000000-report-state-spans';
import { scratchDatabase } from '../support/scratch-database';

/**
 * The states a report reads at a period's end, kept per case as spans (migration 1766000000000): an action's spans
 * follow its plan's due date, a re-dating, a pause and its completion; a suspect's bail holds until the charge; a
 * span is (the entry that began it, the next one]; a case moved to another unit takes its spans along; recomputing
 * the case replaces its spans; and the migration reverts cleanly.
 */
describe('the report state spans', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: DataSource;

  beforeAll(async () => {
    scratch = await scratchDatabase('precharge_state_spans');
    db = await createDataSource(scratch.url, 'state-spans-test').initialize();
    await db.runMigrations();
  });
  afterAll(async () => {
    await db?.destroy();
    await scratch?.drop();
  });

  it('holds each state of an action and a suspect from the entry that began it to the next', async () => {
    await db.query(`INSERT INTO forces (id, code, name) VALUES ('spans-force', '43', 'Spans force')`);
    await db.query(`INSERT INTO units (id, name, organisation, force_id) VALUES ('spans-a', 'A', 'police', 'spans-force'), ('spans-b', 'B', 'police', 'spans-force')`);
    const officer = randomUUID();
    await db.query(`INSERT INTO people (id, name, email, roles, organisation, rank, unit, force_id) VALUES ($1, 'Synthetic DC', 'dc.spans@example.invalid', '{officer}', 'police', 'DC', 'spans-a', 'spans-force')`, [officer]);
    const caseId = randomUUID();
    await db.query(
      `INSERT INTO cases (id, urn, stage, unit, force_id, officer_id, offence_type, penetrative, committed_from, reported_at, enhanced_rights, suspect_count, policy_version, workflow_id, last_event_seq)
       VALUES ($1, '43SP0000125', 'charged', 'spans-a', 'spans-force', $2, 'rape', true, '2025-01-01', '2025-01-02T09:00:00Z', false, 1, 'v', $3, 9)`, [caseId, officer, `case-${caseId}`]);
    const [plan, a1, a2, doc, suspect] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await db.query(`INSERT INTO case_documents (id, case_id, kind, body, author_id, force_id) VALUES ($1, $2, 'early-advice', $3, $4, 'spans-force')`,
      [doc, caseId, JSON.stringify({ actionPlan: { actions: [{ actionId: a1, dueAt: '2025-02-01T00:00:00Z' }, { actionId: a2, dueAt: '2025-02-10T00:00:00Z' }] } }), officer]);
    await db.query(`INSERT INTO case_items (id, case_id, kind, parent_id, status, owner, due_at, data, updated_seq) VALUES
      ($1, $3, 'action', $4, 'done', 'police', '2025-03-01T00:00:00Z', '{}', 9), ($2, $3, 'action', $4, 'open', 'cps', '2025-02-10T00:00:00Z', '{}', 9)`, [a1, a2, caseId, plan]);
    const events: [number, string, string, Record<string, unknown>, string | null][] = [
      [2, 'bail-recorded', '2025-01-05T10:00:00Z', { suspectId: suspect, expiresAt: '2025-04-05T10:00:00Z', extensions: 0 }, null],
      [3, 'early-advice-recorded', '2025-01-10T10:00:00Z', { actionPlanId: plan }, doc],
      [4, 'clock-paused', '2025-01-20T10:00:00Z', { clockKey: `actionPlan.item:${a2}` }, null],
      [5, 'due-date-changed', '2025-02-15T10:00:00Z', { clockKey: `actionPlan.item:${a1}`, to: '2025-03-01T00:00:00Z' }, null],
      [6, 'action-completed', '2025-02-20T10:00:00Z', { actionId: a1 }, null],
      [7, 'charge-authorised', '2025-03-10T10:00:00Z', {}, null],
    ];
    for (const [seq, type, at, data, documentId] of events) {
      await db.query(`INSERT INTO case_events (id, case_id, seq, type, data, occurred_at, document_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [`w-${caseId}:${seq}`, caseId, seq, type, JSON.stringify(data), at, documentId]);
    }
    const spans = async () => ((await db.query(
      `SELECT kind, coalesce(action_id = $2, false) AS a1, unit, lower(span) AS from, upper(span) AS to, lower_inc(span) AS from_inc, upper_inc(span) AS to_inc, due, held, expires_at, extensions
       FROM report_state_spans WHERE case_id = $1 ORDER BY kind, a1 DESC, lower(span)`, [caseId, a1])) as Record<string, unknown>[])
      .map((r) => ({ ...r, from: (r.from as Date).toISOString(), to: (r.to as Date | null)?.toISOString() ?? null, due: (r.due as Date | null)?.toISOString() ?? null, expires_at: (r.expires_at as Date | null)?.toISOString() ?? null }));

    await refreshReportStates(db, [caseId]);
    const expected = [
      // a1: open at the plan's date, re-dated, completed.
      { kind: 'action', a1: true, unit: 'spans-a', from: '2025-01-10T10:00:00.000Z', to: '2025-02-15T10:00:00.000Z', from_inc: false, to_inc: true, due: '2025-02-01T00:00:00.000Z', held: false, expires_at: null, extensions: null },
      { kind: 'action', a1: true, unit: 'spans-a', from: '2025-02-15T10:00:00.000Z', to: '2025-02-20T10:00:00.000Z', from_inc: false, to_inc: true, due: '2025-03-01T00:00:00.000Z', held: false, expires_at: null, extensions: null },
      // a2: open, then paused (held) until the charge stopped it.
      { kind: 'action', a1: false, unit: 'spans-a', from: '2025-01-10T10:00:00.000Z', to: '2025-01-20T10:00:00.000Z', from_inc: false, to_inc: true, due: '2025-02-10T00:00:00.000Z', held: false, expires_at: null, extensions: null },
      { kind: 'action', a1: false, unit: 'spans-a', from: '2025-01-20T10:00:00.000Z', to: '2025-03-10T10:00:00.000Z', from_inc: false, to_inc: true, due: '2025-02-10T00:00:00.000Z', held: true, expires_at: null, extensions: null },
      // The suspect on bail until the charge.
      { kind: 'bail', a1: false, unit: 'spans-a', from: '2025-01-05T10:00:00.000Z', to: '2025-03-10T10:00:00.000Z', from_inc: false, to_inc: true, due: null, held: null, expires_at: '2025-04-05T10:00:00.000Z', extensions: 0 },
    ];
    expect(await spans()).toEqual(expected);

    // Recomputed, the same spans (replaced, not added to); moved to unit B, the spans go with the case.
    await refreshReportStates(db, [caseId]);
    expect(await spans()).toEqual(expected);
    await db.query(`UPDATE cases SET unit = 'spans-b' WHERE id = $1`, [caseId]);
    expect((await spans()).map((s) => (s as { unit?: unknown }).unit)).toEqual(expected.map(() => 'spans-b'));

    // A period's end reads the spans holding at that instant: at the end of January a1 open, a2 held, the suspect on
    // bail; at the end of February a1 done, a2 still held; the charge's own instant is the spans' last.
    const at = async (end: string) => (await db.query(`SELECT kind, held, due FROM report_state_spans WHERE case_id = $1 AND span @> $2::timestamptz ORDER BY kind, held`, [caseId, end])) as unknown[];
    expect(await at('2025-02-01T00:00:00Z')).toHaveLength(3);
    expect(await at('2025-03-01T00:00:00Z')).toEqual([{ kind: 'action', held: true, due: new Date('2025-02-10T00:00:00Z') }, { kind: 'bail', held: null, due: null }]);
    expect(await at('2025-03-10T10:00:00Z')).toHaveLength(2);
    expect(await at('2025-03-10T10:00:01Z')).toEqual([]);
  });

  it('reverts to the schema before it', async () => {
    const objects = async () => ((await db.query(`
      SELECT relname AS name FROM pg_class WHERE relname IN ('report_state_spans', 'cases_list_idx', 'cases_unit_reported_idx')
      UNION ALL SELECT proname FROM pg_proc WHERE proname IN ('report_refresh_states', 'report_move_states') ORDER BY 1`)) as { name: string }[]).map((r) => r.name);
    expect(await objects()).toEqual(['cases_list_idx', 'report_move_states', 'report_refresh_states', 'report_state_spans']);
    const after = migrations.slice(migrations.indexOf(ReportStateSpans1766000000000) + 1);
    for (let i = 0; i <= after.length; i += 1) await db.undoLastMigration();
    expect(await objects()).toEqual(['cases_unit_reported_idx']);
    await db.runMigrations();
    expect(await objects()).toEqual(['cases_list_idx', 'report_move_states', 'report_refresh_states', 'report_state_spans']);
  });
});
