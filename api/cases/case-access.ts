import type { CaseRecord } from '../../db/entities';
import type { Principal } from '../auth/principal';
import { hasRole } from '../auth/principal';

/**
 * Who may open a case (docs/api.md roles). One place, used by reads, writes and list filters alike, so a
 * list never returns a case its caller could not open. Police see their unit's cases and cases they are on.
 */
export function canOpenCase(principal: Principal, kase: Pick<CaseRecord, 'unit' | 'officerId'>): boolean {
  if (hasRole(principal, 'officer', 'supervisor') && (kase.unit === principal.unit || kase.officerId === principal.id)) return true;
  return false;
}

/** The SQL twin of canOpenCase for lists: a WHERE clause and its parameters. */
export function caseScope(principal: Principal, alias = 'c'): { where: string; params: Record<string, unknown> } {
  if (hasRole(principal, 'officer', 'supervisor')) {
    return { where: `(${alias}.unit = :scopeUnit OR ${alias}.officer_id = :scopePerson)`, params: { scopeUnit: principal.unit, scopePerson: principal.id } };
  }
  return { where: 'false', params: {} };
}

/** Whether the caller may see victims' and suspects' identities on a case they can open. */
export function canSeeParties(principal: Principal): boolean {
  return hasRole(principal, 'officer', 'supervisor');
}
