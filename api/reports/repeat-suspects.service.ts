import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { FINISHED_STAGES } from '../../activities/clinics/agenda';
import { repeatSuspectWindows, standingRepeatSuspectRows } from '../../activities/flags/repeat-suspect';
import { hasRole, type Principal } from '../auth/principal';
import { caseScope, restrictionScope } from '../cases/case-access';
import { type RepeatSuspectFlagView, repeatSuspectFlagsFor } from '../cases/case-flags';
import { DATA_SOURCE } from '../infrastructure/tokens';

/** Rows one report answers: the most recently reported first. */
const REPORT_LIMIT = 500;

export interface RepeatSuspectCase {
  caseId: string;
  urn: string;
  unit: string;
  stage: string;
  reportedAt: string;
  officerId: string;
  flags: RepeatSuspectFlagView[];
}

/**
 * The open cases whose suspect is flagged as a repeat suspect, with the cases that caused each flag: ids, URNs and
 * figures only. A police supervisor sees their force's (across its units, as the flag is a force's concern, but never a
 * restricted case they are not named on); CPS staff the referred cases of the units their area serves.
 */
@Injectable()
export class RepeatSuspectsReport {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async list(principal: Principal, now = new Date()): Promise<{ generatedAt: string; cases: RepeatSuspectCase[] }> {
    const scope = hasRole(principal, 'supervisor') ? restrictionScope(principal, 'c') : caseScope(principal, 'c');
    const windows = repeatSuspectWindows(now);
    const [sql, params] = this.db.driver.escapeQueryWithParameters(
      `SELECT c.id, c.urn, c.unit, c.stage, c.reported_at, c.officer_id FROM cases c
       WHERE c.id IN (SELECT r.case_id FROM ${standingRepeatSuspectRows('true', { nfaSince: ':nfaSince', reportedSince: ':reportedSince' })} r)
         AND c.stage <> ALL(:finished) AND ${scope.where}
       ORDER BY c.reported_at DESC, c.id LIMIT ${REPORT_LIMIT}`,
      { ...scope.params, ...windows, finished: FINISHED_STAGES },
      {},
    );
    const rows = (await this.db.query(sql, params)) as { id: string; urn: string; unit: string; stage: string; reported_at: Date; officer_id: string }[];
    const flags = await repeatSuspectFlagsFor(this.db, principal, rows.map((r) => r.id), now);
    return {
      generatedAt: now.toISOString(),
      cases: rows.map((r) => ({ caseId: r.id, urn: r.urn, unit: r.unit, stage: r.stage, reportedAt: r.reported_at.toISOString(), officerId: r.officer_id, flags: flags.get(r.id) ?? [] })),
    };
  }
}
