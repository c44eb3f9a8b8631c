import type { EntityManager } from 'typeorm';
import { REPORT_STATE_EVENTS } from '../../db/migrations/1766000000000-report-state-spans';

/** Timeline event kinds that change the states a report reads at a period's end (actions, bail, RUI). */
export const REPORT_STATE_EVENT_TYPES: ReadonlySet<string> = new Set(REPORT_STATE_EVENTS);

/**
 * Computes the cases' spans of state (`report_state_spans`: actions open, suspects on bail or RUI, over time) afresh
 * from their timelines, in the caller's transaction: once when a case changes, so that no report rebuilds them.
 */
export async function refreshReportStates(db: Pick<EntityManager, 'query'>, caseIds: string[]): Promise<void> {
  if (caseIds.length) await db.query('SELECT report_refresh_states($1::uuid[])', [caseIds]);
}
