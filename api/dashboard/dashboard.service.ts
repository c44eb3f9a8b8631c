import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { caseScope } from '../cases/case-access';
import { DATA_SOURCE } from '../infrastructure/tokens';

/** Age bands of an overdue item, in whole days past its due time. */
export const AGE_BANDS = [
  { key: '0-7', from: 0, to: 7 }, { key: '8-14', from: 8, to: 14 }, { key: '15-28', from: 15, to: 28 }, { key: '>28', from: 29, to: Infinity },
] as const;

/** Clocks the CPS must beat; every other clock is the officer's (as the case workflow's reminders have it). */
const CPS_CLOCKS = ['earlyAdvice.triage', 'earlyAdvice.advice', 'charging.decision', 'vrr.cps.decision'];

export interface OverdueItem { clockKey: string; clockName: string; caseId: string; caseUrn: string; dueAt: string; daysOverdue: number; band: string; owner: string }

/**
 * A supervisor's view of their unit: what is overdue (by age band and owner), bail running out in the next 30 days,
 * escalations nobody has acknowledged, and files waiting for a gatekeeper. Every list is cut to the cases the
 * supervisor may open (the one access rule).
 */
@Injectable()
export class DashboardService {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** Plain SQL with the access rule's `:named` parameters, bound by TypeORM's driver. */
  private named(sql: string, params: Record<string, unknown>): [string, unknown[]] {
    return this.db.driver.escapeQueryWithParameters(sql, params, {});
  }

  async forUnit(principal: Principal) {
    const scope = caseScope(principal, 'c');
    const unit = { ...scope.params, unit: principal.unit };
    const inUnit = `c.unit = :unit AND ${scope.where}`;
    const [overdueRows, bail, escalations, gatekeeper] = await Promise.all([
      this.db.query(...this.named(`
        SELECT k.key AS "clockKey", k.name AS "clockName", c.id AS "caseId", c.urn AS "caseUrn", k.due_at AS "dueAt",
               floor(extract(epoch FROM now() - k.due_at) / 86400)::int AS "daysOverdue",
               CASE WHEN k.name = ANY(:cpsClocks) OR i.owner = 'cps' THEN 'CPS' ELSE coalesce(o.name, 'Officer in case') END AS owner
        FROM case_clocks k JOIN cases c ON c.id = k.case_id
        LEFT JOIN case_items i ON i.id = k.subject_id AND i.kind = 'action'
        LEFT JOIN people o ON o.id = c.officer_id
        WHERE k.status = 'running' AND k.paused_since IS NULL AND k.due_at < now() AND ${inUnit}
        ORDER BY k.due_at ASC LIMIT 500`, { ...unit, cpsClocks: CPS_CLOCKS })),
      this.db.query(...this.named(`
        SELECT c.id AS "caseId", c.urn AS "caseUrn", k.subject_id AS "suspectId", k.due_at AS "expiresAt", coalesce(o.name, '') AS officer
        FROM case_clocks k JOIN cases c ON c.id = k.case_id LEFT JOIN people o ON o.id = c.officer_id
        WHERE k.status = 'running' AND k.name = 'bail.expiry' AND k.due_at < now() + interval '30 days' AND ${inUnit}
        ORDER BY k.due_at ASC LIMIT 200`, unit)),
      this.db.query(...this.named(`
        SELECT t.clock_key AS "clockKey", t.clock_name AS "clockName", c.id AS "caseId", c.urn AS "caseUrn", min(t.due_at) AS "dueAt",
               min(t.created_at) AS "raisedAt", string_agg(DISTINCT p.name, ', ') AS "with"
        FROM tasks t JOIN cases c ON c.id = t.case_id JOIN people p ON p.id = t.person_id
        WHERE t.kind = 'escalation' AND t.status = 'open' AND ${inUnit}
        GROUP BY t.clock_key, t.clock_name, c.id, c.urn ORDER BY min(t.due_at) ASC LIMIT 200`, unit)),
      this.db.query(...this.named(`
        SELECT c.id AS "caseId", c.urn AS "caseUrn", i.id AS "submissionId", i.data->>'test' AS test, i.data->>'category' AS category,
               i.updated_at AS "submittedAt", coalesce(o.name, '') AS officer
        FROM case_items i JOIN cases c ON c.id = i.case_id LEFT JOIN people o ON o.id = c.officer_id
        WHERE i.kind = 'submission' AND i.status = 'awaiting-gatekeeper' AND ${inUnit}
        ORDER BY i.updated_at ASC LIMIT 200`, unit)),
    ]);
    const overdue: OverdueItem[] = (overdueRows as (Omit<OverdueItem, 'band' | 'dueAt'> & { dueAt: Date })[]).map((r) => ({
      ...r, dueAt: r.dueAt.toISOString(), band: AGE_BANDS.find((b) => r.daysOverdue >= b.from && r.daysOverdue <= b.to)!.key,
    }));
    const owners = [...new Set(overdue.map((o) => o.owner))].sort();
    return {
      unit: principal.unit,
      overdue: {
        bands: AGE_BANDS.map((b) => b.key),
        byOwner: owners.map((owner) => ({ owner, counts: AGE_BANDS.map((b) => overdue.filter((o) => o.owner === owner && o.band === b.key).length) })),
        items: overdue,
      },
      bailExpiring: bail as { caseId: string; caseUrn: string; suspectId: string; expiresAt: Date; officer: string }[],
      escalationsAwaitingAcknowledgement: escalations as { clockKey: string; clockName: string; caseId: string; caseUrn: string; dueAt: Date; raisedAt: Date; with: string }[],
      awaitingGatekeeper: gatekeeper as { caseId: string; caseUrn: string; submissionId: string; test: string; category: string; submittedAt: Date; officer: string }[],
    };
  }
}
