import { ApiError } from '../common/api-error';
import type { Report, ReportKind } from './report';

/**
 * The seam between the figures (SQL over the case data, built beside GET /api/reports/monthly|quarterly) and what is
 * rendered from them here: the scheduled email and the reports page. The figures service satisfies it; the API
 * module provides it as REPORT_FIGURES and the worker hands it to the activities.
 */
export interface ReportScope {
  level: 'area' | 'force' | 'unit';
  /** The unit, force or CPS area id; null with `area`: the whole region. */
  id: string | null;
}

export interface ReportFiguresPort {
  /** The report of one period (`2026-10`, `2026-Q3`) for one scope: aggregates only. */
  report(kind: ReportKind, periodId: string, scope: ReportScope): Promise<Report>;
  /** The report as the CSV `Accept: text/csv` answers (the figures' own renderer). */
  csv(report: Report): string;
}

export const REPORT_FIGURES = Symbol('ReportFigures');

/** What is provided until the figures service is wired in: the page answers 503 (the worker has its own refusal). */
export const unavailableReportFigures: ReportFiguresPort = {
  report: () => Promise.reject(ApiError.unavailable('The report figures are not available in this deployment yet.')),
  csv: () => { throw ApiError.unavailable('The report figures are not available in this deployment yet.'); },
};
