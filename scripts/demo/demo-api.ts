import { randomInt } from 'node:crypto';
import { SignJWT } from 'jose';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import type { Role } from '../../workflows/contracts';

/**
 * The demo's people and the case steps it takes, as any client of the public API would: shared by the local
 * stack's demo (seed-demo.ts) and the page-time benchmark (bench/web-pages.ts). Synthetic data only.
 */
export const DEMO_UNIT = 'demo-rasso';
/** The second force's RASSO unit: one CPS team serves both forces, so its prosecutors see both forces' cases. */
export const DEMO_SOUTH_UNIT = 'demo-rasso-south';
export const DEMO_CPS_UNIT = 'demo-cps-rasso';
export const DEMO_ADMIN_ID = '00000000-0000-4000-8000-00000000ad01';
export const DAY_MS = 86_400_000;

export interface DemoPerson { key: string; name: string; rank: string; roles: Role[]; organisation: 'police' | 'cps' | 'independent'; unit: string; reportsTo?: string; demoRole: string }

export const DEMO_PEOPLE: DemoPerson[] = [
  { key: 'superintendent', name: 'Supt Ellis Marsh', rank: 'Superintendent', roles: ['supervisor'], organisation: 'police', unit: DEMO_UNIT, demoRole: 'supervisor: authorises detention to 36 hours and bail to 9 months' },
  { key: 'dci', name: 'DCI Morgan Hale', rank: 'DCI', roles: ['supervisor'], organisation: 'police', unit: DEMO_UNIT, reportsTo: 'superintendent', demoRole: 'supervisor: top of the case escalation chain' },
  { key: 'custody', name: 'PS Dana Kerr', rank: 'DS', roles: ['officer', 'custody'], organisation: 'police', unit: DEMO_UNIT, demoRole: 'custody officer: detention clock reminders' },
  { key: 'di', name: 'DI Rowan Pryce', rank: 'DI', roles: ['supervisor'], organisation: 'police', unit: DEMO_UNIT, reportsTo: 'dci', demoRole: 'supervisor: escalations, dashboard' },
  { key: 'ds', name: 'DS Avery Lund', rank: 'DS', roles: ['supervisor'], organisation: 'police', unit: DEMO_UNIT, reportsTo: 'di', demoRole: 'supervisor: endorses Early Advice, gatekeeper, dashboard' },
  { key: 'officer', name: 'DC Casey Ward', rank: 'DC', roles: ['officer'], organisation: 'police', unit: DEMO_UNIT, reportsTo: 'ds', demoRole: 'officer in case: action plan, bail, NFA' },
  { key: 'officer2', name: 'DC Jordan Vale', rank: 'DC', roles: ['officer'], organisation: 'police', unit: DEMO_UNIT, reportsTo: 'ds', demoRole: 'officer in case: investigation, charged case' },
  { key: 'southDi', name: 'DI Lee Carver', rank: 'DI', roles: ['supervisor'], organisation: 'police', unit: DEMO_SOUTH_UNIT, demoRole: 'supervisor in the second force: its escalations only' },
  { key: 'southDs', name: 'DS Noor Ashby', rank: 'DS', roles: ['supervisor'], organisation: 'police', unit: DEMO_SOUTH_UNIT, reportsTo: 'southDi', demoRole: 'supervisor in the second force: its cases only' },
  { key: 'southOfficer', name: 'DC Tam Oduya', rank: 'DC', roles: ['officer'], organisation: 'police', unit: DEMO_SOUTH_UNIT, reportsTo: 'southDs', demoRole: 'officer in the second force: cannot open the first force\u2019s cases' },
  { key: 'sdcp', name: 'Remy Okafor (SDCP)', rank: 'SDCP', roles: ['cps'], organisation: 'cps', unit: DEMO_CPS_UNIT, demoRole: 'CPS: senior district prosecutor' },
  { key: 'dcp', name: 'Harper Quinn (DCP)', rank: 'DCP', roles: ['cps'], organisation: 'cps', unit: DEMO_CPS_UNIT, reportsTo: 'sdcp', demoRole: 'CPS: triage of Early Advice and files' },
  { key: 'prosecutor', name: 'Sasha Brook (liaison prosecutor)', rank: 'Prosecutor', roles: ['cps'], organisation: 'cps', unit: DEMO_CPS_UNIT, reportsTo: 'dcp', demoRole: 'CPS: Early Advice, charging decisions' },
  { key: 'panelMember', name: 'Alex Rowe (independent panel member)', rank: 'PanelMember', roles: ['panel'], organisation: 'independent', unit: DEMO_UNIT, demoRole: 'NFA scrutiny panel: anonymised packs and reviews only' },
];

export type DemoCall = (method: string, path: string, token: string, body?: unknown) => Promise<Record<string, unknown>>;

/** A JSON client of the API that throws, naming the route and the API's message, on anything but 2xx. */
export function demoClient(apiUrl: string, label = 'demo'): DemoCall {
  return async (method, path, token, body) => {
    const res = await fetch(`${apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${label}: ${method} ${path} → ${res.status} ${json.message as string}`);
    return json;
  };
}

export const signDemoToken = (secret: string, sub: string, roles: Role[], unit: string) =>
  new SignJWT({ roles, unit }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('12h').sign(new TextEncoder().encode(secret));

/**
 * The region: two forces, each with its RASSO unit, and one CPS area whose team serves both. The first force takes
 * code 01, which its URNs carry (a database migrated from a single-force demo already has it); the second, 02.
 */
export const DEMO_FORCES = [
  { id: 'demo-force', code: '01', name: 'Demo Constabulary', unit: { id: DEMO_UNIT, name: 'Demo RASSO unit' } },
  { id: 'demo-force-south', code: '02', name: 'Demo Southern Constabulary', unit: { id: DEMO_SOUTH_UNIT, name: 'Demo Southern RASSO unit' } },
] as const;
const DEMO_AREA = { id: 'demo-cps-area', name: 'Demo CPS area' };

/** The demo's forces, CPS area and units, and the CPS team serving both RASSO units; whatever exists is kept. */
async function ensureDemoOrganisation(call: DemoCall, adminToken: string): Promise<void> {
  const units = (await call('GET', '/units', adminToken)) as unknown as { id: string }[];
  const forces = (await call('GET', '/forces', adminToken)) as unknown as { id: string; code: string }[];
  for (const { unit, ...wanted } of DEMO_FORCES) {
    if (units.some((u) => u.id === unit.id)) continue;
    const force = forces.find((f) => f.code === wanted.code) ?? (await call('POST', '/forces', adminToken, wanted)) as { id: string };
    await call('POST', '/units', adminToken, { id: unit.id, name: unit.name, organisation: 'police', forceId: force.id });
  }
  if (!units.some((u) => u.id === DEMO_CPS_UNIT)) {
    const areas = (await call('GET', '/cps-areas', adminToken)) as unknown as { id: string }[];
    const area = areas.find((a) => a.id === DEMO_AREA.id) ?? (await call('POST', '/cps-areas', adminToken, DEMO_AREA)) as { id: string };
    await call('POST', '/units', adminToken, { id: DEMO_CPS_UNIT, name: 'Demo CPS RASSO team', organisation: 'cps', areaId: area.id });
  }
  for (const { unit } of DEMO_FORCES) await call('PUT', `/units/${unit.id}/services`, adminToken, { cpsUnits: [DEMO_CPS_UNIT] });
}

/** A demo person's directory email: their name without the role in brackets, e.g. `dc.casey.ward@police.example.org`. */
export function demoEmail(person: Pick<DemoPerson, 'name' | 'organisation'>): string {
  return `${person.name.split(' (')[0].toLowerCase().replace(/[^a-z]+/g, '.')}@${person.organisation}.example.org`;
}

/** The demo's organisation and people (created once, found again by email on later starts); their directory ids by key. */
export async function ensureDemoPeople(call: DemoCall, adminToken: string, dataSource: DataSource): Promise<Record<string, string>> {
  await ensureDemoOrganisation(call, adminToken);
  const ids: Record<string, string> = {};
  for (const p of DEMO_PEOPLE) {
    const email = demoEmail(p);
    const row = await dataSource.query('SELECT id FROM people WHERE lower(email) = $1', [email]);
    ids[p.key] = row[0]?.id ?? (await call('POST', '/people', adminToken, {
      name: p.name, email, roles: p.roles, organisation: p.organisation, rank: p.rank, unit: p.unit, ...(p.reportsTo ? { reportsTo: ids[p.reportsTo] } : {}),
    })).id as string;
  }
  return ids;
}

export async function demoTokens(secret: string, ids: Record<string, string>): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const p of DEMO_PEOPLE) tokens[p.key] = await signDemoToken(secret, ids[p.key], p.roles, p.unit);
  return tokens;
}

/** A police URN (station DM) of the unit's force, with the given serial or a random one. */
export function demoUrn(year: number, serial = randomInt(0, 99999), unit: string = DEMO_UNIT): string {
  const force = DEMO_FORCES.find((f) => f.unit.id === unit) ?? DEMO_FORCES[0];
  return `${force.code}DM${String(serial).padStart(5, '0')}${String(year).slice(2)}`;
}

/**
 * Invented names for the demo's parties: combinations nobody is called, and no word a case's text uses for a role
 * ("victim", "suspect"), which a panel pack would redact wherever it appears and then refuse as unconfirmed.
 */
const FIRST_NAMES = ['Aderyn', 'Bexley', 'Corvin', 'Dashiell', 'Elowen', 'Fenwick', 'Greer', 'Hollis', 'Isolde', 'Jory', 'Kestrel', 'Linnea', 'Marlow', 'Nerys', 'Oriel', 'Peregrine'];
const SURNAMES = ['Ashgrove', 'Brackenfield', 'Coldharbour', 'Dunmere', 'Eastwold', 'Fallowmere', 'Gorsedale', 'Hartwell', 'Inchmore', 'Jessamy', 'Kettleby', 'Larksworth', 'Mossley', 'Northcote', 'Oakhurst', 'Pennick'];
const syntheticName = (n: number, salt: number) => `${FIRST_NAMES[(n + salt) % FIRST_NAMES.length]} ${SURNAMES[(n * 3 + salt * 5) % SURNAMES.length]}`;

/** A synthetic case of the unit, reported `reportedDaysAgo` days ago, about a fortnight after the offence. */
export function syntheticCase(officerId: string, n: number, reportedDaysAgo = 0, urn?: string, unit: string = DEMO_UNIT) {
  const reported = new Date(Date.now() - reportedDaysAgo * DAY_MS);
  return {
    urn: urn ?? demoUrn(reported.getUTCFullYear(), undefined, unit),
    offence: { type: n % 2 ? 'assault-by-penetration' : 'rape', penetrative: true, committedFrom: new Date(reported.getTime() - (12 + (n % 5)) * DAY_MS).toISOString().slice(0, 10) },
    reportedAt: reported.toISOString(),
    unit,
    officerId,
    victim: { name: syntheticName(n, 0), dateOfBirth: '1990-01-0' + ((n % 9) + 1), vulnerable: n % 2 === 0, contactPreference: 'via-isva' },
    suspects: [{ name: syntheticName(n, 7), dateOfBirth: '1985-02-0' + ((n % 9) + 1) }],
  };
}

/** One action of a plan, due `dueInMs` from now. */
export interface DemoAction { description: string; owner: 'police' | 'cps'; dueInMs: number; decisionCritical: boolean }

const NFS_CHECKLIST = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };

/**
 * The pipeline's steps, each one API call by the person whose step it is (the DS endorses and gatekeeps, the DCP
 * triages, the prosecutor advises and decides). Each returns the id the next step needs.
 */
const unitOf = (key: string) => DEMO_PEOPLE.find((p) => p.key === key)?.unit ?? DEMO_UNIT;

export function caseSteps(call: DemoCall, ids: Record<string, string>, tokens: Record<string, string>) {
  return {
    /** A case of the officer's unit (and so of their force). */
    register: async (officerKey: string, n: number, reportedDaysAgo = 0, urn?: string) =>
      (await call('POST', '/cases', tokens[officerKey], syntheticCase(ids[officerKey], n, reportedDaysAgo, urn, unitOf(officerKey)))) as { id: string; urn: string },

    /** Requested by an officer it awaits the DS's endorsement; requested by the DS it goes straight to CPS triage. */
    requestAdvice: async (caseId: string, byKey = 'ds') => (await call('POST', `/cases/${caseId}/early-advice`, tokens[byKey], {
      summary: 'Synthetic: reported two weeks after the event; suspect known to the victim; interviewed under caution, denies.',
      linesOfInquiry: ['Phone download requested, results due in 14 days', 'CCTV from the venue requested'],
      issues: ['Consent disputed', 'Delay in reporting'],
      questions: ['Is the GP record third-party material necessary and proportionate?'],
    })).requestId as string,

    acceptAdvice: async (requestId: string) => {
      await call('POST', `/early-advice/${requestId}/triage`, tokens.dcp, { decision: 'accept', prosecutorId: ids.prosecutor });
      return requestId;
    },

    /** The prosecutor's advice, with an action plan when actions are given (the case moves to action-plan-open). */
    advise: (requestId: string, actions: DemoAction[]) => call('POST', `/early-advice/${requestId}/advice`, tokens.prosecutor, {
      advice: 'Synthetic advice: obtain the phone download and CCTV before a charging request; no GP records needed.',
      ...(actions.length ? { actionPlan: { actions: actions.map((a) => ({ description: a.description, owner: a.owner, dueAt: new Date(Date.now() + a.dueInMs).toISOString(), decisionCritical: a.decisionCritical })) } } : {}),
    }),

    /** A full code file from the officer; it waits for a gatekeeper. */
    submit: async (caseId: string, officerKey: string) => (await call('POST', `/cases/${caseId}/submissions`, tokens[officerKey], {
      test: 'full-code', category: 'green', checklist: NFS_CHECKLIST, report: 'Synthetic MG3 report: the victim\u2019s ABE account, first-account witness, phone download and CCTV reviewed.',
    })).submissionId as string,

    approve: async (submissionId: string) => {
      await call('POST', `/submissions/${submissionId}/approve`, tokens.ds);
      return submissionId;
    },

    acceptFile: async (submissionId: string) => {
      await call('POST', `/submissions/${submissionId}/triage`, tokens.dcp, { decision: 'accept', prosecutorId: ids.prosecutor });
      return submissionId;
    },

    charge: (submissionId: string) => call('POST', `/submissions/${submissionId}/decision`, tokens.prosecutor, { decision: 'charge', grounds: 'Synthetic: both stages of the full code test are met.' }),

    /** A CPS NFA on evidential grounds, after the pre-NFA meeting a rape case needs. */
    nfa: (submissionId: string, meetingDaysAgo: number) => call('POST', `/submissions/${submissionId}/decision`, tokens.prosecutor, {
      decision: 'nfa', outcomeCode: 15, preNfaMeetingAt: new Date(Date.now() - meetingDaysAgo * DAY_MS).toISOString(),
      grounds: 'Synthetic: the evidential stage is not met; discussed with the investigator at the pre-NFA meeting.',
    }),

    /** The DS's police NFA (outcome 15, evidential difficulties) of a case still under investigation. */
    policeNfa: (caseId: string) => call('POST', `/cases/${caseId}/police-nfa`, tokens.ds, {
      outcomeCode: 15, rationale: 'Synthetic: the phone download and CCTV do not corroborate the account; discussed with the victim\u2019s ISVA before deciding.',
    }),

    /** Pre-charge bail for the case's first suspect, recorded by its officer, started `startedDaysAgo` days ago, authorised by the DS. */
    bail: async (caseId: string, officerKey: string, startedDaysAgo: number) => {
      const { suspects } = (await call('GET', `/cases/${caseId}`, tokens[officerKey])) as { suspects?: { id: string }[] };
      if (!suspects?.length) throw new Error('demo: the case shows no suspect to bail');
      return call('POST', `/cases/${caseId}/suspects/${suspects[0].id}/bail`, tokens[officerKey], {
        startedAt: new Date(Date.now() - startedDaysAgo * DAY_MS).toISOString(), authorisedBy: ids.ds, conditions: 'Synthetic: not to contact the victim directly or indirectly.',
      });
    },
  };
}

/** The next weekday (Monday–Friday; or the given ISO weekday) after today, at the given hour London time. */
function nextWeekdayAt(hour: number, weekday?: number): DateTime {
  let day = DateTime.now().setZone('Europe/London').plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  while (day.weekday > 5 || (weekday !== undefined && day.weekday !== weekday)) day = day.plus({ days: 1 });
  return day;
}

/**
 * The first force's RASSO unit's clinics, so the clinic pages have something to show: a fortnightly schedule (Tuesdays
 * at 10:00, set by the DI) and one ad-hoc sitting convened for the next working day, whose agenda the demo's cases fill
 * (bail expiring, no victim contact for weeks, and one the DS refers). Each is made only when the unit has none.
 */
export async function ensureDemoClinics(call: DemoCall, ids: Record<string, string>, tokens: Record<string, string>, say: (m: string) => void): Promise<void> {
  // The ad-hoc sitting first: it takes up the DS's referral before the schedule's first sitting can.
  const clinics = (await call('GET', `/clinics?unit=${DEMO_UNIT}`, tokens.di)) as unknown as { scheduleId: string | null }[];
  if (!clinics.some((k) => k.scheduleId === null)) {
    // A supervisor's referral: the case with the prosecutor has waited weeks for Early Advice.
    const { items } = (await call('GET', '/cases?stage=ea-in-progress', tokens.ds)) as { items: { id: string }[] };
    if (items[0]) await call('POST', `/cases/${items[0].id}/clinic-referral`, tokens.ds, { reason: 'Synthetic: agree the outstanding lines of inquiry with the prosecutor.' });
    const convened = (await call('POST', '/clinics', tokens.di, { unit: DEMO_UNIT, sittingAt: nextWeekdayAt(14).toUTC().toISO(), durationMinutes: 60, liaisonId: ids.prosecutor })) as { agenda: unknown[] };
    say(`convened an ad-hoc clinic with ${convened.agenda.length} cases on its agenda`);
  }
  const schedules = (await call('GET', `/clinic-schedules?unit=${DEMO_UNIT}`, tokens.di)) as unknown as unknown[];
  if (!schedules.length) {
    await call('POST', '/clinic-schedules', tokens.di, {
      unit: DEMO_UNIT, firstSittingAt: nextWeekdayAt(10, 2).toFormat("yyyy-MM-dd'T'HH:mm"), timezone: 'Europe/London', rrule: 'FREQ=WEEKLY;INTERVAL=2',
      durationMinutes: 90, agendaLeadTime: 'P2D', liaisonId: ids.prosecutor, location: 'Demo police station, case conference room',
    });
    say('scheduled the demo unit\'s fortnightly case progression clinic (Tuesdays 10:00)');
  }
}

/**
 * An NFA scrutiny panel over the first force's unit, so the panel pages have something to show: convened by the DI for
 * next week over the cases closed in the last 90 days (the demo's charged and NFA cases), with the independent member
 * and the DCI sitting on it. Made only when the unit has no panel.
 */
export async function ensureDemoPanel(call: DemoCall, ids: Record<string, string>, tokens: Record<string, string>, say: (m: string) => void): Promise<void> {
  const panels = (await call('GET', '/panels', tokens.di)) as unknown as { unit: string | null }[];
  if (panels.some((p) => p.unit === DEMO_UNIT)) return;
  const panel = (await call('POST', '/panels', tokens.di, {
    scope: { unit: DEMO_UNIT }, period: { from: new Date(Date.now() - 90 * DAY_MS).toISOString(), to: new Date(Date.now() + DAY_MS).toISOString() },
    sittingAt: nextWeekdayAt(10).plus({ weeks: 1 }).toUTC().toISO(), members: [ids.panelMember, ids.dci],
  })) as { drawn: number };
  say(`convened an NFA scrutiny panel for next week with ${panel.drawn} anonymised case packs`);
}
