import type { CaseRecord } from '../../db/entities';
import type { Principal } from '../auth/principal';
import { hasRole } from '../auth/principal';

/**
 * Who may open a case (docs/api.md roles). One place, used by reads, writes and list filters alike, so a
 * list never returns a case its caller could not open. Police see their unit's cases and cases they are on.
 */
export function canOpenCase(principal: Principal, kase: Pick<CaseRecord, 'unit' | 'officerId' | 'referredToCps'>): boolean {
  if (hasRole(principal, 'officer', 'supervisor') && (kase.unit === principal.unit || kase.officerId === principal.id)) return true;
  // The CPS sees cases referred to it (Early Advice or a charging file).
  if (hasRole(principal, 'cps') && kase.referredToCps) return true;
  return false;
}

/** The SQL twin of canOpenCase for lists: a WHERE clause and its parameters. */
export function caseScope(principal: Principal, alias = 'c'): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  if (hasRole(principal, 'officer', 'supervisor')) clauses.push(`${alias}.unit = :scopeUnit`, `${alias}.officer_id = :scopePerson`);
  if (hasRole(principal, 'cps')) clauses.push(`${alias}.referred_to_cps = true`);
  return { where: clauses.length ? `(${clauses.join(' OR ')})` : 'false', params: { scopeUnit: principal.unit, scopePerson: principal.id } };
}

/** Whether the caller may see victims' and suspects' identities on a case they can open. */
export function canSeeParties(principal: Principal): boolean {
  return hasRole(principal, 'officer', 'supervisor', 'cps');
}
