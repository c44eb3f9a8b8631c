import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { delay, temporalCli } from '../../../bench/bench-support';
import { createDataSource } from '../../../db/data-source';
import { connectTemporalClient } from '../../../infra/temporal';
import { DEMO_ADMIN_ID, demoClient, demoTokens, ensureDemoPeople, signDemoToken } from '../../../scripts/demo/demo-api';
import { startThrowawaySystem, type ThrowawaySystem, throwawayWorkspace } from '../../../scripts/stack/system';
import { type CaseView, caseViewQuery, caseWorkflowId } from '../../../workflows/contracts';

/** An answer of the API: its status and JSON body. */
export interface Answer { status: number; body: Record<string, unknown> }

/**
 * A whole system of the fault test's own (scripts/stack/system.ts), with the demo's organisation and people, a
 * database connection and a Temporal client of the test's, and a list of server processes that ended unasked.
 */
export interface DataFaultSystem {
  system: ThrowawaySystem;
  db: DataSource;
  temporal: Client;
  ids: Record<string, string>;
  tokens: Record<string, string>;
  /** Processes (worker, API) that exited on their own: a fault test expects none. */
  crashed: string[];
  /** One request, answered or not: undefined when the connection failed (the API down or killed mid-request). */
  request(method: string, path: string, token: string, body?: unknown, key?: string): Promise<Answer | undefined>;
  /**
   * A well-behaved client: the same request with the same Idempotency-Key again while the API is unreachable or
   * answers 5xx, until it answers otherwise (or `withinMs` passes); a 4xx is returned as it is.
   */
  retried(method: string, path: string, token: string, body: unknown, key: string, withinMs?: number): Promise<Answer>;
  view(caseId: string): Promise<CaseView>;
  stop(): Promise<void>;
}

export async function startDataFaultSystem(name: string): Promise<DataFaultSystem> {
  const work = throwawayWorkspace(`precharge-faults-${name}-`);
  const crashed: string[] = [];
  const payloadKeys = `faults:${randomBytes(32).toString('base64')}`;
  let db: DataSource | undefined;
  let temporal: Client | undefined;
  const stop = async () => {
    await db?.destroy().catch(() => undefined);
    await temporal?.connection.close().catch(() => undefined);
    await work.stop();
  };
  try {
    const system = work.adopt(await startThrowawaySystem({
      workDir: work.dir, database: 'precharge_faults', temporalCli: temporalCli(),
      env: { PAYLOAD_KEYS: payloadKeys, RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000', LOG_LEVEL: 'info' },
      onExit: (script, code) => { crashed.push(`${script} exited (${code})`); },
    }));
    db = await createDataSource(system.databaseUrl, 'precharge-faults').initialize();
    temporal = await connectTemporalClient({ TEMPORAL_ADDRESS: system.temporalAddress, TEMPORAL_NAMESPACE: 'default', PAYLOAD_KEYS: payloadKeys });
    const admin = await signDemoToken(system.jwtSecret, DEMO_ADMIN_ID, ['admin'], 'headquarters');
    const ids = await ensureDemoPeople(demoClient(system.apiUrl, 'faults'), admin, db);
    const tokens = await demoTokens(system.jwtSecret, ids);
    const request: DataFaultSystem['request'] = async (method, path, token, body, key) => {
      try {
        const res = await fetch(`${system.apiUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
      } catch {
        return undefined;
      }
    };
    const client = temporal;
    return {
      system, db, temporal: client, ids, tokens, crashed, request, stop,
      async retried(method, path, token, body, key, withinMs = 180_000) {
        const deadline = Date.now() + withinMs;
        for (;;) {
          const answer = await request(method, path, token, body, key);
          if (answer && answer.status < 500) return answer;
          if (Date.now() > deadline) throw new Error(`${method} ${path}: no answer but ${answer?.status ?? 'a lost connection'} within ${withinMs / 1000} s`);
          await delay(300);
        }
      },
      view: (caseId) => client.workflow.getHandle(caseWorkflowId(caseId)).query(caseViewQuery),
    };
  } catch (err) {
    console.error(`the system did not start; its last output:\n${logTail(join(work.dir, 'system.log'))}`);
    await stop();
    throw err;
  }
}

/** The end of the worker's and the API's output, to show when a fault test fails. */
export function logTail(file: string, chars = 4000): string {
  try {
    return readFileSync(file, 'utf8').slice(-chars);
  } catch {
    return '(none)';
  }
}

/** Waits until `check` passes (it throws while not), then returns; after `withinMs`, its last error. */
export async function settled(check: () => Promise<void>, withinMs = 240_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await delay(1000);
    }
  }
}
