import type { Report, ReportKind } from './report';
import { reportToCsv } from './report-csv';
import type { ReportFigures } from './report-figures';
import { lastCompletePeriod, parsePeriod } from './periods';
import type { ScopeRequest } from './report-scope';

/**
 * What the scheduled email is rendered from (activities/reports): the report of a period for a scope, and its CSV. The
 * worker hands the activities `reportFiguresPort(new ReportFigures(dataSource, policy))`: the same figures, scoped the
 * same way, as GET /api/reports/monthly|quarterly and the reports page (ReportsService).
 */
export interface ReportScope {
  level: 'area' | 'force' | 'unit';
  /** The unit, force or CPS area id; null with `area`: the whole region. */
  id: string | null;
}

export interface ReportFiguresPort {
  /** The report of one period (`2026-10`, `2026-Q3`) for one scope: aggregates only. */
  report(kind: ReportKind, periodId: string, scope: ReportScope): Promise<Report>;
  /** The report as the CSV `Accept: text/csv` answers. */
  csv(report: Report): string;
  /**
   * Computes and keeps every police unit's figures for the last period of `kind` complete at `at` and its trend (only
   * what is not kept already), so the first person to open the pack after the period ends reads kept figures.
   */
  keep(kind: ReportKind, at: Date): Promise<void>;
}

/** The port's scope as the figures' request: an area with no id is the whole region. */
export function scopeRequestOf(scope: ReportScope): ScopeRequest {
  if (scope.level === 'area' && scope.id === null) return { level: 'region' };
  if (scope.id === null) throw new RangeError(`a ${scope.level} scope needs an id`);
  return { level: scope.level, id: scope.id };
}

/** The figures' request as the port's scope: the region is an area with no id. */
export function reportScopeOf(request: ScopeRequest): ReportScope {
  return request.level === 'region' ? { level: 'area', id: null } : { level: request.level, id: request.id };
}

/** The port over the real figures (SQL over the case data). */
export function reportFiguresPort(figures: ReportFigures): ReportFiguresPort {
  return {
    report: (kind, periodId, scope) => figures.report(parsePeriod(kind, periodId), scopeRequestOf(scope)),
    csv: reportToCsv,
    keep: async (kind, at) => {
      await figures.report(lastCompletePeriod(kind, at), { level: 'region' });
    },
  };
}
