import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import type { Role } from '../../workflows/contracts';

/**
 * The local demo, seeded through the public API like any client would: a RASSO unit with its supervision
 * chain, a CPS liaison team, and synthetic cases. Every `npm start` also registers one fresh case, whose
 * demo-policy clock reminds the officer and escalates to the DS and DI within a minute.
 */
const UNIT = 'demo-rasso';
const ADMIN_ID = '00000000-0000-4000-8000-00000000ad01';

interface DemoPerson { key: string; name: string; rank: string; roles: Role[]; organisation: 'police' | 'cps'; unit: string; reportsTo?: string }

const PEOPLE: DemoPerson[] = [
  { key: 'dci', name: 'DCI Morgan Hale', rank: 'DCI', roles: ['supervisor'], organisation: 'police', unit: UNIT },
  { key: 'di', name: 'DI Rowan Pryce', rank: 'DI', roles: ['supervisor'], organisation: 'police', unit: UNIT, reportsTo: 'dci' },
  { key: 'ds', name: 'DS Avery Lund', rank: 'DS', roles: ['supervisor'], organisation: 'police', unit: UNIT, reportsTo: 'di' },
  { key: 'officer', name: 'DC Casey Ward', rank: 'DC', roles: ['officer'], organisation: 'police', unit: UNIT, reportsTo: 'ds' },
  { key: 'officer2', name: 'DC Jordan Vale', rank: 'DC', roles: ['officer'], organisation: 'police', unit: UNIT, reportsTo: 'ds' },
  { key: 'sdcp', name: 'Remy Okafor (SDCP)', rank: 'SDCP', roles: ['cps'], organisation: 'cps', unit: 'demo-cps-rasso' },
  { key: 'dcp', name: 'Harper Quinn (DCP)', rank: 'DCP', roles: ['cps'], organisation: 'cps', unit: 'demo-cps-rasso', reportsTo: 'sdcp' },
  { key: 'prosecutor', name: 'Sasha Brook (liaison prosecutor)', rank: 'Prosecutor', roles: ['cps'], organisation: 'cps', unit: 'demo-cps-rasso', reportsTo: 'dcp' },
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

  if (fresh) {
    opts.say('seeding the demo: unit, supervision chain, CPS team, synthetic cases');
    for (let n = 1; n <= 3; n += 1) await call('POST', '/cases', tokens[n === 2 ? 'officer2' : 'officer'], syntheticCase(ids[n === 2 ? 'officer2' : 'officer'], n));
  }
  const live = await call('POST', '/cases', tokens.officer, syntheticCase(ids.officer, randomInt(10, 99)));
  opts.say(`registered a fresh demo case ${live.urn as string}: watch its reminder and DS/DI escalations arrive in the inbox within a minute`);
  return `
  Demo (synthetic data; tokens valid 12 h, all in var/demo-tokens.json)
    officer DC Casey Ward   curl -H "Authorization: Bearer $(node -p "require('./var/demo-tokens.json').officer")" ${opts.apiUrl}/cases
    live case               ${opts.apiUrl}/cases/${live.id as string}
    admin                   curl -H "Authorization: Bearer $(node -p "require('./var/demo-tokens.json').admin")" ${opts.apiUrl}/people`;
}
