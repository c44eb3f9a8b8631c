import { DateTime } from 'luxon';

/**
 * The repeat-suspect flag (the strategy's Operation Lily). A case's suspect is flagged when:
 *
 * - the case was reported within the last twelve months: on or after 00:00 Europe/London on the date twelve calendar
 *   months before today's London date;
 * - the same person is a suspect in at least two other cases, each for a penetrative offence (`cases.penetrative`),
 *   whose police or CPS NFA decision still stands (an outcome code other than a charge, which reopening or an
 *   overturning review clears) and was made within the five years before now: its latest `police-nfa` / `cps-nfa`
 *   timeline event on or after 00:00 Europe/London on the date five calendar years before today (29 February counts
 *   back to 28 February). So a decision exactly five years ago counts, all day; one five years and a day ago does not.
 * - "the same person": both suspect records carry a national id and the ids agree (upper case, spacing ignored); or
 *   at least one has none, and their names agree once case, accents, spacing, hyphens and apostrophes are set aside
 *   and their dates of birth are equal. The keys are generated columns of case_parties (migration 1765400000000).
 *
 * Every offence a case can record is a sexual offence, so any case may be the further one. Flags are computed when a
 * case is registered, imported or decided, in that write's transaction, for the case and every case naming the same
 * person, and stored per suspect and causing case with the decision time; reads apply both windows again to the stored
 * times, so a flag lapses on the day a decision or the report leaves its window, with nothing to recompute. Only ids
 * and times leave this module: the keys are personal data and are never read out of PostgreSQL.
 */
export const REPEAT_SUSPECT = {
  zone: 'Europe/London',
  nfaWithin: { years: 5 },
  reportedWithin: { months: 12 },
  minNfaCases: 2,
} as const;

/** Timeline events that make or undo a decision: each recomputes the flags of the cases naming its case's suspects. */
export const DECISION_EVENTS: ReadonlySet<string> = new Set(['police-nfa', 'cps-nfa', 'charge-authorised', 'admin-finalised', 'case-reopened', 'victim-review-decided']);

/** Whatever runs SQL: the DataSource, or a transaction's EntityManager. */
interface Sql { query(sql: string, params?: unknown[]): Promise<unknown> }

export interface RepeatSuspectWindows {
  /** NFA decisions on or after this instant count. */
  nfaSince: Date;
  /** A case reported on or after this instant can be flagged. */
  reportedSince: Date;
}

/** Both windows' first instants for `now`: calendar arithmetic from the start of today in London. */
export function repeatSuspectWindows(now: Date): RepeatSuspectWindows {
  const today = DateTime.fromJSDate(now, { zone: REPEAT_SUSPECT.zone }).startOf('day');
  return { nfaSince: today.minus(REPEAT_SUSPECT.nfaWithin).toJSDate(), reportedSince: today.minus(REPEAT_SUSPECT.reportedWithin).toJSDate() };
}

/**
 * SQL: the suspect parties who are the same person as the suspect party row `s` (itself included), one index each way:
 * by national id where `s` has one, and by name key and date of birth where either record lacks a national id.
 */
const samePersonAs = (s: string) => `(
  SELECT o.id, o.case_id FROM case_parties o
  WHERE o.kind = 'suspect' AND o.national_id_key IS NOT NULL AND o.national_id_key = ${s}.national_id_key
  UNION
  SELECT o.id, o.case_id FROM case_parties o
  WHERE o.kind = 'suspect' AND o.name_key = ${s}.name_key AND o.date_of_birth = ${s}.date_of_birth
    AND (${s}.national_id_key IS NULL OR o.national_id_key IS NULL)
)`;

/**
 * Recomputes the repeat-suspect flags of a case and of every case naming one of its suspects, in the caller's
 * transaction (run it after the case's projection and timeline are written). Idempotent: a retry writes the same rows.
 */
export async function recomputeRepeatSuspectFlags(tx: Sql, caseId: string | string[], now = new Date()): Promise<void> {
  // Several cases at once (an import's batch): the same as one after another, since each case's flags depend only on
  // the stored rows, and every case related to one of them is recomputed once all of them are written.
  const caseIds = Array.isArray(caseId) ? caseId : [caseId];
  if (!caseIds.length) return;
  // One recomputation at a time: two NFA decisions committing side by side would otherwise each miss the other's.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('precharge.repeat-suspect'))`);
  const related = (await tx.query(
    `SELECT unnest($1::uuid[]) AS case_id
     UNION
     SELECT m.case_id FROM case_parties s CROSS JOIN LATERAL ${samePersonAs('s')} m WHERE s.case_id = ANY($1::uuid[]) AND s.kind = 'suspect'`,
    [caseIds],
  )) as { case_id: string }[];
  const cases = related.map((r) => r.case_id);
  const { nfaSince, reportedSince } = repeatSuspectWindows(now);
  await tx.query(`DELETE FROM case_flags WHERE kind = 'repeat-suspect' AND case_id = ANY($1::uuid[])`, [cases]);
  await tx.query(
    `WITH causes AS (
       SELECT DISTINCT t.id AS case_id, s.id AS suspect_party_id, c.id AS cause_id, n.decided_at
       FROM cases t
       JOIN case_parties s ON s.case_id = t.id AND s.kind = 'suspect'
       CROSS JOIN LATERAL ${samePersonAs('s')} m
       JOIN cases c ON c.id = m.case_id AND c.id <> t.id
       CROSS JOIN LATERAL (SELECT max(e.occurred_at) AS decided_at FROM case_events e WHERE e.case_id = c.id AND e.type IN ('police-nfa', 'cps-nfa')) n
       WHERE t.id = ANY($1::uuid[]) AND t.reported_at >= $2
         AND c.penetrative AND c.outcome_code IS NOT NULL AND c.outcome_code <> 1 AND n.decided_at >= $3
     )
     INSERT INTO case_flags (case_id, kind, suspect_party_id, caused_by_case_id, decided_at, computed_at)
     SELECT case_id, 'repeat-suspect', suspect_party_id, cause_id, decided_at, $4 FROM causes
     WHERE (case_id, suspect_party_id) IN (SELECT case_id, suspect_party_id FROM causes GROUP BY 1, 2 HAVING count(*) >= $5)`,
    [cases, reportedSince, nfaSince, now, REPEAT_SUSPECT.minNfaCases],
  );
}

/**
 * SQL: the rows of the flags that stand now (both windows applied to the stored times), one per flagged case, suspect
 * and causing case, with `causes`, how many causing cases that suspect's flag has. `caseFilter` narrows on `f.case_id`;
 * the windows are SQL expressions (placeholders) for repeatSuspectWindows(now).
 */
export function standingRepeatSuspectRows(caseFilter: string, windows: { nfaSince: string; reportedSince: string }): string {
  return `(SELECT * FROM (
      SELECT f.case_id, f.suspect_party_id, f.caused_by_case_id, f.decided_at, count(*) OVER (PARTITION BY f.case_id, f.suspect_party_id)::int AS causes
      FROM case_flags f JOIN cases flagged ON flagged.id = f.case_id
      WHERE f.kind = 'repeat-suspect' AND f.decided_at >= ${windows.nfaSince} AND flagged.reported_at >= ${windows.reportedSince} AND ${caseFilter}
    ) standing WHERE standing.causes >= ${REPEAT_SUSPECT.minNfaCases})`;
}

/** A standing repeat-suspect flag: the flagged case, its suspect, and the cases that caused it with their decision times. */
export interface RepeatSuspectFlag {
  caseId: string;
  suspectPartyId: string;
  causes: { caseId: string; decidedAt: Date }[];
}

/** The flags standing now on these cases, causes latest decision first. */
export async function standingRepeatSuspectFlags(db: Sql, caseIds: string[], now = new Date()): Promise<RepeatSuspectFlag[]> {
  if (!caseIds.length) return [];
  const { nfaSince, reportedSince } = repeatSuspectWindows(now);
  const rows = (await db.query(
    `SELECT r.case_id, r.suspect_party_id, r.caused_by_case_id, r.decided_at
     FROM ${standingRepeatSuspectRows('f.case_id = ANY($1::uuid[])', { nfaSince: '$2', reportedSince: '$3' })} r
     ORDER BY r.case_id, r.suspect_party_id, r.decided_at DESC, r.caused_by_case_id`,
    [caseIds, nfaSince, reportedSince],
  )) as { case_id: string; suspect_party_id: string; caused_by_case_id: string; decided_at: Date }[];
  const flags = new Map<string, RepeatSuspectFlag>();
  for (const row of rows) {
    const key = `${row.case_id}:${row.suspect_party_id}`;
    const flag = flags.get(key) ?? { caseId: row.case_id, suspectPartyId: row.suspect_party_id, causes: [] };
    flag.causes.push({ caseId: row.caused_by_case_id, decidedAt: row.decided_at });
    flags.set(key, flag);
  }
  return [...flags.values()];
}
