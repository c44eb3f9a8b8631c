import { createHash } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import type { EntityManager } from 'typeorm';
import { webhookEventType } from '../../workflows/contracts/webhooks';

/** A timeline event as the case projection writes it (case_events), before it is keyed. */
export interface OutgoingTimelineEvent {
  type: string;
  actorId: string | null;
  actorRole: string | null;
  fromStage: string | null;
  toStage: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  documentId?: string | null;
  occurredAt: string;
}

/** The channel the dispatcher listens on; notified when a transaction that queued a delivery commits. */
export const OUTBOX_CHANNEL = 'webhook_outbox';

/** Event ids are UUIDs derived from the writer's natural key, so a retried write names the same event. */
export function outboxEventId(key: string): string {
  const h = createHash('sha256').update(`precharge-webhook:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/**
 * What of a timeline event's `data` may leave: ids, codes, counts, flags and times under these names. Anything else
 * (and any value with spaces, so any free text) stays behind; `reason` and documents never leave.
 */
const DATA_KEYS = new Set([
  'requestId', 'prosecutorId', 'appeal', 'reasons', 'respondBy', 'actionPlanId', 'actions', 'endorsedBy', 'actionId', 'planId',
  'planComplete', 'outcome', 'submissionId', 'test', 'category', 'by', 'outcomeCode', 'preNfaMeetingAt', 'dcpReviewerId', 'dueBy',
  'clinicId', 'actionDueDates', 'clockKey', 'clock', 'heldBy', 'pausedFrom', 'pausedMs', 'dueAt', 'from', 'to', 'approvedBy',
  'suspectId', 'startedAt', 'expiresAt', 'extensions', 'authorisedBy', 'extendTo', 'late', 'prepareBy', 'relevantTime', 'limitAt',
  'custodyOfficerId', 'reviewerId', 'reviews', 'decision', 'kind', 'scheme', 'reviewId', 'ground', 'unit', 'allocationRule',
  'offenceType', 'suspects', 'policyVersion', 'step',
]);
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,99}$/;

function safeValue(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  if (typeof value === 'string') return TOKEN.test(value) ? value : undefined;
  if (Array.isArray(value)) return value.map(safeValue).filter((v) => v !== undefined);
  if (typeof value === 'object') return safeDetails(value as Record<string, unknown>);
  return undefined;
}

export function safeDetails(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!DATA_KEYS.has(key)) continue;
    const safe = safeValue(value);
    if (safe !== undefined) out[key] = safe;
  }
  return out;
}

/** The decision a `case.decided` event carries. */
const DECISIONS: Record<string, string> = { 'charge-authorised': 'charge', 'cps-nfa': 'cps-nfa', 'police-nfa': 'police-nfa', 'admin-finalised': 'admin-finalised' };

/**
 * The CloudEvents 1.0 envelope of one event: ids, stage, event type, times and the actor's id and role. `sequence`
 * (the event's place in its case) is filled in by the outbox write, under the case's lock.
 */
export function cloudEventOf(id: string, caseId: string, forceId: string, timelineSeq: number | null, event: OutgoingTimelineEvent): Record<string, unknown> {
  const decision = DECISIONS[event.type];
  const envelope = new CloudEvent({
    specversion: '1.0',
    id,
    source: `urn:precharge:force:${forceId}`,
    type: webhookEventType(event.type),
    subject: caseId,
    time: new Date(event.occurredAt).toISOString(),
    datacontenttype: 'application/json',
    data: {
      caseId,
      forceId,
      sequence: 0,
      timelineSeq,
      event: event.type,
      stage: event.toStage,
      fromStage: event.fromStage,
      occurredAt: new Date(event.occurredAt).toISOString(),
      actor: event.actorId ? { id: event.actorId, role: event.actorRole } : null,
      ...(decision ? { decision } : {}),
      details: safeDetails(event.data),
    },
  });
  return envelope.toJSON() as Record<string, unknown>;
}

/** SQL: whether subscription `s` takes outbox event `e`, by its force and its filters (filterMatches, in SQL). */
export function subscriptionTakes(s: string, e: string): string {
  return `(${s}.force_id IS NULL OR ${s}.force_id = ${e}.force_id)
    AND EXISTS (SELECT 1 FROM unnest(${s}.events) f WHERE f = ${e}.type OR (right(f, 2) = '.*' AND starts_with(${e}.type, left(f, -1))))`;
}

/** One event of a case for the outbox: its key (a retried write adds nothing), its timeline sequence, the event. */
export interface OutboxEntry { key: string; timelineSeq: number | null; event: OutgoingTimelineEvent }

/**
 * Puts a case's events in the outbox, in the caller's transaction and in one statement, and queues each for every
 * subscription whose filters and force match. The case row is locked first, so a case's events are numbered
 * (`case_seq`) in the order their transactions commit: the order each subscription receives them in.
 */
export async function writeOutboxEvents(tx: Pick<EntityManager, 'query'>, caseId: string, entries: OutboxEntry[]): Promise<void> {
  await writeOutboxEventsOfCases(tx, [{ caseId, entries }]);
}

/** A case row its writer has locked in this transaction: what the envelopes need of it. */
export interface LockedCase { id: string; force_id: string; stage: string }

/**
 * The same for several cases in one statement (an import's batch): their rows locked first, in id order, unless the
 * caller has locked them already (`locked`: a transition's own update of its case row).
 */
export async function writeOutboxEventsOfCases(tx: Pick<EntityManager, 'query'>, cases: { caseId: string; entries: OutboxEntry[] }[], lockedByCaller?: LockedCase[]): Promise<void> {
  const wanted = cases.filter((c) => c.entries.length);
  if (!wanted.length) return;
  const locked = lockedByCaller ?? (await tx.query('SELECT id, force_id, stage FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [wanted.map((c) => c.caseId)])) as LockedCase[];
  const byId = new Map(locked.map((k) => [k.id, k]));
  const rows: { id: string; caseId: string; forceId: string; type: string; envelope: string }[] = [];
  for (const { caseId, entries } of wanted) {
    const kase = byId.get(caseId);
    if (!kase) throw new Error('the case of an outgoing event is not recorded');
    for (const { key, timelineSeq, event } of entries) {
      const envelope = cloudEventOf(outboxEventId(key), caseId, kase.force_id, timelineSeq, { ...event, toStage: event.toStage ?? kase.stage });
      rows.push({ id: envelope.id as string, caseId, forceId: kase.force_id, type: envelope.type as string, envelope: JSON.stringify(envelope) });
    }
  }
  const [row] = (await tx.query(
    `WITH fresh AS (
       SELECT e.id, e.case_id, e.force_id, e.type, e.envelope, e.n FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS e(id, case_id, force_id, type, envelope, n)
       WHERE NOT EXISTS (SELECT 1 FROM webhook_events w WHERE w.id = e.id)
     ), ins AS (
       INSERT INTO webhook_events (id, case_id, case_seq, force_id, type, envelope)
       SELECT f.id, f.case_id, coalesce(b.seq, 0) + row_number() OVER (PARTITION BY f.case_id ORDER BY f.n), f.force_id, f.type,
         jsonb_set(f.envelope, '{data,sequence}', to_jsonb(coalesce(b.seq, 0) + row_number() OVER (PARTITION BY f.case_id ORDER BY f.n)))
       FROM fresh f LEFT JOIN (SELECT case_id, max(case_seq) AS seq FROM webhook_events WHERE case_id = ANY($2::uuid[]) GROUP BY case_id) b ON b.case_id = f.case_id
       ON CONFLICT (id) DO NOTHING
       RETURNING position, case_id, case_seq, force_id, type
     ), fan AS (
       INSERT INTO webhook_deliveries (subscription_id, event_position, case_id, case_seq)
       SELECT s.id, ins.position, ins.case_id, ins.case_seq FROM ins JOIN webhook_subscriptions s ON ${subscriptionTakes('s', 'ins')}
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM fan)::int AS queued`,
    [rows.map((r) => r.id), rows.map((r) => r.caseId), rows.map((r) => r.forceId), rows.map((r) => r.type), rows.map((r) => r.envelope)],
  )) as { queued: number }[];
  // Delivered to the dispatcher when the transaction commits (never for one that rolls back).
  if (row.queued > 0) await tx.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
}

/**
 * The one way timeline events are recorded: their case_events rows and their outbox rows, in the caller's transaction,
 * a statement each whatever the count (an imported case brings its whole past). Keyed by workflow id + sequence, so a
 * retry writes neither twice.
 */
export async function appendTimelineEvents(tx: Pick<EntityManager, 'query'>, workflowId: string, caseId: string, events: (OutgoingTimelineEvent & { seq: number })[], locked?: LockedCase): Promise<void> {
  await appendTimelineEventsOfCases(tx, [{ workflowId, caseId, events }], locked && [locked]);
}

/** The same for several cases, still a statement each (an import's batch). */
export async function appendTimelineEventsOfCases(tx: Pick<EntityManager, 'query'>, cases: { workflowId: string; caseId: string; events: (OutgoingTimelineEvent & { seq: number })[] }[], locked?: LockedCase[]): Promise<void> {
  const rows = cases.flatMap(({ workflowId, caseId, events }) => events.map((e) => ({ ...e, caseId, key: `${workflowId}:${e.seq}` })));
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO case_events (id, case_id, seq, type, actor_id, actor_role, from_stage, to_stage, reason, document_id, data, occurred_at)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::int[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::uuid[], $11::jsonb[], $12::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [
      rows.map((e) => e.key), rows.map((e) => e.caseId), rows.map((e) => e.seq), rows.map((e) => e.type), rows.map((e) => e.actorId),
      rows.map((e) => e.actorRole), rows.map((e) => e.fromStage), rows.map((e) => e.toStage), rows.map((e) => e.reason ?? null),
      rows.map((e) => e.documentId ?? null), rows.map((e) => JSON.stringify(e.data ?? {})), rows.map((e) => new Date(e.occurredAt)),
    ],
  );
  await writeOutboxEventsOfCases(tx, cases.map(({ workflowId, caseId, events }) => ({ caseId, entries: events.map((event) => ({ key: `${workflowId}:${event.seq}`, timelineSeq: event.seq, event })) })), locked);
}
