import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { ROLES } from '../workflows/contracts';
import { startThrowawaySystem, throwawayWorkspace } from './stack/system';

/**
 * The system under fuzzing (scripts/fuzz-api.sh): a throwaway PostgreSQL, an in-memory Temporal dev server and an SMTP
 * catcher on free loopback ports, then the worker and the API from dist/ as separate processes, exactly as deployed.
 * Seeds one person holding every role the directory allows, so the fuzzer gets past role checks into the handlers,
 * writes `{ baseUrl, token, personId, unit, temporalAddress, apiLog }` to the file named by the first argument, and runs
 * until SIGTERM or SIGINT.
 */
const say = (msg: string) => console.error(`[fuzz-target] ${msg}`);

async function main(readyFile: string | undefined): Promise<void> {
  if (!readyFile) throw new Error('usage: node dist/scripts/fuzz-target.js <ready-file>');
  const work = throwawayWorkspace('precharge-fuzz-');
  const fail = async (message: string) => { say(message); await work.stop(); process.exit(1); };

  try {
    const system = work.adopt(await startThrowawaySystem({
      workDir: work.dir, database: 'precharge_fuzz', temporalCli: process.env.TEMPORAL_CLI ?? 'temporal',
      env: { RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000' },
      onExit: (script, code) => void fail(`${script} exited (${code})`),
    }));
    const { apiUrl: baseUrl, jwtSecret } = system;
    const sign = (sub: string, roles: readonly string[], unit: string) => new SignJWT({ roles, unit }).setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub).setIssuedAt().setExpirationTime('2h').sign(new TextEncoder().encode(jwtSecret));
    const admin = await sign(randomUUID(), ['admin'], 'headquarters');
    const asAdmin = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`seeding ${path}: ${res.status}`);
    };
    // People belong to a unit of a force; the fuzz URNs are random, so many are refused as another force's.
    await asAdmin('POST', '/forces', { id: 'fuzz-force', code: '45', name: 'Fuzz Constabulary' });
    await asAdmin('POST', '/units', { id: 'fuzz-unit', name: 'Fuzz unit', organisation: 'police', forceId: 'fuzz-force' });
    const seeded = await fetch(`${baseUrl}/people`, {
      method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'DI Fuzz Everyrole', email: 'fuzz.everyrole@example.test', roles: ['officer', 'supervisor', 'cps', 'admin'], organisation: 'police', rank: 'DI', unit: 'fuzz-unit' }),
    });
    if (seeded.status !== 201) throw new Error(`seeding the fuzz person: ${seeded.status}`);
    const person = (await seeded.json()) as { id: string };
    const token = await sign(person.id, ROLES, 'fuzz-unit');
    writeFileSync(readyFile, JSON.stringify({ baseUrl, token, personId: person.id, unit: 'fuzz-unit', temporalAddress: system.temporalAddress, apiLog: system.log }));
    say(`API ready at ${baseUrl}`);
  } catch (err) {
    await fail(`could not start: ${(err as Error).message}`);
  }
}

void main(process.argv[2]);
