import type { AgendaReason } from '../../db/entities';
import type { AgendaReasonCode, AgendaRules } from '../../workflows/contracts/policy';
import { REPEAT_SUSPECT, repeatSuspectWindows, standingRepeatSuspectRows } from '../flags/repeat-suspect';

/** Stages after which a case has nothing left for a pre-charge clinic to decide. */
export const FINISHED_STAGES = ['charged', 'nfa-confirmed', 'vrr-review', 'admin-finalised', 'scrutiny-sampled', 'closed'];

export interface AgendaEntry {
  caseId: string;
  officerId: string;
  reasons: AgendaReason[];
}

interface ReasonRow {
  case_id: string;
  officer_id: string;
  code: AgendaReasonCode;
  n: number | null;
  at: Date | null;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const daysBetween = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A reason's detail: figures and dates only, never a name (the agenda is emailed). */
function detail(row: ReasonRow, now: Date): string {
  const n = Number(row.n ?? 0);
  const at = row.at ?? now;
  switch (row.code) {
    case 'action-overdue': return `${plural(n, 'action')} overdue, the oldest due ${day(at)} (${plural(daysBetween(at, now), 'day')} ago)`;
    case 'early-advice-waiting': return `Early Advice requested ${day(at)}, ${plural(daysBetween(at, now), 'day')} without advice`;
    case 'bail-expiring': return at < now ? `bail expired ${day(at)}` : `bail expires ${day(at)} (in ${plural(daysBetween(now, at), 'day')})`;
    case 'repeat-suspect': return `a suspect with ${plural(n, 'NFA case')} in ${REPEAT_SUSPECT.nfaWithin.years} years, the latest decided ${day(at)}`;
    case 'second-action-plan': return `action plan ${n} of the case`;
    case 'repeat-consultations': return `${plural(n, 'charging submission')}`;
    case 'victim-disengaging': return n > 0 ? 'victim withdrawal recorded' : `no victim contact since ${day(at)} (${plural(daysBetween(at, now), 'day')})`;
    case 'escalated': return `an action's escalation reached the clinic step on ${day(at)}`;
    case 'referred': return `referred by a supervisor on ${day(at)}`;
  }
}

/** Whatever runs SQL: the DataSource, or a transaction's EntityManager. */
export interface Sql { query(sql: string, params?: unknown[]): Promise<unknown> }

/**
 * The agenda of a unit's clinic: each open case that needs the clinic, with every reason it does, by the versioned
 * rules. One SQL statement over the projections (cases, case_items, case_clocks, case_events, case_flags) and the referrals, never
 * a query to each case's workflow: a unit of thousands of open cases is answered in one round trip. Restricted cases
 * are left out (only the people named on them may see them).
 */
export async function agendaFor(db: Sql, unit: string, rules: AgendaRules, now: Date): Promise<AgendaEntry[]> {
  const enabled = new Set(rules.reasons);
  const windows = repeatSuspectWindows(now);
  const rows = (await db.query(
    `WITH open_cases AS (
       SELECT c.id, c.officer_id, c.stage, c.reported_at FROM cases c
       WHERE c.unit = $1 AND NOT c.restricted AND c.stage <> ALL($2::text[])
     ),
     reasons AS (
       SELECT i.case_id, 'action-overdue' AS code, count(*)::int AS n, min(i.due_at) AS at
       FROM case_items i JOIN open_cases o ON o.id = i.case_id
       WHERE i.kind = 'action' AND i.status = 'open' AND i.due_at < $3
       GROUP BY i.case_id
       UNION ALL
       SELECT i.case_id, 'early-advice-waiting', count(*)::int, min(e.occurred_at)
       FROM case_items i JOIN open_cases o ON o.id = i.case_id
       JOIN case_events e ON e.case_id = i.case_id AND e.type = 'early-advice-requested' AND e.data->>'requestId' = i.id::text
       WHERE i.kind = 'early-advice' AND i.status IN ('awaiting-endorsement', 'awaiting-triage', 'accepted') AND e.occurred_at < $3::timestamptz - $4::interval
       GROUP BY i.case_id
       UNION ALL
       SELECT k.case_id, 'bail-expiring', count(*)::int, min(k.due_at)
       FROM case_clocks k JOIN open_cases o ON o.id = k.case_id
       WHERE k.name = 'bail.expiry' AND k.status = 'running' AND k.due_at < $3::timestamptz + $5::interval
       GROUP BY k.case_id
       UNION ALL
       SELECT r.case_id, 'repeat-suspect', max(r.causes), max(r.decided_at)
       FROM ${standingRepeatSuspectRows('f.case_id IN (SELECT id FROM open_cases)', { nfaSince: '$9::timestamptz', reportedSince: '$10::timestamptz' })} r
       GROUP BY r.case_id
       UNION ALL
       SELECT i.case_id, 'second-action-plan', count(*)::int, max(i.updated_at)
       FROM case_items i JOIN open_cases o ON o.id = i.case_id
       WHERE i.kind = 'action-plan'
       GROUP BY i.case_id HAVING count(*) >= 2 AND bool_or(i.status <> 'reviewed')
       UNION ALL
       SELECT i.case_id, 'repeat-consultations', count(*)::int, max(i.updated_at)
       FROM case_items i JOIN open_cases o ON o.id = i.case_id
       WHERE i.kind = 'submission'
       GROUP BY i.case_id HAVING count(*) >= $6
       UNION ALL
       SELECT o.id, 'victim-disengaging', (o.stage = 'victim-disengaging')::int, greatest(o.reported_at, v.last_contact)
       FROM open_cases o
       LEFT JOIN LATERAL (SELECT max(e.occurred_at) AS last_contact FROM case_events e WHERE e.case_id = o.id AND e.type = 'victim-contact-recorded') v ON true
       WHERE o.stage = 'victim-disengaging' OR greatest(o.reported_at, v.last_contact) < $3::timestamptz - $7::interval
       UNION ALL
       SELECT r.case_id, r.kind, count(*)::int, min(r.created_at)
       FROM clinic_referrals r JOIN open_cases o ON o.id = r.case_id
       WHERE r.clinic_id IS NULL AND r.created_at <= $3
       GROUP BY r.case_id, r.kind
     )
     SELECT r.case_id, o.officer_id, r.code, r.n, r.at
     FROM reasons r JOIN open_cases o ON o.id = r.case_id
     WHERE r.code = ANY($8::text[])`,
    [unit, FINISHED_STAGES, now.toISOString(), rules.earlyAdviceWaiting, rules.bailExpiringWithin, rules.repeatConsultations, rules.victimNoContact, [...enabled], windows.nfaSince, windows.reportedSince],
  )) as ReasonRow[];
  const order = new Map(rules.reasons.map((code, i) => [code, i]));
  const byCase = new Map<string, AgendaEntry>();
  for (const row of rows) {
    const entry = byCase.get(row.case_id) ?? { caseId: row.case_id, officerId: row.officer_id, reasons: [] };
    entry.reasons.push({ code: row.code, detail: detail(row, now) });
    byCase.set(row.case_id, entry);
  }
  const entries = [...byCase.values()];
  for (const e of entries) e.reasons.sort((a, b) => order.get(a.code)! - order.get(b.code)!);
  // Most reasons first, then by the first reason's rank in the rules, then a stable order.
  return entries.sort((a, b) => b.reasons.length - a.reasons.length || order.get(a.reasons[0].code)! - order.get(b.reasons[0].code)! || a.caseId.localeCompare(b.caseId));
}
