import type { EntityManager } from 'typeorm';
import type { PanelRules } from '../../workflows/contracts/policy';
import type { StratumPopulation } from './sample';

/** Where a case may be once closed: decided and not reopened (reopening clears the decision). */
const CLOSED_STAGES = ['charged', 'nfa-confirmed', 'admin-finalised', 'closed', 'vrr-review', 'scrutiny-sampled'];

/**
 * Each stratum's population: the cases of the scope (a force, or one of its units) whose latest closing event falls in
 * the period and still stands, by the stratum's closure and outcome codes, ordered by case id. Restricted cases are left
 * out, as from clinic agendas: they open only for the people named on them.
 */
export async function strataPopulations(tx: EntityManager, rules: Pick<PanelRules, 'strata'>, scope: { forceId: string; unit: string | null }, period: { from: Date; to: Date }): Promise<StratumPopulation[]> {
  const closures = [...new Set(rules.strata.map((s) => s.closure))];
  const rows = (await tx.query(
    `SELECT c.id, last.type, (last.data->>'outcomeCode')::int AS outcome_code
       FROM cases c
       JOIN LATERAL (SELECT e.type, e.data, e.occurred_at FROM case_events e WHERE e.case_id = c.id AND e.type = ANY($1) ORDER BY e.seq DESC LIMIT 1) last ON true
      WHERE c.force_id = $2 AND ($3::text IS NULL OR c.unit = $3) AND c.restricted = false AND c.stage = ANY($4)
        AND last.occurred_at >= $5 AND last.occurred_at < $6
      ORDER BY c.id`,
    [closures, scope.forceId, scope.unit, CLOSED_STAGES, period.from, period.to],
  )) as { id: string; type: string; outcome_code: number | null }[];
  return rules.strata.map((s) => ({
    code: s.code,
    caseIds: rows.filter((r) => r.type === s.closure && (!s.outcomeCodes || (r.outcome_code !== null && s.outcomeCodes.includes(r.outcome_code)))).map((r) => r.id),
  }));
}
