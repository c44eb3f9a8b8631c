import type { DataSource } from 'typeorm';
import { standingRepeatSuspectFlags } from '../../activities/flags/repeat-suspect';
import type { Principal } from '../auth/principal';
import { caseAccess } from './case-access';

/**
 * A case that caused a repeat-suspect flag, as the viewer may be shown it: ids and figures, never a person. One they may
 * open is linked (`open`); one within their reach they may not open still shows its id and URN; one hidden from them
 * (another force's, or a restricted case they are not named on) shows only its force, when it was decided and how,
 * exactly as a hidden case never appears in a list.
 */
export interface RepeatSuspectCause {
  caseId: string | null;
  urn: string | null;
  forceId: string;
  decidedAt: string;
  outcomeCode: number | null;
  open: boolean;
}

export interface RepeatSuspectFlagView {
  kind: 'repeat-suspect';
  /** The flagged suspect's party id on the case (never the name). */
  suspectId: string;
  causedBy: RepeatSuspectCause[];
}

interface CauseRow {
  id: string;
  urn: string;
  unit: string;
  force_id: string;
  officer_id: string;
  referred_to_cps: boolean;
  restricted: boolean;
  outcome_code: number | null;
  grantees: string[];
}

/** The repeat-suspect flags standing now on these cases, by case, each cause shown as the caller may see it. */
export async function repeatSuspectFlagsFor(db: DataSource, principal: Principal, caseIds: string[], now = new Date()): Promise<Map<string, RepeatSuspectFlagView[]>> {
  const flags = await standingRepeatSuspectFlags(db, caseIds, now);
  const causeIds = [...new Set(flags.flatMap((f) => f.causes.map((c) => c.caseId)))];
  const rows = causeIds.length ? (await db.query(
    `SELECT c.id, c.urn, c.unit, c.force_id, c.officer_id, c.referred_to_cps, c.restricted, c.outcome_code,
            CASE WHEN c.restricted THEN ARRAY(SELECT g.person_id::text FROM case_access_grants g WHERE g.case_id = c.id) ELSE '{}' END AS grantees
     FROM cases c WHERE c.id = ANY($1::uuid[])`,
    [causeIds],
  )) as CauseRow[] : [];
  const causes = new Map(rows.map((r) => [r.id, r]));
  const byCase = new Map<string, RepeatSuspectFlagView[]>();
  for (const flag of flags) {
    const causedBy = flag.causes.map(({ caseId, decidedAt }): RepeatSuspectCause => {
      const c = causes.get(caseId)!;
      const access = caseAccess(principal, { unit: c.unit, forceId: c.force_id, officerId: c.officer_id, referredToCps: c.referred_to_cps, restricted: c.restricted, grantees: c.grantees });
      const shown = access !== 'hidden';
      return { caseId: shown ? c.id : null, urn: shown ? c.urn : null, forceId: c.force_id, decidedAt: decidedAt.toISOString(), outcomeCode: c.outcome_code, open: access === 'open' };
    });
    byCase.set(flag.caseId, [...(byCase.get(flag.caseId) ?? []), { kind: 'repeat-suspect', suspectId: flag.suspectPartyId, causedBy }]);
  }
  return byCase;
}
