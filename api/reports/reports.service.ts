import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { RegionPolicies } from '../../policy/load-policy';
import { hasRole, type Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE, POLICIES } from '../infrastructure/tokens';
import { parsePeriod } from './periods';
import type { Report, ReportKind } from './report';
import { ReportFigures } from './report-figures';
import { type ResolvedScope, ScopeNotFound, type ScopeRequest } from './report-scope';

/**
 * Who reads which figures (aggregates only): a police supervisor their force and its units; CPS staff their area (the
 * police units its teams serve); an analyst their force or area as the directory places them, or the whole region
 * when it places them in neither. Anyone else: 403.
 */
export function reportScopeFor(principal: Principal): ScopeRequest {
  if (hasRole(principal, 'supervisor') && principal.forceId) return { level: 'force', id: principal.forceId };
  if (hasRole(principal, 'cps') && principal.areaId) return { level: 'area', id: principal.areaId };
  if (hasRole(principal, 'analyst')) {
    if (principal.forceId) return { level: 'force', id: principal.forceId };
    if (principal.areaId) return { level: 'area', id: principal.areaId };
    return { level: 'region' };
  }
  throw ApiError.forbidden('Reports are for supervisors, the CPS and analysts of a force or CPS area.');
}

/** The reports routes' service: the caller's scope, the period's checks, then the figures (ReportFigures). */
@Injectable()
export class ReportsService {
  readonly figures: ReportFigures;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource, @Inject(POLICIES) policies: RegionPolicies) {
    this.figures = new ReportFigures(db, policies.region);
  }

  async report(principal: Principal, kind: ReportKind, periodId: string, unit?: string, now = new Date()): Promise<Report> {
    const field = kind === 'monthly' ? 'month' : 'quarter';
    const period = parsePeriod(kind, periodId);
    if (Date.parse(period.from) > now.getTime()) {
      throw ApiError.unprocessable(`That ${field} has not begun.`, [{ field, problem: `${periodId} has not begun: ask for a ${field} up to the current one` }]);
    }
    const scope = await this.scopeOf(principal, unit);
    return this.figures.report(period, scope, { now });
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
