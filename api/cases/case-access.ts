import type { DataSource } from 'typeorm';
import { CaseAccessGrant, CaseRecord } from '../../db/entities';
import type { Principal } from '../auth/principal';
import { hasRole } from '../auth/principal';
import { ApiError } from '../common/api-error';

/** What access rules need of a case. `grantees` are the people named on a restricted case (unknown: nobody). */
export type CaseAccessFacts = Pick<CaseRecord, 'unit' | 'officerId' | 'referredToCps'> & { restricted?: boolean; grantees?: readonly string[] };

/**
 * How a case looks to a caller: `open`, `forbidden` (403: it exists, it is not theirs) or `hidden` (404: a restricted
 * case they are not named on, answered exactly like a case that does not exist).
 */
export type CaseAccess = 'open' | 'forbidden' | 'hidden';

/**
 * Who may open a case (docs/api.md roles). One place, used by reads, writes and list filters alike, so a list never
 * returns a case its caller could not open. Police see their unit's cases and cases they are on; the CPS sees cases
 * referred to it. A restricted case (e.g. the suspect is police staff) opens only for the officer in case and the
 * people granted access, whatever their unit or the referral.
 */
export function caseAccess(principal: Principal, kase: CaseAccessFacts): CaseAccess {
  const police = hasRole(principal, 'officer', 'supervisor');
  if (kase.restricted) {
    if (police && kase.officerId === principal.id) return 'open';
    if (hasRole(principal, 'officer', 'supervisor', 'cps') && (kase.grantees ?? []).includes(principal.id)) return 'open';
    return 'hidden';
  }
  if (police && (kase.unit === principal.unit || kase.officerId === principal.id)) return 'open';
  if (hasRole(principal, 'cps') && kase.referredToCps) return 'open';
  return 'forbidden';
}

export function canOpenCase(principal: Principal, kase: CaseAccessFacts): boolean {
  return caseAccess(principal, kase) === 'open';
}

/** The SQL twin of canOpenCase for lists: a WHERE clause and its parameters. */
export function caseScope(principal: Principal, alias = 'c'): { where: string; params: Record<string, unknown> } {
  const open: string[] = [];
  const restricted: string[] = [];
  if (hasRole(principal, 'officer', 'supervisor')) {
    open.push(`${alias}.unit = :scopeUnit`, `${alias}.officer_id = :scopePerson`);
    restricted.push(`${alias}.officer_id = :scopePerson`);
  }
  if (hasRole(principal, 'cps')) open.push(`${alias}.referred_to_cps = true`);
  if (hasRole(principal, 'officer', 'supervisor', 'cps')) {
    restricted.push(`EXISTS (SELECT 1 FROM case_access_grants scope_grant WHERE scope_grant.case_id = ${alias}.id AND scope_grant.person_id = :scopePerson)`);
  }
  const either = (clauses: string[]) => (clauses.length ? `(${clauses.join(' OR ')})` : 'false');
  return {
    where: `((${alias}.restricted = false AND ${either(open)}) OR (${alias}.restricted = true AND ${either(restricted)}))`,
    params: { scopeUnit: principal.unit, scopePerson: principal.id },
  };
}

/**
 * For lists scoped another way (a person's own inbox): leaves out only the restricted cases the caller may not open.
 * Joins nothing; `alias` is the `cases` row of the query.
 */
export function restrictionScope(principal: Principal, alias = 'c'): { where: string; params: Record<string, unknown> } {
  const police = hasRole(principal, 'officer', 'supervisor') ? `${alias}.officer_id = :scopePerson OR ` : '';
  const named = hasRole(principal, 'officer', 'supervisor', 'cps')
    ? `EXISTS (SELECT 1 FROM case_access_grants scope_grant WHERE scope_grant.case_id = ${alias}.id AND scope_grant.person_id = :scopePerson)` : 'false';
  return { where: `(${alias}.restricted = false OR ${police}${named})`, params: { scopePerson: principal.id } };
}

/** The people named on a restricted case (an unrestricted case needs none). */
export async function granteesOf(db: DataSource, kase: Pick<CaseRecord, 'id' | 'restricted'>): Promise<string[]> {
  if (!kase.restricted) return [];
  const grants = await db.getRepository(CaseAccessGrant).find({ select: { personId: true }, where: { caseId: kase.id } });
  return grants.map((g) => g.personId);
}

/**
 * Loads a case the caller may open: 404 for an unknown case and for a restricted one they are not named on, 403
 * for one outside their reach. `what` names the thing in the 404 (`That early advice`), so an item route on a
 * hidden case answers exactly as for an unknown item.
 */
export async function openCase(db: DataSource, principal: Principal, caseId: string, what = 'That case'): Promise<CaseRecord> {
  const record = await db.getRepository(CaseRecord).findOneBy({ id: caseId });
  if (!record) throw ApiError.notFound(what);
  const access = caseAccess(principal, { ...record, grantees: await granteesOf(db, record) });
  if (access === 'hidden') throw ApiError.notFound(what);
  if (access === 'forbidden') throw ApiError.forbidden('You are not on this case or its unit.');
  return record;
}

/** Whether the caller may see victims' and suspects' identities on a case they can open. */
export function canSeeParties(principal: Principal): boolean {
  return hasRole(principal, 'officer', 'supervisor', 'cps');
}
