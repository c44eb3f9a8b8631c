import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE } from '../infrastructure/tokens';
import type { Report, ReportKind } from './report';
import { REPORT_FIGURES, type ReportFiguresPort, type ReportScope } from './report-figures.port';

const ZONE = 'Europe/London';
const MONTH = /^(20\d\d)-(0[1-9]|1[0-2])$/;
const QUARTER = /^(20\d\d)-Q([1-4])$/;

export interface ReportQuery { period?: string; unit?: string }

/**
 * What a reader of the reports page asks for, resolved to the figures port: the period (a month `2026-10` or a quarter
 * `2026-Q3`, by default the last month ended) and the scope they may read: their force's, their CPS area's units, or
 * the region's, or one unit within it (another is not found, as for any record out of reach). Aggregates only.
 *
 * MERGE: when the figures service brings its own reader scope for GET /api/reports/..., call that here instead of
 * readerScope, so the page and the API keep one access rule.
 */
@Injectable()
export class ReportReader {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource, @Inject(REPORT_FIGURES) private readonly figures: ReportFiguresPort) {}

  /** The month or quarter asked for, or the last month ended; a malformed or future period is a 400. */
  period(text: string | undefined, now = new Date()): { kind: ReportKind; id: string } {
    const today = DateTime.fromJSDate(now, { zone: ZONE });
    if (!text) return { kind: 'monthly', id: today.startOf('month').minus({ months: 1 }).toFormat('yyyy-LL') };
    const month = MONTH.exec(text);
    const quarter = QUARTER.exec(text);
    const from = month ? DateTime.fromObject({ year: Number(month[1]), month: Number(month[2]) }, { zone: ZONE })
      : quarter ? DateTime.fromObject({ year: Number(quarter[1]), month: Number(quarter[2]) * 3 - 2 }, { zone: ZONE }) : null;
    if (!from) throw ApiError.badRequest('The period is not a month or a quarter.', [{ field: 'period', problem: 'must be a month (YYYY-MM) or a quarter (YYYY-Qn)' }]);
    if (from > today) throw ApiError.badRequest('The period has not started yet.', [{ field: 'period', problem: 'must not be in the future' }]);
    return { kind: month ? 'monthly' : 'quarterly', id: text };
  }

  /** The last 13 months and 8 quarters, newest first: what the page offers. */
  periodOptions(now = new Date()): { months: string[]; quarters: string[] } {
    const today = DateTime.fromJSDate(now, { zone: ZONE });
    const months = Array.from({ length: 13 }, (_, i) => today.startOf('month').minus({ months: i + 1 }).toFormat('yyyy-LL'));
    const quarters = Array.from({ length: 8 }, (_, i) => today.startOf('quarter').minus({ months: 3 * (i + 1) })).map((d) => `${d.year}-Q${d.quarter}`);
    return { months, quarters };
  }

  /** The police units the reader's figures cover: their force's, the units their CPS area serves, or every one. */
  async units(principal: Principal): Promise<{ id: string; name: string }[]> {
    const rows = principal.forceId
      ? await this.db.query(`SELECT id, name FROM units WHERE organisation = 'police' AND force_id = $1 ORDER BY name, id`, [principal.forceId])
      : principal.areaId
        ? await this.db.query(`SELECT id, name FROM units WHERE organisation = 'police' AND id = ANY($1) ORDER BY name, id`, [[...principal.servedUnits]])
        : await this.db.query(`SELECT id, name FROM units WHERE organisation = 'police' ORDER BY name, id`);
    return rows as { id: string; name: string }[];
  }

  async readerScope(principal: Principal, unit?: string): Promise<ReportScope> {
    if (unit) {
      if (!(await this.units(principal)).some((u) => u.id === unit)) throw ApiError.notFound('That unit');
      return { level: 'unit', id: unit };
    }
    if (principal.forceId) return { level: 'force', id: principal.forceId };
    return { level: 'area', id: principal.areaId };
  }

  async read(principal: Principal, query: ReportQuery): Promise<{ report: Report; period: { kind: ReportKind; id: string } }> {
    const period = this.period(query.period);
    const scope = await this.readerScope(principal, query.unit || undefined);
    return { report: await this.figures.report(period.kind, period.id, scope), period };
  }

  csv(report: Report): string {
    return this.figures.csv(report);
  }
}
