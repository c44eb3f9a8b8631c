import type { DataSource } from 'typeorm';
import { CaseAccessGrant, CaseRecord } from '../../db/entities';
import type { Principal } from '../auth/principal';
import { hasRole } from '../auth/principal';
import { ApiError } from '../common/api-error';

/** What access rules need of a case. `grantees` are the people named on a restricted case (unknown: nobody). */
export type CaseAccessFacts = Pick<CaseRecord, 'unit' | 'forceId' | 'officerId' | 'referredToCps'> & { restricted?: boolean; grantees?: readonly string[] };

/**
 * How a case looks to a caller: `open`, `forbidden` (403: it exists, it is not theirs) or `hidden` (404: another
 * force's case, or a restricted case they are not named on, answered exactly like a case that does not exist).
 */
export type CaseAccess = 'open' | 'forbidden' | 'hidden';

const isPolice = (principal: Principal) => hasRole(principal, 'officer', 'supervisor');

/**
 * Whether a case is within the caller's force or area at all: police staff reach their own force's cases, CPS staff
 * the cases of the police units their area's teams serve. Outside it a case does not exist for them.
 */
function reaches(principal: Principal, kase: Pick<CaseRecord, 'unit' | 'forceId'>): { police: boolean; cps: boolean } {
  return {
    police: isPolice(principal) && principal.forceId !== null && kase.forceId === principal.forceId,
    cps: hasRole(principal, 'cps') && principal.servedUnits.includes(kase.unit),
  };
}

/**
 * Who may open a case (docs/api.md roles). One place, used by reads, writes and list filters alike, so a list never
 * returns a case its caller could not open. Police see their own force's cases only, and within it their unit's
 * cases and cases they are on; the CPS sees the referred cases of the units its area serves. Another force's case
 * is hidden (404), in the API and pages alike. A restricted case (e.g. the suspect is police staff) opens only for
 * the officer in case and the people granted access, whatever their unit or the referral.
 */
export function caseAccess(principal: Principal, kase: CaseAccessFacts): CaseAccess {
  const reach = reaches(principal, kase);
  if (!reach.police && !reach.cps) return isPolice(principal) || hasRole(principal, 'cps') ? 'hidden' : 'forbidden';
  if (kase.restricted) {
    if (reach.police && kase.officerId === principal.id) return 'open';
    if ((kase.grantees ?? []).includes(principal.id)) return 'open';
    return 'hidden';
  }
  if (reach.police && (kase.unit === principal.unit || kase.officerId === principal.id)) return 'open';
  if (reach.cps && kase.referredToCps) return 'open';
  return 'forbidden';
}

export function canOpenCase(principal: Principal, kase: CaseAccessFacts): boolean {
  return caseAccess(principal, kase) === 'open';
}

/** The SQL twins of `reaches`: the caller's force, and the units their CPS area serves (null: none). */
function reachClauses(principal: Principal, alias: string): { police: string | null; cps: string | null } {
  return {
    police: isPolice(principal) && principal.forceId !== null ? `${alias}.force_id = :scopeForce` : null,
    cps: hasRole(principal, 'cps') && principal.servedUnits.length ? `${alias}.unit = ANY(:scopeServed)` : null,
  };
}

const either = (clauses: (string | null)[]) => {
  const present = clauses.filter((c): c is string => c !== null);
  return present.length ? `(${present.join(' OR ')})` : 'false';
};

const GRANTED = (alias: string) => `EXISTS (SELECT 1 FROM case_access_grants scope_grant WHERE scope_grant.case_id = ${alias}.id AND scope_grant.person_id = :scopePerson)`;

function scopeParams(principal: Principal) {
  return { scopeUnit: principal.unit, scopePerson: principal.id, scopeForce: principal.forceId, scopeServed: [...principal.servedUnits] };
}

/** The SQL twin of canOpenCase for lists: a WHERE clause and its parameters. */
export function caseScope(principal: Principal, alias = 'c'): { where: string; params: Record<string, unknown> } {
  const reach = reachClauses(principal, alias);
  const open = [
    reach.police && `(${reach.police} AND (${alias}.unit = :scopeUnit OR ${alias}.officer_id = :scopePerson))`,
    reach.cps && `(${reach.cps} AND ${alias}.referred_to_cps = true)`,
  ];
  const restricted = [
    reach.police && `(${reach.police} AND ${alias}.officer_id = :scopePerson)`,
    reach.police || reach.cps ? `(${either([reach.police, reach.cps])} AND ${GRANTED(alias)})` : null,
  ];
  return {
    where: `((${alias}.restricted = false AND ${either(open)}) OR (${alias}.restricted = true AND ${either(restricted)}))`,
    params: scopeParams(principal),
  };
}

/**
 * caseScope in disjoint parts, each narrowed by what an index leads with (the caller's unit, their own cases, the units
 * their area serves, the cases granted to them), for a list read in order a part at a time (CasesService.list): each
 * part is caseScope itself AND its selector AND no earlier part's selector, so together they hold exactly caseScope's
 * cases (every case caseScope opens is in the caller's unit, theirs, in a unit their area serves, or granted to them).
 */
export function caseScopeParts(principal: Principal, alias = 'c'): { where: string; params: Record<string, unknown> }[] {
  const scope = caseScope(principal, alias);
  const selectors = [
    principal.unit ? `${alias}.unit = :scopeUnit` : null,
    `${alias}.officer_id = :scopePerson`,
    principal.servedUnits.length ? `${alias}.unit = ANY(:scopeServed)` : null,
    GRANTED(alias),
  ].filter((s): s is string => s !== null);
  return selectors.map((selector, i) => ({
    where: [`(${scope.where})`, selector, ...selectors.slice(0, i).map((earlier) => `(${earlier}) IS NOT TRUE`)].join(' AND '),
    params: scope.params,
  }));
}

/**
 * For lists scoped another way (a person's own inbox): leaves out the cases outside the caller's force or area and
 * the restricted cases they may not open. Joins nothing; `alias` is the `cases` row of the query.
 */
export function restrictionScope(principal: Principal, alias = 'c'): { where: string; params: Record<string, unknown> } {
  const reach = reachClauses(principal, alias);
  const police = reach.police ? `(${reach.police} AND ${alias}.officer_id = :scopePerson) OR ` : '';
  return {
    where: `(${either([reach.police, reach.cps])} AND (${alias}.restricted = false OR ${police}${GRANTED(alias)}))`,
    params: scopeParams(principal),
  };
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
export async function openCase(db: DataSource, principal: Principal, caseId: string, what = 'That case', opts: { withState?: boolean } = {}): Promise<CaseRecord> {
  // withState: also the registration and the state the workflow stored (columns not read by default), in the same query.
  const record = opts.withState
    ? await db.getRepository(CaseRecord).createQueryBuilder('c').addSelect(['c.registration', 'c.liveState']).where('c.id = :caseId', { caseId }).getOne()
    : await db.getRepository(CaseRecord).findOneBy({ id: caseId });
  if (!record) throw ApiError.notFound(what);
  return openRecord(db, principal, record, what);
}

/** openCase for a case record already read. */
export async function openRecord(db: DataSource, principal: Principal, record: CaseRecord, what = 'That case'): Promise<CaseRecord> {
  const access = caseAccess(principal, { ...record, grantees: await granteesOf(db, record) });
  if (access === 'hidden') throw ApiError.notFound(what);
  if (access === 'forbidden') throw ApiError.forbidden('You are not on this case or its unit.');
  return record;
}

/** Whether the caller may see victims' and suspects' identities on a case they can open. */
export function canSeeParties(principal: Principal): boolean {
  return hasRole(principal, 'officer', 'supervisor', 'cps');
}

/**
 * SQL: whether the person row `person` may be shown the case row `kase`: police staff of the case's force, or CPS
 * staff of an area whose teams serve the case's unit. Whom a notice, an escalation or a grant on a case may reach.
 */
export function staffReachCase(person = 'p', kase = 'c'): string {
  return `((${person}.organisation = 'police' AND ${person}.force_id = ${kase}.force_id)
    OR (${person}.organisation = 'cps' AND EXISTS (SELECT 1 FROM unit_services reach_s JOIN units reach_t ON reach_t.id = reach_s.cps_unit_id
        WHERE reach_s.police_unit_id = ${kase}.unit AND reach_t.area_id = ${person}.area_id)))`;
}

/**
 * Which part of the directory an administrator manages: a force's (an administrator placed in a force), a CPS
 * area's, or the whole region's (an administrator with neither: the regional administrator).
 */
export type DirectoryScope = { region: true } | { region: false; forceId: string | null; areaId: string | null };

export function directoryScope(principal: Principal): DirectoryScope {
  return principal.forceId === null && principal.areaId === null ? { region: true } : { region: false, forceId: principal.forceId, areaId: principal.areaId };
}

/** Whether an administrator manages what belongs to this force or area (a regional administrator manages all). */
export function managesPlacement(principal: Principal, placement: { forceId: string | null; areaId: string | null }): boolean {
  const scope = directoryScope(principal);
  if (scope.region) return true;
  return (scope.forceId !== null && placement.forceId === scope.forceId) || (scope.areaId !== null && placement.areaId === scope.areaId);
}

/** Refuses a change outside the administrator's force or area (403): a force administrator manages only their own. */
export function assertManages(principal: Principal, placement: { forceId: string | null; areaId: string | null }): void {
  if (!managesPlacement(principal, placement)) throw ApiError.forbidden('You manage only the people and units of your own force or CPS area.');
}

/**
 * How a unit's clinics (its schedules and sittings) look to a caller, by the same reach as its cases: police staff of
 * the unit's force open their own unit's (another unit of their force: 403), CPS staff those of the units their area
 * serves; another force's or area's unit is hidden (404). An agenda's cases are further filtered by caseScope.
 */
export function clinicAccess(principal: Principal, unit: { id: string; forceId: string | null }): CaseAccess {
  const police = isPolice(principal) && principal.forceId !== null && unit.forceId === principal.forceId;
  const cps = hasRole(principal, 'cps') && principal.servedUnits.includes(unit.id);
  if (!police && !cps) return isPolice(principal) || hasRole(principal, 'cps') ? 'hidden' : 'forbidden';
  if (cps || unit.id === principal.unit) return 'open';
  return 'forbidden';
}

/** The SQL twin of clinicAccess for lists of schedules or sittings: `alias` has `unit` and `force_id`. */
export function clinicScope(principal: Principal, alias: string): { where: string; params: Record<string, unknown> } {
  const reach = reachClauses(principal, alias);
  const open = [reach.police && `(${reach.police} AND ${alias}.unit = :scopeUnit)`, reach.cps];
  return { where: either(open), params: scopeParams(principal) };
}
