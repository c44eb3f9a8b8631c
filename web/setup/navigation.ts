import type { Claims } from '../../api/auth/principal';
import { hasRole } from '../../api/auth/principal';

/** One entry in the service navigation; later capabilities (clinics, panels, reports) add theirs here. */
interface NavigationEntry { href: string; text: string; shownTo: (p: Claims) => boolean }

const ENTRIES: NavigationEntry[] = [
  { href: '/', text: 'My work', shownTo: (p) => hasRole(p, 'officer', 'supervisor', 'cps') },
  { href: '/cases', text: 'Cases', shownTo: (p) => hasRole(p, 'officer', 'supervisor', 'cps') },
  { href: '/cases/new', text: 'Register a case', shownTo: (p) => hasRole(p, 'officer', 'supervisor') },
  { href: '/dashboard', text: 'Supervisor dashboard', shownTo: (p) => hasRole(p, 'supervisor') },
  { href: '/clinics', text: 'Clinics', shownTo: (p) => hasRole(p, 'officer', 'supervisor', 'cps') },
  { href: '/clinic-schedules', text: 'Clinic schedules', shownTo: (p) => hasRole(p, 'supervisor') },
  { href: '/panels', text: 'Panels', shownTo: (p) => hasRole(p, 'panel', 'supervisor', 'cps') },
];

/** The items the GOV.UK service navigation shows this person, the current section marked. */
export function navigationFor(principal: Claims, path: string) {
  const current = ENTRIES.filter((e) => e.href === path || (e.href !== '/' && path.startsWith(`${e.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return ENTRIES.filter((e) => e.shownTo(principal)).map((e) => ({ href: e.href, text: e.text, active: e === current }));
}
