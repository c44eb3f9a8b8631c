import { randomUUID } from 'node:crypto';

/**
 * Who may call every route of the API, as one table (docs/api.md "Authentication and roles"). The authorisation
 * matrix test generates a request for each cell and fails when the running app serves a route this table lacks.
 *
 * A cell is one letter per relationship to what the route is about:
 *   A  allowed past authorisation: any status but 401, 403 and the 404 of an unknown or hidden case, item or record
 *      (a 400, 409 or 422 from the business rules still means the caller got in)
 *   F  403 Forbidden
 *   H  404 Not Found: another force's case (or person, or unit), or a restricted case the caller is not named on,
 *      answers exactly like one that does not exist
 * The region the test builds: force A with two units (own, other), force B served by the same CPS area, force C
 * served by another CPS area. Case routes have five letters: the caller's own unit's case, another unit's of the same
 * force, a case of another force of the same CPS area, a case of a force of another area, and a restricted case of the
 * own unit they are not named on. Routes about a person or a unit, and registration, have the first four; routes about
 * nothing in particular (lists, inboxes, policy) have one letter.
 *
 * Who plays each role (built by the test): officer = the officer in case of "own" (not of the restricted case);
 * supervisor = the DI of that unit (not named on the restricted case); cps = the DCP of the CPS team serving the own
 * unit, in the area that serves forces A and B; admin = an administrator of force A (in its directory);
 * regional-admin = an administrator in no force, who manages the region; panel and analyst hold only that role.
 * Every case is referred to the CPS (Early Advice).
 */
export const MATRIX_ROLES = ['officer', 'supervisor', 'cps', 'panel', 'analyst', 'admin', 'regional-admin'] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];
/** Where a unit, person or case stands relative to the caller. */
export type Placement = 'own' | 'other' | 'otherForce' | 'otherArea';
export const PLACEMENTS: readonly Placement[] = ['own', 'other', 'otherForce', 'otherArea'];
export type Relationship = Placement | 'restricted';
export const RELATIONSHIPS: readonly Relationship[] = [...PLACEMENTS, 'restricted'];

/** What a route's path ids point at; decides which fixture ids fill them and whether relationships apply. */
export type Target =
  | 'none' | 'task'
  | 'person' | 'unit' | 'register' | 'new-person' | 'new-unit'
  | 'clinic-schedule' | 'clinic' | 'panel'
  | 'case' | 'early-advice' | 'action-plan' | 'action' | 'submission' | 'clock' | 'suspect' | 'review';

/** Ids of one case built for one relationship (see the test's fixture). */
export interface CaseFixture {
  unit: string;
  /** The unit's force, its code (the URN's start), and the CPS team serving the unit. */
  forceId: string;
  forceCode: string;
  cpsUnit: string;
  caseId: string;
  officerId: string;
  earlyAdviceId: string;
  actionPlanId: string;
  actionId: string;
  submissionId: string;
  clockKey: string;
  suspectId: string;
  /** A second case of the same unit and restriction, finalised by a police NFA, with a Right to Review request. */
  reviewId: string;
  reviewCaseId: string;
  /** The unit's clinic schedule and an ad-hoc sitting, made by its DI. */
  clinicScheduleId: string;
  clinicId: string;
  /** A panel over the unit convened by its DI (its DS a member), the label of its sampled police NFA, a learning action. */
  panelId: string;
  panelLabel: string;
  learningActionId: string;
}

export interface Fixture {
  cases: Record<Relationship, CaseFixture>;
  /** People the bodies may name: an active prosecutor and a DS of the own unit. */
  prosecutorId: string;
  dsId: string;
}

export interface RouteEntry {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The Express pattern the app registers, prefix included. */
  path: string;
  target: Target;
  /** No token needed. */
  public?: boolean;
  /** Roles not listed are refused: F (or FFF…). */
  allow: Partial<Record<MatrixRole, string>>;
  /** A body that passes validation, so the request reaches the case check; no-ops where a route could change access. */
  body?: (f: Fixture, rel: Relationship) => unknown;
}

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const past = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
const TEXT = 'Synthetic text written for the authorisation matrix test.';
const CHECKLIST = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };

/** The police roles on a case: in on their own, 403 on another unit's, 404 on another force's and a restricted one. */
const POLICE = 'AFHHH';
/** The CPS on a case: in on the referred cases of the units its area serves (forces A and B), 404 elsewhere. */
const CPS = 'AAAHH';
/** Administrators on their directory: a force's administrator manages its own force only; the regional one, all. */
const ADMINS = { admin: 'A', 'regional-admin': 'A' };
const ADMINS_BY_PLACE = { admin: 'AAHH', 'regional-admin': 'AAAA' };
const ADMINS_CREATING = { admin: 'AAFF', 'regional-admin': 'AAAA' };
const EVERYONE = { officer: 'A', supervisor: 'A', cps: 'A', panel: 'A', analyst: 'A', admin: 'A', 'regional-admin': 'A' };

export const ROUTE_MATRIX: RouteEntry[] = [
  // Operations
  { method: 'GET', path: '/api/health', target: 'none', public: true, allow: EVERYONE },
  // No person's login: Prometheus scrapes with METRICS_TOKEN, or (none configured, as here) from this machine only, so
  // every caller on loopback gets in whatever their role; the token and address rules: test/e2e/metrics.e2e.test.ts.
  { method: 'GET', path: '/api/metrics', target: 'none', public: true, allow: EVERYONE },
  { method: 'GET', path: '/api/policy', target: 'none', allow: EVERYONE },
  { method: 'GET', path: '/api/audit', target: 'none', allow: ADMINS },
  { method: 'POST', path: '/api/codec/decode', target: 'none', allow: ADMINS, body: () => ({ payloads: [] }) },
  { method: 'POST', path: '/api/codec/encode', target: 'none', allow: ADMINS, body: () => ({ payloads: [] }) },

  // The people directory
  { method: 'GET', path: '/api/people', target: 'none', allow: ADMINS },
  {
    method: 'POST', path: '/api/people', target: 'new-person', allow: ADMINS_CREATING,
    body: (f, rel) => ({ name: 'DC Matrix Person', email: `matrix.${randomUUID().slice(0, 8)}@example.test`, roles: ['officer'], organisation: 'police', rank: 'DC', unit: f.cases[rel].unit }),
  },
  { method: 'GET', path: '/api/people/:id', target: 'person', allow: ADMINS_BY_PLACE },
  { method: 'PATCH', path: '/api/people/:id', target: 'person', allow: ADMINS_BY_PLACE, body: () => ({}) },

  // The organisation: forces, CPS areas, units and who serves whom. Fresh ids; the force repeats the fixture's code, so
  // it gets in and is refused as a duplicate (409) without using up a code. Forces and areas are the region's to add.
  { method: 'GET', path: '/api/forces', target: 'none', allow: ADMINS },
  { method: 'POST', path: '/api/forces', target: 'none', allow: { 'regional-admin': 'A' }, body: () => ({ id: `matrix-${randomUUID().slice(0, 8)}`, code: '45', name: 'Matrix Force' }) },
  { method: 'GET', path: '/api/cps-areas', target: 'none', allow: ADMINS },
  { method: 'POST', path: '/api/cps-areas', target: 'none', allow: { 'regional-admin': 'A' }, body: () => ({ id: `matrix-${randomUUID().slice(0, 8)}`, name: 'Matrix CPS area' }) },
  { method: 'GET', path: '/api/units', target: 'none', allow: ADMINS },
  {
    method: 'POST', path: '/api/units', target: 'new-unit', allow: ADMINS_CREATING,
    body: (f, rel) => ({ id: `matrix-${randomUUID().slice(0, 8)}`, name: 'Matrix unit', organisation: 'police', forceId: f.cases[rel].forceId }),
  },
  // No-ops on each unit: its name and the CPS team that already serves it.
  { method: 'PATCH', path: '/api/units/:id', target: 'unit', allow: ADMINS_BY_PLACE, body: () => ({}) },
  { method: 'PUT', path: '/api/units/:id/services', target: 'unit', allow: ADMINS_BY_PLACE, body: (f, rel) => ({ cpsUnits: [f.cases[rel].cpsUnit] }) },

  // Clinics: a unit's supervisors convene them (their own unit's; another force's unit answers like an unknown one);
  // police read their own unit's sittings, the CPS those of the units its area serves.
  {
    method: 'POST', path: '/api/clinic-schedules', target: 'register', allow: { supervisor: 'AFHH' },
    body: (f, rel) => ({ unit: f.cases[rel].unit, firstSittingAt: '2027-01-05T10:00', timezone: 'Europe/London', rrule: 'FREQ=WEEKLY;INTERVAL=2', durationMinutes: 60, agendaLeadTime: 'P2D' }),
  },
  { method: 'GET', path: '/api/clinic-schedules', target: 'none', allow: { officer: 'A', supervisor: 'A', cps: 'A' } },
  { method: 'PATCH', path: '/api/clinic-schedules/:id', target: 'clinic-schedule', allow: { supervisor: 'AFHH' }, body: () => ({}) },
  { method: 'POST', path: '/api/clinics', target: 'register', allow: { supervisor: 'AFHH' }, body: (f, rel) => ({ unit: f.cases[rel].unit, sittingAt: future(20) }) },
  { method: 'GET', path: '/api/clinics', target: 'none', allow: { officer: 'A', supervisor: 'A', cps: 'A' } },
  { method: 'GET', path: '/api/clinics/:id', target: 'clinic', allow: { officer: 'AFHH', supervisor: 'AFHH', cps: 'AAAH' } },
  // A no-op (nothing to move or cancel): answered with the sitting as it is.
  { method: 'PATCH', path: '/api/clinics/:id', target: 'clinic', allow: { supervisor: 'AFHH' }, body: () => ({}) },
  // The clinic's liaison (not the matrix's DCP) or a supervisor of its unit records outcomes; the fixture's case is on
  // its unit's clinic (referred): the first allowed caller records it, a second gets 409.
  {
    method: 'POST', path: '/api/clinics/:id/cases/:caseId/outcome', target: 'clinic', allow: { supervisor: 'AFHH', cps: 'FFFH' },
    body: () => ({ outcome: 'continue', note: TEXT }),
  },
  { method: 'POST', path: '/api/cases/:id/clinic-referral', target: 'case', allow: { supervisor: POLICE }, body: () => ({ reason: TEXT }) },

  // NFA scrutiny panels: police supervisors of the force and CPS staff serving the unit convene and read them; a panel
  // member reads only the panels they sit on (the matrix's sits on none: every panel answers like an unknown one).
  {
    method: 'POST', path: '/api/panels', target: 'register', allow: { supervisor: 'AAHH', cps: 'AAAH' },
    body: (f, rel) => ({ scope: { unit: f.cases[rel].unit }, period: { from: past(1), to: future(1) }, sittingAt: future(7), members: [f.dsId] }),
  },
  {
    method: 'POST', path: '/api/panel-schedules', target: 'register', allow: { supervisor: 'AAHH', cps: 'AAAH' },
    body: (f, rel) => ({ scope: { unit: f.cases[rel].unit }, firstSittingAt: '2027-01-14T10:00', timezone: 'Europe/London', members: [f.dsId] }),
  },
  { method: 'GET', path: '/api/panel-schedules', target: 'none', allow: { supervisor: 'A', cps: 'A' } },
  // Webhook subscriptions: administrators, a force's for its force, the regional one for all. The body has no events (400:
  // the caller got in, and no subscription is made to send anywhere). A subscription nobody made answers 404.
  { method: 'POST', path: '/api/webhooks', target: 'none', allow: ADMINS, body: () => ({ url: 'https://127.0.0.1/hook', events: [] }) },
  { method: 'GET', path: '/api/webhooks', target: 'none', allow: ADMINS },
  { method: 'GET', path: '/api/webhooks/:id', target: 'task', allow: { admin: 'H', 'regional-admin': 'H' } },
  { method: 'PATCH', path: '/api/webhooks/:id', target: 'task', allow: { admin: 'H', 'regional-admin': 'H' }, body: () => ({}) },
  { method: 'DELETE', path: '/api/webhooks/:id', target: 'task', allow: { admin: 'H', 'regional-admin': 'H' } },
  { method: 'POST', path: '/api/webhooks/:id/rotate-secret', target: 'task', allow: { admin: 'H', 'regional-admin': 'H' }, body: () => ({}) },
  { method: 'GET', path: '/api/webhooks/:id/deliveries', target: 'task', allow: { admin: 'H', 'regional-admin': 'H' } },
  { method: 'POST', path: '/api/webhooks/:id/redeliver', target: 'task', allow: { admin: 'H', 'regional-admin': 'H' }, body: () => ({ fromEventId: randomUUID() }) },

  // Imports of existing cases: a regional administrator, or a force's administrator or DCI (the matrix's supervisor is a
  // DI: refused). A JSON body is not an import file (400): the caller got in. An import id nobody made: 404.
  { method: 'POST', path: '/api/imports', target: 'none', allow: ADMINS, body: () => ({}) },
  { method: 'GET', path: '/api/imports', target: 'none', allow: ADMINS },
  { method: 'GET', path: '/api/imports/template', target: 'none', allow: ADMINS },
  { method: 'GET', path: '/api/imports/:id', target: 'task', allow: { admin: 'H', 'regional-admin': 'H' } },
  { method: 'GET', path: '/api/panels', target: 'none', allow: { supervisor: 'A', cps: 'A', panel: 'A' } },
  { method: 'GET', path: '/api/panels/:id', target: 'panel', allow: { supervisor: 'AAHH', cps: 'AAAH', panel: 'HHHH' } },
  { method: 'GET', path: '/api/panels/:id/cases', target: 'panel', allow: { supervisor: 'AAHH', cps: 'AAAH', panel: 'HHHH' } },
  { method: 'GET', path: '/api/panels/:id/cases/:label', target: 'panel', allow: { supervisor: 'AAHH', cps: 'AAAH', panel: 'HHHH' } },
  // Reviews are the members' own: a convenor who can read the panel is refused (403).
  {
    method: 'POST', path: '/api/panels/:id/cases/:label/review', target: 'panel', allow: { supervisor: 'FFHH', cps: 'FFFH', panel: 'HHHH' },
    body: () => ({ scores: { suspectFocus: 1, victimEngagement: 1, proportionality: 1, timeliness: 1, rationaleQuality: 1, language: 1 }, themes: [], comments: '' }),
  },
  {
    method: 'POST', path: '/api/panels/:id/learning-actions', target: 'panel', allow: { supervisor: 'AAHH', cps: 'AAAH', panel: 'HHHH' },
    body: (f) => ({ description: TEXT, ownerId: f.dsId, dueAt: future(30) }),
  },
  // Its owner (the DS, not a matrix role) or a convenor closes it: the first allowed caller closes it, the next gets 409.
  {
    method: 'POST', path: '/api/panels/:id/learning-actions/:actionId/close', target: 'panel',
    allow: { officer: 'HHHH', supervisor: 'AAHH', cps: 'AAAH', panel: 'HHHH' }, body: () => ({ note: TEXT }),
  },
  // No referral was recommended in the fixture: an unknown one answers 404 even to those who may read the panel.
  {
    method: 'POST', path: '/api/panels/:id/referrals/:referralId/outcome', target: 'panel', allow: { supervisor: 'HHHH' },
    body: () => ({ outcome: 'no-action', note: TEXT }),
  },
  { method: 'POST', path: '/api/panels/:id/close', target: 'panel', allow: { supervisor: 'AAHH', cps: 'AAAH' } },
  { method: 'GET', path: '/api/panels/:id/report', target: 'panel', allow: { supervisor: 'AAHH', cps: 'AAAH' } },

  // Cases. Registering names a unit: the own unit, or another (a supervisor may register for another unit's officer of
  // their own force, never in another force).
  {
    method: 'POST', path: '/api/cases', target: 'register', allow: { officer: 'AFFF', supervisor: 'AAFF' },
    body: (f, rel) => ({
      urn: `${f.cases[rel].forceCode}MX${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`, offence: { type: 'rape', penetrative: true, committedFrom: '2026-10-01' },
      reportedAt: past(2), unit: f.cases[rel].unit, officerId: f.cases[rel].officerId,
      victim: { name: 'Matrix Victim', dateOfBirth: '1990-01-01', vulnerable: false, contactPreference: 'phone' }, suspects: [{ name: 'Matrix Suspect', dateOfBirth: '1980-01-01' }],
    }),
  },
  { method: 'GET', path: '/api/cases', target: 'none', allow: { officer: 'A', supervisor: 'A', cps: 'A' } },
  { method: 'GET', path: '/api/cases/:id', target: 'case', allow: { officer: POLICE, supervisor: POLICE, cps: CPS } },
  { method: 'GET', path: '/api/cases/:id/actions', target: 'case', allow: { officer: POLICE, supervisor: POLICE, cps: CPS } },
  { method: 'GET', path: '/api/cases/:id/timeline', target: 'case', allow: { officer: POLICE, supervisor: POLICE, cps: CPS } },
  // Administrators manage restrictions on any case of their force (never reading it; the regional one on every
  // force's); a DI of the unit on a case they can open.
  { method: 'GET', path: '/api/cases/:id/restriction', target: 'case', allow: { officer: POLICE, supervisor: POLICE, cps: CPS, admin: 'AAHHA', 'regional-admin': 'AAAAA' } },
  {
    method: 'POST', path: '/api/cases/:id/restriction', target: 'case', allow: { supervisor: POLICE, admin: 'AAHHA', 'regional-admin': 'AAAAA' },
    // The same restriction again: a no-op that must not change what later cells see.
    body: (f, rel) => (rel === 'restricted' ? { restricted: true, people: [f.dsId] } : { restricted: false, people: [] }),
  },

  // Early Advice
  {
    method: 'POST', path: '/api/cases/:id/early-advice', target: 'case', allow: { officer: POLICE, supervisor: POLICE },
    body: () => ({ summary: TEXT, linesOfInquiry: ['Phone download'], issues: ['Consent disputed'], questions: ['Is the threshold met?'] }),
  },
  { method: 'POST', path: '/api/cases/:id/early-advice/not-sought', target: 'case', allow: { officer: POLICE, supervisor: POLICE }, body: () => ({ reason: TEXT }) },
  { method: 'POST', path: '/api/early-advice/:id/endorse', target: 'early-advice', allow: { supervisor: POLICE } },
  { method: 'POST', path: '/api/early-advice/:id/triage', target: 'early-advice', allow: { cps: CPS }, body: (f) => ({ decision: 'accept', prosecutorId: f.prosecutorId }) },
  { method: 'POST', path: '/api/early-advice/:id/appeal', target: 'early-advice', allow: { supervisor: POLICE }, body: () => ({ reason: TEXT }) },
  { method: 'POST', path: '/api/early-advice/:id/advice', target: 'early-advice', allow: { cps: CPS }, body: () => ({ advice: TEXT }) },

  // Action plans
  { method: 'GET', path: '/api/cases/:id/action-plans', target: 'case', allow: { officer: POLICE, supervisor: POLICE, cps: CPS } },
  { method: 'POST', path: '/api/actions/:id/complete', target: 'action', allow: { officer: POLICE, supervisor: POLICE, cps: CPS }, body: () => ({ note: TEXT }) },
  { method: 'POST', path: '/api/action-plans/:id/review', target: 'action-plan', allow: { cps: CPS }, body: () => ({ outcome: 'continue' }) },

  // Charging
  {
    method: 'POST', path: '/api/cases/:id/submissions', target: 'case', allow: { officer: POLICE, supervisor: POLICE },
    body: () => ({ test: 'full-code', category: 'green', checklist: CHECKLIST, report: TEXT }),
  },
  { method: 'POST', path: '/api/submissions/:id/approve', target: 'submission', allow: { supervisor: POLICE } },
  { method: 'POST', path: '/api/submissions/:id/return', target: 'submission', allow: { supervisor: POLICE }, body: () => ({ reasons: ['nfs-incomplete'] }) },
  { method: 'POST', path: '/api/submissions/:id/triage', target: 'submission', allow: { cps: CPS }, body: (f) => ({ decision: 'accept', prosecutorId: f.prosecutorId }) },
  { method: 'POST', path: '/api/submissions/:id/decision', target: 'submission', allow: { cps: CPS }, body: () => ({ decision: 'charge', grounds: TEXT }) },
  { method: 'POST', path: '/api/submissions/:id/full-code-test-review', target: 'submission', allow: { cps: CPS }, body: () => ({ note: TEXT }) },

  // Victims, outcomes, closure
  { method: 'POST', path: '/api/cases/:id/victim-contacts', target: 'case', allow: { officer: POLICE, supervisor: POLICE }, body: () => ({ kind: 'routine-update', note: TEXT }) },
  { method: 'POST', path: '/api/cases/:id/victim-withdrawal', target: 'case', allow: { officer: POLICE, supervisor: POLICE }, body: () => ({ reason: TEXT }) },
  { method: 'POST', path: '/api/cases/:id/victim-withdrawal/review', target: 'case', allow: { supervisor: POLICE }, body: () => ({ decision: 're-engaged', rationale: TEXT }) },
  { method: 'POST', path: '/api/cases/:id/police-nfa', target: 'case', allow: { supervisor: POLICE }, body: () => ({ outcomeCode: 10, rationale: TEXT }) },
  { method: 'POST', path: '/api/cases/:id/admin-finalise', target: 'case', allow: { cps: CPS }, body: () => ({ reason: TEXT }) },
  { method: 'POST', path: '/api/cases/:id/close', target: 'case', allow: { supervisor: POLICE, cps: CPS } },
  { method: 'POST', path: '/api/cases/:id/reopen', target: 'case', allow: { supervisor: POLICE, cps: CPS }, body: () => ({ ground: 'new-evidence', reason: TEXT }) },

  // Deadlines
  { method: 'POST', path: '/api/clocks/:id/pause', target: 'clock', allow: { supervisor: POLICE, cps: CPS }, body: () => ({ heldBy: 'third-party', reason: TEXT }) },
  { method: 'POST', path: '/api/clocks/:id/resume', target: 'clock', allow: { supervisor: POLICE, cps: CPS }, body: () => ({ reason: TEXT }) },
  {
    method: 'POST', path: '/api/clocks/:id/due-date', target: 'clock', allow: { officer: POLICE, supervisor: POLICE, cps: CPS },
    body: (f) => ({ dueAt: future(30), reason: TEXT, approverId: f.dsId }),
  },

  // Inboxes: a person's own tasks only; someone else's task answers 404 like one that does not exist.
  { method: 'GET', path: '/api/tasks', target: 'none', allow: { officer: 'A', supervisor: 'A', cps: 'A' } },
  { method: 'GET', path: '/api/my-work', target: 'none', allow: { officer: 'A', supervisor: 'A', cps: 'A' } },
  { method: 'GET', path: '/api/dashboard', target: 'none', allow: { supervisor: 'A' } },
  // The repeat-suspect report: a force's supervisors (their force's cases) and the CPS serving it (its referred cases).
  { method: 'GET', path: '/api/reports/repeat-suspects', target: 'none', allow: { supervisor: 'A', cps: 'A' } },
  // The monthly pack and the quarterly report: aggregates over the caller's force or CPS area (an analyst's placement);
  // asked without a period, a caller who gets in has a 400.
  { method: 'GET', path: '/api/reports/monthly', target: 'none', allow: { supervisor: 'A', cps: 'A', analyst: 'A' } },
  { method: 'GET', path: '/api/reports/quarterly', target: 'none', allow: { supervisor: 'A', cps: 'A', analyst: 'A' } },
  { method: 'GET', path: '/api/escalations', target: 'none', allow: { officer: 'A', supervisor: 'A', cps: 'A' } },
  { method: 'POST', path: '/api/tasks/:id/complete', target: 'task', allow: { officer: 'H', supervisor: 'H', cps: 'H' } },
  { method: 'POST', path: '/api/escalations/:id/acknowledge', target: 'task', allow: { officer: 'H', supervisor: 'H', cps: 'H' } },

  // Bail and release under investigation, per suspect
  {
    method: 'POST', path: '/api/cases/:id/suspects/:suspectId/bail', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE },
    body: (f) => ({ startedAt: past(1), authorisedBy: f.dsId }),
  },
  { method: 'POST', path: '/api/cases/:id/suspects/:suspectId/bail/extend', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE }, body: (f) => ({ authorisedBy: f.dsId }) },
  { method: 'POST', path: '/api/cases/:id/suspects/:suspectId/rui', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE } },
  {
    method: 'POST', path: '/api/cases/:id/suspects/:suspectId/bail/exceptionally-complex', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE },
    body: (f) => ({ authorisedBy: f.dsId, dppConsultedAt: past(1) }),
  },
  { method: 'POST', path: '/api/cases/:id/suspects/:suspectId/bail/court-application', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE }, body: () => ({ extendTo: 'P12M' }) },
  { method: 'POST', path: '/api/cases/:id/suspects/:suspectId/bail/court-decision', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE }, body: () => ({ decision: 'refused' }) },

  // Detention in police custody (PACE), per suspect
  { method: 'POST', path: '/api/cases/:id/suspects/:suspectId/custody', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE }, body: (f) => ({ relevantTime: past(1), custodyOfficerId: f.dsId }) },
  { method: 'POST', path: '/api/cases/:id/suspects/:suspectId/custody/reviews', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE }, body: (f) => ({ reviewerId: f.dsId }) },
  { method: 'POST', path: '/api/cases/:id/suspects/:suspectId/custody/extend', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE }, body: (f) => ({ authorisedBy: f.dsId, grounds: TEXT }) },
  { method: 'POST', path: '/api/cases/:id/suspects/:suspectId/custody/warrant', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE }, body: () => ({ expiresAt: future(2) }) },
  { method: 'POST', path: '/api/cases/:id/suspects/:suspectId/custody/release', target: 'suspect', allow: { officer: POLICE, supervisor: POLICE } },

  // Victims' Right to Review
  { method: 'POST', path: '/api/cases/:id/reviews', target: 'case', allow: { officer: POLICE, supervisor: POLICE, cps: CPS }, body: () => ({ scheme: 'police', request: TEXT }) },
  { method: 'POST', path: '/api/reviews/:id/acknowledge', target: 'review', allow: { supervisor: POLICE, cps: CPS } },
  { method: 'POST', path: '/api/reviews/:id/decision', target: 'review', allow: { supervisor: POLICE, cps: CPS }, body: () => ({ outcome: 'upheld', reasons: TEXT }) },
];

/** The relationships a route's cells cover. */
export function relationshipsOf(entry: RouteEntry): readonly (Relationship | 'any')[] {
  if (['none', 'task'].includes(entry.target)) return ['any'];
  if (['register', 'person', 'unit', 'new-person', 'new-unit', 'clinic-schedule', 'clinic', 'panel'].includes(entry.target)) return PLACEMENTS;
  return RELATIONSHIPS;
}

/** The expected letters of one role on one route, refusals filled in. */
export function expectedCells(entry: RouteEntry, role: MatrixRole): string {
  const width = relationshipsOf(entry).length;
  const cells = entry.allow[role] ?? 'F'.repeat(width);
  if (cells.length !== width) throw new Error(`${entry.method} ${entry.path}: ${role} needs ${width} letter(s), has "${cells}"`);
  return cells;
}

/** The concrete URL path of a route for one relationship. */
export function concretePath(entry: RouteEntry, f: Fixture, rel: Relationship | 'any'): string {
  const kase = f.cases[rel === 'any' ? 'own' : rel];
  const ids: Record<Target, string> = {
    none: '', register: '', 'new-person': '', 'new-unit': '', person: kase.officerId, unit: kase.unit, task: randomUUID(),
    case: kase.caseId, 'early-advice': kase.earlyAdviceId, 'action-plan': kase.actionPlanId, action: kase.actionId,
    submission: kase.submissionId, clock: encodeURIComponent(kase.clockKey), suspect: kase.caseId, review: kase.reviewId,
    'clinic-schedule': kase.clinicScheduleId, clinic: kase.clinicId, panel: kase.panelId,
  };
  return entry.path.replace(/^\/api/, '').replace(':suspectId', kase.suspectId).replace(':caseId', kase.caseId).replace(':id', ids[entry.target])
    .replace(':label', kase.panelLabel).replace(':actionId', kase.learningActionId).replace(':referralId', randomUUID());
}
