import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { hasRole, type Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE } from '../infrastructure/tokens';
import { parsePeriod } from './periods';
import type { Report, ReportKind, ReportPeriod } from './report';
import { ReportFigures } from './report-figures';
import { type ResolvedScope, ScopeNotFound, type ScopeRequest } from './report-scope';

/**
 * Who reads which figures (aggregates only): a police supervisor their force and its units; CPS staff their area (the
 * police units its teams serve); an analyst their force or area as the directory places them, or the whole region
 * when it places them in neither. Anyone else: 403. The one rule for the API's routes, the reports page (through
 * ReportsService) and the scheduled email's recipients (activities/reports).
 */
export function reportScopeFor(principal: Pick<Principal, 'roles' | 'forceId' | 'areaId'>): ScopeRequest {
  if (hasRole(principal, 'supervisor') && principal.forceId) return { level: 'force', id: principal.forceId };
  if (hasRole(principal, 'cps') && principal.areaId) return { level: 'area', id: principal.areaId };
  if (hasRole(principal, 'analyst')) {
    if (principal.forceId) return { level: 'force', id: principal.forceId };
    if (principal.areaId) return { level: 'area', id: principal.areaId };
    return { level: 'region' };
  }
  throw ApiError.forbidden('Reports are for supervisors, the CPS and analysts of a force or CPS area.');
}

/**
 * The reports' service, for the API's routes and the reports page alike: the caller's scope, the period's checks,
 * then the figures (ReportFigures, provided by the API module over its DataSource and the regional policy).
 */
@Injectable()
export class ReportsService {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource, private readonly figures: ReportFigures) {}

  async report(principal: Principal, kind: ReportKind, periodId: string, unit?: string, now = new Date()): Promise<Report> {
    const period = this.period(kind, periodId, now);
    const scope = await this.scopeOf(principal, unit);
    return this.figures.report(period, scope, { now });
  }

  /** A month (`YYYY-MM`) or quarter (`YYYY-Qn`, as validated by the caller) that has begun; one not begun yet: 422. */
  period(kind: ReportKind, periodId: string, now = new Date()): ReportPeriod {
    const field = kind === 'monthly' ? 'month' : 'quarter';
    const period = parsePeriod(kind, periodId);
    if (Date.parse(period.from) > now.getTime()) {
      throw ApiError.unprocessable(`That ${field} has not begun.`, [{ field, problem: `${periodId} has not begun: ask for a ${field} up to the current one` }]);
    }
    return period;
  }

  /** The caller's scope, or one unit of it: a unit outside it answers as one that does not exist (404). */
  async scopeOf(principal: Principal, unit?: string): Promise<ResolvedScope> {
    const whole = await this.resolve(reportScopeFor(principal));
    if (unit === undefined) return whole;
    if (!whole.units.some((u) => u.id === unit)) {
      const [row] = (await this.db.query('SELECT organisation FROM units WHERE id = $1', [unit])) as { organisation: string }[];
      if (row && row.organisation !== 'police') throw ApiError.unprocessable('Reports are by police unit.', [{ field: 'unit', problem: 'is a CPS team, not a police unit' }]);
      throw ApiError.notFound('That unit');
    }
    return this.resolve({ level: 'unit', id: unit });
  }

  private async resolve(request: ScopeRequest): Promise<ResolvedScope> {
    try {
      return await this.figures.resolveScope(request);
    } catch (err) {
      if (err instanceof ScopeNotFound) throw ApiError.forbidden('Your force or CPS area is not in the directory.');
      throw err;
    }
  }
}
