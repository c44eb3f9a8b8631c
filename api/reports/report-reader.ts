import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { lastCompletePeriod, periodKindOf, shiftPeriod, TREND_LENGTH } from './periods';
import type { Report, ReportKind } from './report';
import { ReportsService } from './reports.service';

export interface ReportQuery { period?: string; unit?: string }

/** How many quarters the page offers. */
const QUARTERS_OFFERED = 8;

/**
 * What a reader of the reports page asks for: a month (`2026-10`) or a quarter (`2026-Q3`) in one `period` field, by
 * default the last month ended, and optionally one unit. Everything else is ReportsService's, as for
 * GET /api/reports/monthly|quarterly: who reads which scope (a unit out of reach is not found), the period's checks (one
 * not begun yet: 422) and the figures.
 */
@Injectable()
export class ReportReader {
  constructor(private readonly reports: ReportsService) {}

  /** The month or quarter asked for, or the last month ended; neither a month nor a quarter is a 400. */
  period(text: string | undefined, now = new Date()): { kind: ReportKind; id: string } {
    if (!text) return { kind: 'monthly', id: lastCompletePeriod('monthly', now).id };
    const kind = periodKindOf(text);
    if (!kind) throw ApiError.badRequest('The period is not a month or a quarter.', [{ field: 'period', problem: 'must be a month (YYYY-MM) or a quarter (YYYY-Qn)' }]);
    return { kind, id: text };
  }

  /** The last 13 months and 8 quarters ended, newest first: what the page offers. */
  periodOptions(now = new Date()): { months: string[]; quarters: string[] } {
    const back = (kind: ReportKind, count: number) => {
      const last = lastCompletePeriod(kind, now);
      return Array.from({ length: count }, (_, i) => shiftPeriod(last, -i).id);
    };
    return { months: back('monthly', TREND_LENGTH), quarters: back('quarterly', QUARTERS_OFFERED) };
  }

  /** The police units of the reader's scope: what the page's unit select offers. */
  async units(principal: Principal): Promise<{ id: string; name: string }[]> {
    return (await this.reports.scopeOf(principal)).units;
  }

  async read(principal: Principal, query: ReportQuery, now = new Date()): Promise<{ report: Report; period: { kind: ReportKind; id: string } }> {
    const period = this.period(query.period, now);
    return { report: await this.reports.report(principal, period.kind, period.id, query.unit || undefined, now), period };
  }
}
