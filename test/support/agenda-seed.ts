import { randomInt, randomUUID } from 'node:crypto';

/** Whatever runs SQL (a DataSource, a pg client wrapper). */
export interface Sql { query(sql: string, params?: unknown[]): Promise<unknown> }

/** What makes a seeded case need a clinic (each absent: the case is on track). */
export interface SeededFacts {
  stage?: string;
  restricted?: boolean;
  /** Open actions past their due time, by how many days. */
  overdueActionDays?: number[];
  /** An Early Advice request not yet answered, made this many days ago. */
  earlyAdviceWaitingDays?: number;
  /** A suspect's bail expiring in this many days. */
  bailExpiresInDays?: number;
  actionPlans?: number;
  submissions?: number;
  /** Days since the last victim contact (default: contacted today). */
  lastVictimContactDays?: number;
  /** A referral to the next clinic: by a supervisor, or by an action's ladder reaching its clinic step. */
  referral?: 'referred' | 'escalated';
  /** Older timeline events (routine updates over the case's life) and completed actions, as a months-old case has. */
  history?: number;
}

const ago = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/**
 * A case as the projections show it (cases, case_items, case_clocks, case_events, clinic_referrals), written straight
 * into PostgreSQL: what an agenda is built from, without running the months of a case's workflow. Synthetic only.
 */
export async function seedCaseProjection(db: Sql, at: { unit: string; forceId: string; forceCode: string; officerId: string; policyVersion: string }, facts: SeededFacts, now = new Date()): Promise<string> {
  const id = randomUUID();
  const urn = `${at.forceCode}SD${String(randomInt(0, 9_999_999)).padStart(7, '0')}`;
  const reportedAt = ago(now, 120);
  await db.query(
    `INSERT INTO cases (id, urn, stage, unit, force_id, officer_id, offence_type, penetrative, committed_from, reported_at, enhanced_rights, suspect_count, policy_version, workflow_id, referred_to_cps, restricted, last_event_seq)
     VALUES ($1, $2, $3, $4, $5, $6, 'rape', true, '2026-06-01', $7, true, 1, $8, $9, true, $10, 1)`,
    [id, urn, facts.stage ?? 'action-plan-open', at.unit, at.forceId, at.officerId, reportedAt, at.policyVersion, `seeded-${id}`, facts.restricted ?? false],
  );
  let seq = 1;
  const event = (type: string, occurredAt: Date, data: Record<string, unknown> = {}) => db.query(
    `INSERT INTO case_events (id, case_id, seq, type, to_stage, data, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [`seeded-${id}:${++seq}`, id, seq, type, facts.stage ?? 'action-plan-open', JSON.stringify(data), occurredAt],
  );
  const item = (kind: string, status: string, dueAt: Date | null = null, parentId: string | null = null) => {
    const itemId = randomUUID();
    return db.query(
      `INSERT INTO case_items (id, case_id, kind, parent_id, status, owner, due_at, data, updated_seq) VALUES ($1, $2, $3, $4, $5, 'police', $6, '{}', 1)`,
      [itemId, id, kind, parentId, status, dueAt],
    ).then(() => itemId);
  };
  if (facts.history) {
    // One statement for the lot: a benchmark seeds thousands of cases this way.
    await db.query(
      `INSERT INTO case_events (id, case_id, seq, type, to_stage, data, occurred_at)
       SELECT $1 || ':h' || n, $2, $3 + n, (ARRAY['action-completed', 'document-added', 'victim-contact-recorded'])[1 + n % 3], $4, '{}', $5::timestamptz + n * interval '1 day'
       FROM generate_series(1, $6) AS n`,
      [`seeded-${id}`, id, seq + 100, facts.stage ?? 'action-plan-open', reportedAt, facts.history],
    );
    await db.query(
      `INSERT INTO case_items (id, case_id, kind, status, owner, due_at, data, updated_seq)
       SELECT gen_random_uuid(), $1, 'action', 'done', 'police', $2::timestamptz + n * interval '1 day', '{}', 1 FROM generate_series(1, $3) AS n`,
      [id, reportedAt, Math.ceil(facts.history / 3)],
    );
    // The clocks every case runs from registration: one still running, two long stopped.
    await db.query(
      `INSERT INTO case_clocks (key, case_id, name, subject_id, started_at, due_at, explanation, steps_fired, status, updated_seq)
       SELECT c.name || ':' || $1, $1::uuid, c.name, $1::uuid, $2, $2::timestamptz + interval '28 days', 'seeded', 0, c.status, 1
       FROM (VALUES ('victim.routineUpdate', 'running'), ('victim.supportReferral', 'stopped'), ('earlyAdvice.consider', 'stopped')) AS c(name, status)`,
      [id, reportedAt],
    );
  }
  await event('victim-contact-recorded', ago(now, facts.lastVictimContactDays ?? 0), { kind: 'routine-update' });
  const plans = facts.actionPlans ?? (facts.overdueActionDays?.length ? 1 : 0);
  const planIds: string[] = [];
  for (let i = 0; i < plans; i += 1) planIds.push(await item('action-plan', i === plans - 1 ? 'open' : 'reviewed'));
  for (const days of facts.overdueActionDays ?? []) await item('action', 'open', ago(now, days), planIds.at(-1) ?? null);
  // An action on track (due next week) and one done late: neither is overdue.
  await item('action', 'open', ago(now, -7), planIds.at(-1) ?? null);
  await item('action', 'done', ago(now, 30), planIds.at(-1) ?? null);
  if (facts.earlyAdviceWaitingDays !== undefined) {
    const requestId = await item('early-advice', 'accepted');
    await event('early-advice-requested', ago(now, facts.earlyAdviceWaitingDays), { requestId });
  }
  for (let i = 0; i < (facts.submissions ?? 0); i += 1) await item('submission', i === (facts.submissions ?? 0) - 1 ? 'in-review' : 'decided');
  if (facts.bailExpiresInDays !== undefined) {
    const suspect = randomUUID();
    await db.query(
      `INSERT INTO case_clocks (key, case_id, name, subject_id, started_at, due_at, explanation, steps_fired, status, updated_seq)
       VALUES ($1, $2, 'bail.expiry', $3, $4, $5, 'seeded', 0, 'running', 1)`,
      [`bail.expiry:${suspect}`, id, suspect, ago(now, 60), ago(now, -facts.bailExpiresInDays)],
    );
  }
  if (facts.referral) {
    await db.query(
      `INSERT INTO clinic_referrals (id, case_id, force_id, kind, dedupe_key, referred_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [randomUUID(), id, at.forceId, facts.referral, `seeded-${id}`, facts.referral === 'escalated' ? `seeded-${id}` : at.officerId, ago(now, 1)],
    );
  }
  return id;
}
