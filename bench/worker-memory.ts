/**
 * `npm run bench:memory`: a benchmark, not a test. The worker's resident memory (RSS) with open cases cached, and how
 * long a case's history grows, on a whole throwaway system as deployed (bench/case-system.ts), the worker's cache set
 * big enough for every case of the run (WORKER_MAX_CACHED_WORKFLOWS, worker/worker-tuning.ts):
 *   - worker RSS idle (the reference: the same process before any case), then after importing BENCH_FIRST (1,000)
 *     generated cases and after BENCH_CASES (10,000) in all (`npm run generate:cases` files over BENCH_YEARS (1) years,
 *     so most are still open; each open case is a running workflow whose first task ran in this worker and stays in
 *     its cache), each read BENCH_SETTLE_S (10) s after the import's end; per cached case = RSS growth / open cases,
 *     both from idle and between the two sizes (the slope, which leaves out what the first import warmed up).
 *     Target: under 1.5 MB per cached case;
 *   - history per case: events and bytes of a sample of the imported cases' runs (an import starts a case with its
 *     past replayed into its state, so its history is short);
 *   - a simulated long life: one case registered through the API and sent BENCH_LONG_COMMANDS (1,200) routine victim
 *     updates (each a command that re-arms the victim's 28-day clock), one after another: history events per command,
 *     and whether the case continued as new (case.workflow.ts does so past 10,000 events, or when the server suggests
 *     it) with the new run's history length and the size of the state it carried.
 * Prints the figures with the machine's load; writes bench/results/memory-summary.json. Exits 0 either way.
 *
 * Knobs: BENCH_CASES (10000), BENCH_FIRST (1000), BENCH_YEARS (1), BENCH_SEED (42), BENCH_SETTLE_S (10),
 * BENCH_LONG_COMMANDS (1200), BENCH_HISTORY_SAMPLE (50), BENCH_POLL_MS (2000).
 */
import { Client, Connection } from '@temporalio/client';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DEMO_UNIT, syntheticCase } from '../scripts/demo/demo-api';
import { caseWorkflowId } from '../workflows/contracts';
import { delay, intEnv, load, percentile, secs } from './bench-support';
import { type CaseSystem, generateCaseFile, importCaseFile, startCaseSystem } from './case-system';
import { printTable } from './deadline-harness';
import { writeSummary } from './bench-support';

const CASES = intEnv('BENCH_CASES', 10_000);
const FIRST = Math.min(intEnv('BENCH_FIRST', 1_000), CASES);
const YEARS = intEnv('BENCH_YEARS', 1);
const SEED = intEnv('BENCH_SEED', 42);
const SETTLE_MS = intEnv('BENCH_SETTLE_S', 10) * 1000;
const LONG_COMMANDS = intEnv('BENCH_LONG_COMMANDS', 1_200);
const HISTORY_SAMPLE = intEnv('BENCH_HISTORY_SAMPLE', 50);
const POLL_MS = intEnv('BENCH_POLL_MS', 2_000);
const TARGET_MB_PER_CASE = 1.5;
const MB = 1_000_000 / 1_048_576; // MiB per MB

interface Point { label: string; openCases: number; rssMiB: number; load: number }

async function main(): Promise<void> {
  console.log(`bench:memory  worker RSS idle, with ${FIRST.toLocaleString('en-GB')} and ${CASES.toLocaleString('en-GB')} imported cases cached; history per case; a long life of ${LONG_COMMANDS} commands; target < ${TARGET_MB_PER_CASE} MB per cached case`);
  console.log(`${load()} at start`);
  const cs = await startCaseSystem('precharge-bench-memory-', { WORKER_MAX_CACHED_WORKFLOWS: String(CASES + 2_000) });
  let temporal: Connection | undefined;
  try {
    temporal = await Connection.connect({ address: cs.sys.temporalAddress });
    const client = new Client({ connection: temporal, namespace: 'default' });
    const openCases = async () => (await client.workflow.count('WorkflowType = "caseWorkflow" AND ExecutionStatus = "Running"')).count;
    const points: Point[] = [];
    const measure = async (label: string) => {
      await delay(SETTLE_MS);
      const samples: number[] = [];
      for (let i = 0; i < 5; i += 1) { samples.push(cs.rss('worker') ?? NaN); await delay(500); }
      const point = { label, openCases: await openCases(), rssMiB: percentile(samples.sort((a, b) => a - b), 0.5), load: loadavg()[0] };
      points.push(point);
      console.log(`  ${label}: ${point.openCases.toLocaleString('en-GB')} open cases, worker RSS ${point.rssMiB.toFixed(0)} MiB (${load()})`);
      return point;
    };
    await measure('idle');

    const files = [
      await generateCaseFile(join(cs.dir, 'first.jsonl'), DEMO_UNIT, FIRST, { seed: SEED, years: YEARS }),
      ...(CASES > FIRST ? [await generateCaseFile(join(cs.dir, 'rest.jsonl'), DEMO_UNIT, CASES - FIRST, { seed: SEED + 1, years: YEARS })] : []),
    ];
    for (const [i, file] of files.entries()) {
      const label = i === 0 ? `after ${FIRST.toLocaleString('en-GB')} cases imported` : `after ${CASES.toLocaleString('en-GB')} cases imported`;
      console.log(`importing ${file.cases.toLocaleString('en-GB')} cases …`);
      const done = await importCaseFile(cs.sys.apiUrl, cs.admin, file.path, {
        pollMs: POLL_MS, onProgress: (p, ms) => { if (p.percent % 25 === 0) console.log(`  ${p.percent}% in ${secs(ms)}, worker RSS ${(cs.rss('worker') ?? NaN).toFixed(0)} MiB (${load()})`); },
      });
      console.log(`  ${done.report.status as string} in ${secs(done.elapsedMs)}: ${done.report.imported as number} imported (${done.report.open as number} open), ${done.report.refused as number} refused`);
      if (cs.failure()) throw new Error(cs.failure());
      await measure(label);
    }

    // History per imported case, from a sample of the running ones.
    const histories: { events: number; bytes: number }[] = [];
    for await (const info of client.workflow.list({ query: 'WorkflowType = "caseWorkflow" AND ExecutionStatus = "Running"', pageSize: HISTORY_SAMPLE })) {
      const d = await client.workflow.getHandle(info.workflowId).describe();
      histories.push({ events: d.historyLength, bytes: d.historySize ?? NaN });
      if (histories.length >= HISTORY_SAMPLE) break;
    }

    const long = await longLife(cs, client);
    report(points, histories, long);
  } finally {
    await temporal?.close();
    await cs.stop();
  }
}

interface LongLife { commands: number; ms: number; runs: number; eventsPerCommand: number; lengthBeforeContinue?: number; newRunLength?: number; newRunBytes?: number; carriedBytes?: number; lastLength: number }

/** One case registered through the API, then routine victim updates one after another until LONG_COMMANDS or the time runs out. */
async function longLife(cs: CaseSystem, client: Client): Promise<LongLife> {
  const officer = cs.tokens.officer;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${cs.sys.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`bench: POST ${path} answered ${res.status}: ${json.message as string}`);
    return json;
  };
  const kase = await post('/cases', syntheticCase(cs.ids.officer, 1, 0, undefined, DEMO_UNIT)) as { id: string };
  const handle = client.workflow.getHandle(caseWorkflowId(kase.id));
  const first = await handle.describe();
  console.log(`long life: case registered (history ${first.historyLength} events); ${LONG_COMMANDS} routine victim updates …`);
  const runIds = new Set([first.runId]);
  let lengthBeforeContinue: number | undefined;
  let commandsBeforeContinue: number | undefined;
  let lastLength = first.historyLength;
  let lastSampled = 0;
  const started = Date.now();
  let commands = 0;
  for (; commands < LONG_COMMANDS; commands += 1) {
    await post(`/cases/${kase.id}/victim-contacts`, { kind: 'routine-update', note: 'Synthetic update for the benchmark.' });
    if ((commands + 1) % 50 === 0 || commands + 1 === LONG_COMMANDS) {
      const d = await handle.describe();
      if (!runIds.has(d.runId)) {
        runIds.add(d.runId);
        // The last sample of the first run: events per command are counted over that run only.
        lengthBeforeContinue ??= lastLength;
        commandsBeforeContinue ??= lastSampled;
      }
      lastLength = d.historyLength;
      lastSampled = commands + 1;
      if ((commands + 1) % 200 === 0) console.log(`  ${commands + 1} commands in ${secs(Date.now() - started)}: run ${runIds.size}, history ${d.historyLength} events (${load()})`);
    }
    if (cs.failure()) throw new Error(cs.failure());
  }
  const ms = Date.now() - started;
  let newRunLength: number | undefined;
  let newRunBytes: number | undefined;
  let carriedBytes: number | undefined;
  if (runIds.size > 1) {
    const d = await handle.describe();
    newRunLength = d.historyLength;
    newRunBytes = d.historySize;
    const history = await handle.fetchHistory();
    const start = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    carriedBytes = (start?.input?.payloads ?? []).reduce((n, p) => n + (p.data?.length ?? 0), 0);
  }
  const firstRunEvents = lengthBeforeContinue ?? lastLength;
  const firstRunCommands = commandsBeforeContinue ?? commands;
  return { commands, ms, runs: runIds.size, eventsPerCommand: (firstRunEvents - first.historyLength) / Math.max(firstRunCommands, 1), lengthBeforeContinue, newRunLength, newRunBytes, carriedBytes, lastLength };
}

function report(points: Point[], histories: { events: number; bytes: number }[], long: LongLife): void {
  const idle = points[0];
  console.log('\n=== worker memory (RSS, median of 5 samples after settling) ===');
  printTable(['when', 'open cases', 'worker RSS', 'growth over idle', 'per open case', 'load'], points.map((p) => [
    p.label, p.openCases.toLocaleString('en-GB'), `${p.rssMiB.toFixed(0)} MiB`, `${(p.rssMiB - idle.rssMiB).toFixed(0)} MiB`,
    p.openCases ? `${(((p.rssMiB - idle.rssMiB) / p.openCases) / MB).toFixed(3)} MB` : '-', p.load.toFixed(2),
  ]));
  const last = points.at(-1)!;
  const mid = points[1];
  const perCase = last.openCases ? (last.rssMiB - idle.rssMiB) / last.openCases / MB : NaN;
  const slope = mid && last !== mid && last.openCases > mid.openCases ? (last.rssMiB - mid.rssMiB) / (last.openCases - mid.openCases) / MB : NaN;
  console.log(`per cached case: ${perCase.toFixed(3)} MB from idle over ${last.openCases.toLocaleString('en-GB')} open cases; ${Number.isNaN(slope) ? '-' : `${slope.toFixed(3)} MB`} between the two sizes (reference: the idle worker, ${idle.rssMiB.toFixed(0)} MiB); target < ${TARGET_MB_PER_CASE} MB`);
  const ev = histories.map((h) => h.events).sort((a, b) => a - b);
  const by = histories.map((h) => h.bytes).sort((a, b) => a - b);
  console.log(`history of an imported case (${histories.length} sampled): events p50 ${percentile(ev, 0.5)}, max ${ev.at(-1)}; bytes p50 ${percentile(by, 0.5)}, max ${by.at(-1)}`);
  console.log(`long life: ${long.commands} commands in ${secs(long.ms)} (${(long.commands / (long.ms / 1000)).toFixed(1)}/s, one at a time), ${long.eventsPerCommand.toFixed(1)} history events per command; `
    + (long.runs > 1
      ? `continued as new after ${long.lengthBeforeContinue} events or more (${long.runs} runs); the last run's history ${long.newRunLength} events, ${long.newRunBytes ?? '?'} bytes, carried state ${long.carriedBytes} bytes`
      : `no continue-as-new yet (history ${long.lastLength} events; at this rate the 10,000-event limit comes after ~${Math.round(10_000 / Math.max(long.eventsPerCommand, 0.1))} commands)`));
  const [one, five] = loadavg();
  console.log(`machine: ${cpus().length} cores, load ${one.toFixed(2)} / ${five.toFixed(2)} (1 / 5 min) at the end`);
  writeSummary('memory', [
    { name: 'worker RSS idle', value: Math.round(idle.rssMiB), unit: 'MiB' },
    ...points.slice(1).map((p) => ({ name: `worker RSS with ${p.openCases} open cases cached`, value: Math.round(p.rssMiB), unit: 'MiB', reference: `idle ${idle.rssMiB.toFixed(0)} MiB`, ratio: Number((p.rssMiB / idle.rssMiB).toFixed(2)) })),
    { name: 'worker memory per cached case', value: Number(perCase.toFixed(3)), unit: 'MB', target: `< ${TARGET_MB_PER_CASE} MB`, pass: perCase < TARGET_MB_PER_CASE, reference: `idle worker ${idle.rssMiB.toFixed(0)} MiB`, settings: { cases: last.openCases, slopeMB: Number.isNaN(slope) ? null : Number(slope.toFixed(3)) } },
    { name: 'history events per imported case (p50)', value: percentile(ev, 0.5), unit: 'events' },
    { name: 'history events per command', value: Number(long.eventsPerCommand.toFixed(1)), unit: 'events', settings: { commands: long.commands, runs: long.runs, continuedAfter: long.lengthBeforeContinue ?? null, newRunLength: long.newRunLength ?? null, carriedBytes: long.carriedBytes ?? null } },
  ]);
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:memory failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
