import type { Claims } from '../../api/auth/principal';
import { hasRole } from '../../api/auth/principal';
import type { Rank } from '../../workflows/contracts';
import { rankAtLeast } from '../../workflows/pipeline/decide';

/** One entry in the service navigation; later capabilities (clinics, panels, reports) add theirs here. */
interface NavigationEntry { href: string; text: string; shownTo: (p: Claims, rank?: string) => boolean }

const ENTRIES: NavigationEntry[] = [
  { href: '/', text: 'My work', shownTo: (p) => hasRole(p, 'officer', 'supervisor', 'cps') },
  { href: '/cases', text: 'Cases', shownTo: (p) => hasRole(p, 'officer', 'supervisor', 'cps') },
  { href: '/cases/new', text: 'Register a case', shownTo: (p) => hasRole(p, 'officer', 'supervisor') },
  { href: '/dashboard', text: 'Supervisor dashboard', shownTo: (p) => hasRole(p, 'supervisor') },
  { href: '/clinics', text: 'Clinics', shownTo: (p) => hasRole(p, 'officer', 'supervisor', 'cps') },
  { href: '/clinic-schedules', text: 'Clinic schedules', shownTo: (p) => hasRole(p, 'supervisor') },
  { href: '/panels', text: 'Panels', shownTo: (p) => hasRole(p, 'panel', 'supervisor', 'cps') },
  { href: '/reports', text: 'Reports', shownTo: (p) => hasRole(p, 'supervisor', 'cps', 'analyst') },
  // Who may import (api/imports): administrators, and a force's DCIs and above.
  { href: '/imports', text: 'Import cases', shownTo: (p, rank) => hasRole(p, 'admin') || (hasRole(p, 'supervisor') && !!rank && rankAtLeast(rank as Rank, 'DCI')) },
];

/** The items the GOV.UK service navigation shows this person, the current section marked. */
export function navigationFor(principal: Claims, path: string, rank?: string) {
  const current = ENTRIES.filter((e) => e.href === path || (e.href !== '/' && path.startsWith(`${e.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return ENTRIES.filter((e) => e.shownTo(principal, rank)).map((e) => ({ href: e.href, text: e.text, active: e === current }));
}
