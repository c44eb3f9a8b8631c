import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import type { Role } from '../../workflows/contracts';

/**
 * The local demo, seeded through the public API like any client would: a force with a RASSO unit and its
 * supervision chain, a CPS area whose liaison team serves the unit, and synthetic cases. Every `npm start` also registers one fresh case, whose
 * demo-policy clock reminds the officer and escalates to the DS and DI within a minute.
 */
const UNIT = 'demo-rasso';
const CPS_UNIT = 'demo-cps-rasso';
/** The demo force takes code 01, which its URNs carry; a database migrated from a single-force demo already has it. */
const FORCE = { id: 'demo-force', code: '01', name: 'Demo Constabulary' };
const AREA = { id: 'demo-cps-area', name: 'Demo CPS area' };
const ADMIN_ID = '00000000-0000-4000-8000-00000000ad01';

interface DemoPerson { key: string; name: string; rank: string; roles: Role[]; organisation: 'police' | 'cps'; unit: string; reportsTo?: string }

const PEOPLE: DemoPerson[] = [
  { key: 'dci', name: 'DCI Morgan Hale', rank: 'DCI', roles: ['supervisor'], organisation: 'police', unit: UNIT },
  { key: 'di', name: 'DI Rowan Pryce', rank: 'DI', roles: ['supervisor'], organisation: 'police', unit: UNIT, reportsTo: 'dci' },
  { key: 'ds', name: 'DS Avery Lund', rank: 'DS', roles: ['supervisor'], organisation: 'police', unit: UNIT, reportsTo: 'di' },
  { key: 'officer', name: 'DC Casey Ward', rank: 'DC', roles: ['officer'], organisation: 'police', unit: UNIT, reportsTo: 'ds' },
  { key: 'officer2', name: 'DC Jordan Vale', rank: 'DC', roles: ['officer'], organisation: 'police', unit: UNIT, reportsTo: 'ds' },
  { key: 'sdcp', name: 'Remy Okafor (SDCP)', rank: 'SDCP', roles: ['cps'], organisation: 'cps', unit: CPS_UNIT },
  { key: 'dcp', name: 'Harper Quinn (DCP)', rank: 'DCP', roles: ['cps'], organisation: 'cps', unit: CPS_UNIT, reportsTo: 'sdcp' },
  { key: 'prosecutor', name: 'Sasha Brook (liaison prosecutor)', rank: 'Prosecutor', roles: ['cps'], organisation: 'cps', unit: CPS_UNIT, reportsTo: 'dcp' },
];

const sign = (secret: string, sub: string, roles: Role[], unit: string) =>
  new SignJWT({ roles, unit }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('12h').sign(new TextEncoder().encode(secret));

function syntheticCase(officerId: string, n: number) {
  const now = new Date();
  return {
    urn: `01DM${String(randomInt(0, 99999)).padStart(5, '0')}${String(now.getUTCFullYear()).slice(2)}`,
    offence: { type: n % 2 ? 'assault-by-penetration' : 'rape', penetrative: true, committedFrom: '2026-09-0' + ((n % 9) + 1) },
    reportedAt: now.toISOString(),
    unit: UNIT,
    officerId,
    victim: { name: `Demo Victim ${n}`, dateOfBirth: '1990-01-0' + ((n % 9) + 1), vulnerable: n % 2 === 0, contactPreference: 'via-isva' },
    suspects: [{ name: `Demo Suspect ${n}`, dateOfBirth: '1985-02-0' + ((n % 9) + 1) }],
  };
}

type AdminCall = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** The demo's force, CPS area and units, and the CPS team serving the RASSO unit; whatever exists is kept. */
async function seedOrganisation(call: AdminCall): Promise<void> {
  const units = (await call('GET', '/units')) as { id: string }[];
  if (!units.some((u) => u.id === UNIT)) {
    const forces = (await call('GET', '/forces')) as { id: string; code: string }[];
    const force = forces.find((f) => f.code === FORCE.code) ?? (await call('POST', '/forces', FORCE)) as { id: string };
    await call('POST', '/units', { id: UNIT, name: 'Demo RASSO unit', organisation: 'police', forceId: force.id });
  }
  if (!units.some((u) => u.id === CPS_UNIT)) {
    const areas = (await call('GET', '/cps-areas')) as { id: string }[];
    const area = areas.find((a) => a.id === AREA.id) ?? (await call('POST', '/cps-areas', AREA)) as { id: string };
    await call('POST', '/units', { id: CPS_UNIT, name: 'Demo CPS RASSO team', organisation: 'cps', areaId: area.id });
  }
  await call('PUT', `/units/${UNIT}/services`, { cpsUnits: [CPS_UNIT] });
}

export async function seedDemo(opts: { apiUrl: string; dataSource: DataSource; jwtSecret?: string; varDir: string; say: (m: string) => void }): Promise<string> {
  if (!opts.jwtSecret) return '  (demo not seeded: it needs JWT_SECRET to sign demo tokens)';
  const secret = opts.jwtSecret;
  const admin = await sign(secret, ADMIN_ID, ['admin'], 'headquarters');
  const call = async (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${opts.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`demo: ${method} ${path} → ${res.status} ${json.message as string}`);
    return json;
  };

  await seedOrganisation((method, path, body) => call(method, path, admin, body));
  const ids: Record<string, string> = {};
  const fresh = Number((await opts.dataSource.query('SELECT count(*) AS n FROM cases'))[0].n) === 0;
  for (const p of PEOPLE) {
    const email = `${p.name.split(' (')[0].toLowerCase().replace(/[^a-z]+/g, '.')}@${p.organisation}.example.org`;
    const row = await opts.dataSource.query('SELECT id FROM people WHERE lower(email) = $1', [email]);
    ids[p.key] = row[0]?.id ?? (await call('POST', '/people', admin, {
      name: p.name, email, roles: p.roles, organisation: p.organisation, rank: p.rank, unit: p.unit, ...(p.reportsTo ? { reportsTo: ids[p.reportsTo] } : {}),
    })).id as string;
  }
  const tokens: Record<string, string> = { admin };
  for (const p of PEOPLE) tokens[p.key] = await sign(secret, ids[p.key], p.roles, p.unit);
  writeFileSync(join(opts.varDir, 'demo-tokens.json'), JSON.stringify(tokens, null, 2), { mode: 0o600 });

  const as = (key: string) => ({ token: tokens[key], id: ids[key] });
  const register = (officerKey: string, n: number) => call('POST', '/cases', tokens[officerKey], syntheticCase(ids[officerKey], n));
  const requestAdvice = async (caseId: string) => (await call('POST', `/cases/${caseId}/early-advice`, as('ds').token, {
    summary: 'Synthetic: reported two weeks after the event; suspect known to the victim; interviewed under caution, denies.',
    linesOfInquiry: ['Phone download requested, results due in 14 days', 'CCTV from the venue requested'],
    issues: ['Consent disputed', 'Delay in reporting'],
    questions: ['Is the GP record third-party material necessary and proportionate?'],
  })).requestId as string;
  const advise = async (requestId: string, dueInSeconds: number) => {
    await call('POST', `/early-advice/${requestId}/triage`, as('dcp').token, { decision: 'accept', prosecutorId: ids.prosecutor });
    return call('POST', `/early-advice/${requestId}/advice`, as('prosecutor').token, {
      advice: 'Synthetic advice: obtain the phone download and CCTV before a charging request; no GP records needed.',
      actionPlan: { actions: [
        { description: 'Obtain and review the phone download', owner: 'police', dueAt: new Date(Date.now() + dueInSeconds * 1000).toISOString(), decisionCritical: true },
        { description: 'Confirm the disclosure strategy', owner: 'cps', dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(), decisionCritical: false },
      ] },
    });
  };
  const checklist = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };

  if (fresh) {
    opts.say('seeding the demo: unit, supervision chain, CPS team, cases at each stage of the pipeline');
    await register('officer2', 1); // investigating
    const inTriage = await register('officer', 2);
    await requestAdvice(inTriage.id as string); // with CPS triage
    const charged = await register('officer2', 3);
    const submission = (await call('POST', `/cases/${charged.id as string}/submissions`, tokens.officer2, { test: 'full-code', category: 'green', checklist, report: 'Synthetic MG3 report.' })).submissionId as string;
    await call('POST', `/submissions/${submission}/approve`, tokens.ds);
    await call('POST', `/submissions/${submission}/triage`, tokens.dcp, { decision: 'accept', prosecutorId: ids.prosecutor });
    await call('POST', `/submissions/${submission}/decision`, tokens.prosecutor, { decision: 'charge', grounds: 'Synthetic: both stages of the full code test are met.' });
  }
  // Every start: a case whose routine victim update and an action due in 30 s both escalate live.
  const live = await register('officer', randomInt(10, 99));
  await advise(await requestAdvice(live.id as string), 30);
  opts.say(`registered a fresh demo case ${live.urn as string}: its reminders and DS/DI escalations arrive in the inbox within a minute`);
  return `
  Demo (synthetic data; tokens valid 12 h, all in var/demo-tokens.json)
    officer DC Casey Ward   curl -H "Authorization: Bearer $(node -p "require('./var/demo-tokens.json').officer")" ${opts.apiUrl}/cases
    live case               ${opts.apiUrl}/cases/${live.id as string}
    admin                   curl -H "Authorization: Bearer $(node -p "require('./var/demo-tokens.json').admin")" ${opts.apiUrl}/people`;
}
