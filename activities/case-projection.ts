import { ApplicationFailure } from '@temporalio/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../infra/logger';
import { type CaseItem, CaseRecord, Unit } from '../db/entities';
import type { CaseRegistration, CaseView } from '../workflows/contracts';
import type { CaseState } from '../workflows/pipeline/state';
import { DECISION_EVENTS, recomputeRepeatSuspectFlags } from './flags/repeat-suspect';
import type { NotifyInput } from './mail/notify';
import { REPORT_STATE_EVENT_TYPES, refreshReportStates } from './reports/report-states';
import { appendTimelineEvents, appendTimelineEventsOfCases, type LockedCase } from './webhooks/outbox';

export interface TimelineEvent {
  type: string;
  actorId: string | null;
  actorRole: string | null;
  fromStage: string | null;
  toStage: string;
  reason: string | null;
  data: Record<string, unknown>;
  documentId?: string;
  /** Workflow time of the transition, not the time the (possibly retried) activity ran. */
  occurredAt: string;
}

export interface RecordCaseRegisteredInput {
  workflowId: string;
  seq: number;
  registration: CaseRegistration;
  policyVersion: string;
  snapshot: CaseView;
  /** The workflow's plain state (absent from workflows that predate it: their cases are read from the workflow). */
  state?: CaseState;
  occurredAt: string;
}

export interface RecordCaseTransitionInput {
  workflowId: string;
  caseId: string;
  seq: number;
  event: TimelineEvent;
  snapshot: CaseView;
  state?: CaseState;
  /** Clocks this transition stopped: their open inbox tasks are done. */
  clocksClosed?: string[];
  /** Clocks whose escalation this transition acknowledged. */
  clocksAcknowledged?: string[];
  /** The emails the transition calls for (patch `notices-with-transition`), queued once it is recorded. */
  notices?: NotifyInput[];
}

/** How a transition's notices are queued: the notify activity's own work, and where a notice that cannot be is logged. */
export interface TransitionNotices {
  notify(input: NotifyInput): Promise<unknown>;
  logger: Logger;
}

/** The projection columns every transition refreshes from the workflow's view. */
function projected(view: CaseView) {
  const due = view.clocks.map((c) => Date.parse(c.dueAt)).sort((a, b) => a - b)[0];
  return {
    stage: view.stage,
    waitingFor: view.waitingFor,
    holderOrganisation: view.holder?.organisation ?? null,
    holderRole: view.holder?.role ?? null,
    holderPersonId: view.holder?.personId ?? null,
    referredToCps: view.referredToCps,
    outcomeCode: view.outcomeCode ?? null,
    nextDueAt: due === undefined ? null : new Date(due),
    prosecutorId: view.submissions.findLast((s) => s.prosecutorId)?.prosecutorId ?? view.earlyAdvice.findLast((r) => r.prosecutorId)?.prosecutorId ?? null,
  };
}

/** `projected`'s columns with their types, in one order: a transition writes them in one statement with its state. */
const PROJECTED_COLUMNS = [
  ['stage', 'text'], ['waiting_for', 'text'], ['holder_organisation', 'text'], ['holder_role', 'text'], ['holder_person_id', 'uuid'],
  ['referred_to_cps', 'boolean'], ['outcome_code', 'int'], ['next_due_at', 'timestamptz'], ['prosecutor_id', 'uuid'],
] as const;

function projectedValues(view: CaseView): unknown[] {
  const p = projected(view);
  return [p.stage, p.waitingFor, p.holderOrganisation, p.holderRole, p.holderPersonId, p.referredToCps, p.outcomeCode, p.nextDueAt, p.prosecutorId];
}

/** Items by their own ids, so routes like `POST /actions/:id/complete` find their case. */
function items(caseId: string, seq: number, view: CaseView): Omit<CaseItem, 'updatedAt'>[] {
  return [
    ...view.earlyAdvice.map((r) => ({ id: r.id, caseId, kind: 'early-advice' as const, parentId: null, status: r.status, owner: 'cps', dueAt: null, decisionCritical: null, data: { prosecutorId: r.prosecutorId, rejection: r.rejection, appealed: r.appealed }, updatedSeq: seq })),
    ...view.actionPlans.map((p) => ({ id: p.id, caseId, kind: 'action-plan' as const, parentId: null, status: p.status, owner: null, dueAt: null, decisionCritical: null, data: { source: p.source, documentId: p.documentId }, updatedSeq: seq })),
    ...view.actions.map((a) => ({ id: a.id, caseId, kind: 'action' as const, parentId: a.planId, status: a.status, owner: a.owner, dueAt: new Date(a.dueAt), decisionCritical: a.decisionCritical, data: { completedAt: a.completedAt }, updatedSeq: seq })),
    ...view.reviews.map((r) => ({ id: r.id, caseId, kind: 'review' as const, parentId: null, status: r.status, owner: r.scheme, dueAt: null, decisionCritical: null, data: { scheme: r.scheme, late: r.late, outcome: r.outcome }, updatedSeq: seq })),
    ...view.submissions.map((s) => ({ id: s.id, caseId, kind: 'submission' as const, parentId: null, status: s.status, owner: null, dueAt: null, decisionCritical: null, data: { test: s.test, category: s.category, decision: s.decision, prosecutorId: s.prosecutorId }, updatedSeq: seq })),
  ];
}

async function writeItems(tx: EntityManager, caseId: string, seq: number, view: CaseView): Promise<void> {
  await upsertItems(tx, items(caseId, seq, view));
}

async function upsertItems(tx: EntityManager, rows: Omit<CaseItem, 'updatedAt'>[]): Promise<void> {
  if (!rows.length) return;
  // One statement for all of them (a column each, unnested). Newer snapshots win; a retried or out-of-order older write changes nothing.
  await tx.query(
    `INSERT INTO case_items (id, case_id, kind, parent_id, status, owner, due_at, decision_critical, data, updated_seq)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[], $8::boolean[], $9::jsonb[], $10::int[])
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, owner = EXCLUDED.owner, due_at = EXCLUDED.due_at,
       decision_critical = EXCLUDED.decision_critical, data = EXCLUDED.data, updated_seq = EXCLUDED.updated_seq, updated_at = now()
     WHERE case_items.updated_seq < EXCLUDED.updated_seq`,
    columns(rows, (i) => [i.id, i.caseId, i.kind, i.parentId, i.status, i.owner, i.dueAt, i.decisionCritical, JSON.stringify(i.data), i.updatedSeq]),
  );
}

/** Rows as one array per column, for `unnest`: a multi-row write in one statement whatever the count. */
export function columns<T>(rows: T[], row: (r: T) => unknown[]): unknown[][] {
  const out: unknown[][] = [];
  for (const r of rows) row(r).forEach((value, i) => (out[i] ??= []).push(value));
  return out;
}

/**
 * The running clocks as people read them, in one statement: newer snapshots win, stopped clocks are marked, and a
 * reminder or escalation is due when its clock is (an approved change or a pause moves its open tasks). A clock
 * stopped and armed again in the same transition keeps its new arming.
 */
async function writeClocks(tx: Pick<EntityManager, 'query'>, caseId: string, seq: number, view: CaseView, closed: string[]): Promise<void> {
  if (!view.clocks.length && !closed.length) return;
  const running = columns(view.clocks, (c) => [c.key, c.name, c.subjectId, c.startedAt, c.dueAt, c.explanation, c.stepsFired, c.paused?.since ?? null, c.paused?.heldBy ?? null, c.acknowledged?.at ?? null]);
  await tx.query(
    `WITH armed AS (
       INSERT INTO case_clocks (key, case_id, name, subject_id, started_at, due_at, explanation, steps_fired, paused_since, held_by, acknowledged_at, status, updated_seq)
       SELECT key, $2, name, subject_id, started_at, due_at, explanation, steps_fired, paused_since, held_by, acknowledged_at, 'running', $3
       FROM unnest($1::text[], $4::text[], $5::uuid[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::int[], $10::timestamptz[], $11::text[], $12::timestamptz[])
         AS c(key, name, subject_id, started_at, due_at, explanation, steps_fired, paused_since, held_by, acknowledged_at)
       ON CONFLICT (key) DO UPDATE SET started_at = EXCLUDED.started_at, due_at = EXCLUDED.due_at, explanation = EXCLUDED.explanation,
         steps_fired = EXCLUDED.steps_fired, paused_since = EXCLUDED.paused_since, held_by = EXCLUDED.held_by,
         acknowledged_at = EXCLUDED.acknowledged_at, status = 'running', updated_seq = EXCLUDED.updated_seq
       WHERE case_clocks.updated_seq < EXCLUDED.updated_seq
       RETURNING key, due_at
     ), stopped AS (
       UPDATE case_clocks SET status = 'stopped', updated_seq = $3 WHERE key = ANY($13::text[]) AND key <> ALL($1::text[]) AND updated_seq < $3
     )
     UPDATE tasks t SET due_at = a.due_at FROM armed a WHERE t.clock_key = a.key AND t.status = 'open' AND t.due_at IS DISTINCT FROM a.due_at`,
    [running[0] ?? [], caseId, seq, ...Array.from({ length: 9 }, (_, i) => running[i + 1] ?? []), closed],
  );
}

/**
 * Stores the workflow's state after a transition or a clock step, unless a newer one is there already: writes are
 * ordered by the transition's sequence, then by the clock steps fired since (only steps change the state between
 * transitions, and they only add firings).
 */
export async function writeLiveState(db: Pick<EntityManager, 'query'>, caseId: string, state: CaseState): Promise<void> {
  await db.query(
    `UPDATE cases SET live_state = $2, live_seq = $3, live_steps = $4 WHERE id = $1 AND ${NEWER_STATE('$3', '$4')}`,
    [caseId, JSON.stringify(state), state.seq, stepsOf(state)],
  );
}

/** SQL: whether the state at (seq, steps) is newer than the one stored on the case row. */
const NEWER_STATE = (seq: string, steps: string) => `(live_seq, live_steps) < (${seq}, ${steps})`;

const stepsOf = (state: CaseState) => state.clocks.reduce((n, c) => n + (c.firings?.length ?? 0), 0);

/**
 * A transition on the case row in one statement, which also locks it for the timeline's outbox: the projection
 * columns unless a newer transition is there, and the state unless a newer one is. Null if the case is not recorded.
 */
async function writeCaseRow(tx: Pick<EntityManager, 'query'>, caseId: string, seq: number, view: CaseView, state: CaseState | undefined): Promise<LockedCase | null> {
  const fresh = 'c.last_event_seq < $2';
  const newerState = `$3::jsonb IS NOT NULL AND ${NEWER_STATE('$4', '$5')}`;
  const [row] = (await tx.query(
    // Wrapped in a SELECT: TypeORM answers an UPDATE with [rows, count], a SELECT with its rows.
    `WITH updated AS (UPDATE cases c SET ${PROJECTED_COLUMNS.map(([column, type], i) => `${column} = CASE WHEN ${fresh} THEN $${i + 6}::${type} ELSE c.${column} END`).join(', ')},
       last_event_seq = greatest(c.last_event_seq, $2),
       live_state = CASE WHEN ${newerState} THEN $3::jsonb ELSE c.live_state END,
       live_seq = CASE WHEN ${newerState} THEN $4 ELSE c.live_seq END,
       live_steps = CASE WHEN ${newerState} THEN $5 ELSE c.live_steps END
     WHERE c.id = $1 RETURNING c.id, c.force_id, c.stage)
     SELECT * FROM updated`,
    [caseId, seq, state ? JSON.stringify(state) : null, state?.seq ?? 0, state ? stepsOf(state) : 0, ...projectedValues(view)],
  )) as LockedCase[];
  return row ?? null;
}

/**
 * A clinic's outcome for a case, on the case's entry in that sitting's agenda: written with the event it comes from, in
 * the worker's transaction, so it is never lost between the case accepting the outcome and the API answering. The first
 * outcome stands; a retry or replay changes nothing.
 */
async function recordOutcomeOnAgenda(tx: EntityManager, caseId: string, event: TimelineEvent): Promise<void> {
  const { clinicId, outcome } = event.data as { clinicId: string; outcome: string };
  await tx.query(
    `UPDATE clinic_agenda_items SET outcome = $3, outcome_by = $4, outcome_at = $5, outcome_document_id = $6
     WHERE clinic_id = $1 AND case_id = $2 AND outcome IS NULL`,
    [clinicId, caseId, outcome, event.actorId, new Date(event.occurredAt), event.documentId ?? null],
  );
}

/** The case's first timeline event: its registration (after an imported past, the stage it was registered at). */
function registeredEvent({ seq, registration: r, snapshot, policyVersion, occurredAt }: Pick<RecordCaseRegisteredInput, 'seq' | 'registration' | 'snapshot' | 'policyVersion' | 'occurredAt'>): TimelineEvent & { seq: number } {
  return {
    seq: 1, type: 'case-registered', actorId: r.registeredBy.id, actorRole: r.registeredBy.role,
    fromStage: null, toStage: seq === 1 ? snapshot.stage : 'investigating',
    reason: r.allocation?.description ?? null,
    data: { unit: r.unit, allocationRule: r.allocation?.ruleId, offenceType: r.offence.type, suspects: r.suspectPartyIds.length, policyVersion },
    occurredAt,
  };
}

/** The case's projection row and its registration event, with the events of an imported past after it (a retry is a no-op). */
async function writeCaseRegistered(tx: EntityManager, { workflowId, seq, registration: r, policyVersion, snapshot, state, occurredAt }: RecordCaseRegisteredInput, past: (TimelineEvent & { seq: number })[] = []): Promise<void> {
  // The case's force is its unit's; the registration carries only the unit, so in-flight workflows need no change.
  const unit = await tx.getRepository(Unit).findOneBy({ id: r.unit });
  if (!unit?.forceId) throw new Error(`unit ${r.unit} is not a police unit of a force`);
  await tx.createQueryBuilder().insert().into(CaseRecord).values({
    id: r.caseId, urn: r.urn, unit: r.unit, forceId: unit.forceId, allocationRule: r.allocation?.ruleId ?? null, allocationReason: r.allocation?.description ?? null, officerId: r.officerId, offenceType: r.offence.type, penetrative: r.offence.penetrative,
    committedFrom: r.offence.committedFrom, committedTo: r.offence.committedTo ?? null, reportedAt: new Date(r.reportedAt),
    enhancedRights: snapshot.enhancedRights, suspectCount: r.suspectPartyIds.length, policyVersion, workflowId, lastEventSeq: seq, registration: r,
    ...projected(snapshot),
  }).orIgnore().execute();
  await appendTimelineEvents(tx, workflowId, r.caseId, [registeredEvent({ seq, registration: r, snapshot, policyVersion, occurredAt }), ...past]);
  await writeClocks(tx, r.caseId, seq, snapshot, []);
  if (state) await writeLiveState(tx, r.caseId, state);
}

/** A case brought in with its past (an import): its registration, its state and view after the last event, and those events. */
export interface ImportedCaseInput extends RecordCaseRegisteredInput {
  state: CaseState;
  /** The force of the case's unit (the importer checked the unit is a police unit of that force). */
  forceId: string;
  events: (TimelineEvent & { seq: number })[];
}

/**
 * Cases brought in with their past: the projection as it stands after the last event, the live state, and every event
 * on the timeline at its original time, in the caller's transaction (the import writes a batch whole or not at all). A
 * statement per table for the whole batch, whatever its size; the repeat-suspect flags once for all of them.
 */
export async function writeImportedCases(tx: EntityManager, cases: ImportedCaseInput[]): Promise<void> {
  if (!cases.length) return;
  const rows = cases.map((c) => ({ c, p: projected(c.snapshot), steps: stepsOf(c.state) }));
  await tx.query(
    `INSERT INTO cases (id, urn, unit, force_id, allocation_rule, allocation_reason, officer_id, offence_type, penetrative, committed_from, committed_to,
       reported_at, enhanced_rights, suspect_count, policy_version, workflow_id, last_event_seq, registration, stage, waiting_for, holder_organisation,
       holder_role, holder_person_id, referred_to_cps, outcome_code, next_due_at, prosecutor_id, live_state, live_seq, live_steps)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::boolean[], $10::date[], $11::date[],
       $12::timestamptz[], $13::boolean[], $14::int[], $15::text[], $16::text[], $17::int[], $18::jsonb[], $19::text[], $20::text[], $21::text[],
       $22::text[], $23::uuid[], $24::boolean[], $25::int[], $26::timestamptz[], $27::uuid[], $28::jsonb[], $29::int[], $30::int[])
     ON CONFLICT DO NOTHING`,
    columns(rows, ({ c: { registration: r, ...c }, p, steps }) => [
      r.caseId, r.urn, r.unit, c.forceId, r.allocation?.ruleId ?? null, r.allocation?.description ?? null, r.officerId, r.offence.type, r.offence.penetrative,
      r.offence.committedFrom, r.offence.committedTo ?? null, new Date(r.reportedAt), c.snapshot.enhancedRights, r.suspectPartyIds.length, c.policyVersion,
      c.workflowId, c.seq, JSON.stringify(r), p.stage, p.waitingFor, p.holderOrganisation, p.holderRole, p.holderPersonId, p.referredToCps, p.outcomeCode,
      p.nextDueAt, p.prosecutorId, JSON.stringify(c.state), c.state.seq, steps,
    ]),
  );
  await appendTimelineEventsOfCases(tx, cases.map(({ workflowId, seq, registration: r, snapshot, policyVersion, occurredAt, events }) => ({
    workflowId, caseId: r.caseId, events: [registeredEvent({ seq, registration: r, snapshot, policyVersion, occurredAt }), ...events],
  })));
  const clocks = cases.flatMap((c) => c.snapshot.clocks.map((k) => ({ ...k, caseId: c.registration.caseId, seq: c.seq })));
  if (clocks.length) {
    // New cases: no inbox task of theirs exists yet whose due time could need moving (writeClocks' last step).
    await tx.query(
      `INSERT INTO case_clocks (key, case_id, name, subject_id, started_at, due_at, explanation, steps_fired, paused_since, held_by, acknowledged_at, status, updated_seq)
       SELECT key, case_id, name, subject_id, started_at, due_at, explanation, steps_fired, paused_since, held_by, acknowledged_at, 'running', updated_seq
       FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::int[], $9::timestamptz[], $10::text[], $11::timestamptz[], $12::int[])
         AS c(key, case_id, name, subject_id, started_at, due_at, explanation, steps_fired, paused_since, held_by, acknowledged_at, updated_seq)
       ON CONFLICT (key) DO NOTHING`,
      columns(clocks, (c) => [c.key, c.caseId, c.name, c.subjectId, c.startedAt, c.dueAt, c.explanation, c.stepsFired, c.paused?.since ?? null, c.paused?.heldBy ?? null, c.acknowledged?.at ?? null, c.seq]),
    );
  }
  await upsertItems(tx, cases.flatMap((c) => items(c.registration.caseId, c.seq, c.snapshot)));
  const ids = cases.map((c) => c.registration.caseId);
  // After their items: the report states (actions open, bail, RUI) of the whole chunk, from its timelines.
  await refreshReportStates(tx, ids);
  // After their timelines: an imported NFA is one of the decisions the flag counts.
  await recomputeRepeatSuspectFlags(tx, ids);
}

/**
 * Writes of the case projection and its timeline, one transaction each, keyed so that a retry is a no-op. A transition's
 * notices are queued in the same local activity once it is committed: one activation and one marker per command, not
 * two (npm run bench:lifecycle). A retry after a failure of the queueing writes the transition again as a no-op, and
 * each email is queued once by its key; a notice refused for good is logged and never undoes the recorded command.
 */
export function caseProjectionActivities(dataSource: DataSource, notices?: TransitionNotices) {
  return {
    async recordCaseRegistered(input: RecordCaseRegisteredInput): Promise<void> {
      await dataSource.transaction(async (tx) => {
        await writeCaseRegistered(tx, input);
        await recomputeRepeatSuspectFlags(tx, input.registration.caseId);
      });
    },

    async recordCaseTransition({ workflowId, caseId, seq, event, snapshot, state, clocksClosed = [], clocksAcknowledged = [], notices: queued = [] }: RecordCaseTransitionInput): Promise<void> {
      await dataSource.transaction(async (tx) => {
        const locked = await writeCaseRow(tx, caseId, seq, snapshot, state);
        if (!locked) throw new Error('the case of a transition is not recorded');
        await appendTimelineEvents(tx, workflowId, caseId, [{ ...event, seq }], locked);
        await writeItems(tx, caseId, seq, snapshot);
        await writeClocks(tx, caseId, seq, snapshot, clocksClosed);
        if (event.type === 'clinic-outcome-recorded') await recordOutcomeOnAgenda(tx, caseId, event);
        // After its items: an action's due date falls back to its current one.
        if (REPORT_STATE_EVENT_TYPES.has(event.type)) await refreshReportStates(tx, [caseId]);
        if (DECISION_EVENTS.has(event.type)) await recomputeRepeatSuspectFlags(tx, caseId);
        if (clocksClosed.length) await tx.query(`UPDATE tasks SET status = 'done', closed_at = now() WHERE clock_key = ANY($1) AND status <> 'done'`, [clocksClosed]);
        if (clocksAcknowledged.length) await tx.query(`UPDATE tasks SET status = 'acknowledged', closed_at = now() WHERE clock_key = ANY($1) AND kind = 'escalation' AND status = 'open'`, [clocksAcknowledged]);
      });
      if (queued.length && !notices) throw new Error('this worker was built without notices for transitions');
      for (const notice of queued) {
        try {
          await notices!.notify(notice);
        } catch (err) {
          if (!(err instanceof ApplicationFailure && err.nonRetryable)) throw err;
          notices!.logger.error({ caseId, template: notice.template, error: err.message }, 'notification failed');
        }
      }
    },
  };
}
