/**
 * `npm run bench:webhooks`: a benchmark, not a test. Starts a whole system of its own on loopback (embedded PostgreSQL,
 * Temporal's dev server, an SMTP catcher, the worker with its webhook dispatcher and the API from dist/, webhooks to
 * loopback only), with the demo's forces and people, and a receiver on 127.0.0.1 subscribed to `case.*`:
 *   - latency: BENCH_CASES cases registered, each followed by BENCH_COMMANDS victim contacts, BENCH_LANES at a time;
 *     for every command, the time from the API's answer to its event's arrival at the receiver (p50, p99, max; it can
 *     be negative: the event is committed with the case's transaction, before the Update answers), and from the
 *     request's sending to the arrival, beside the request's own answer time;
 *   - throughput: every event of those cases replayed at once (`POST /api/webhooks/:id/redeliver` from the first), the
 *     events delivered per second from the replay's answer to the last arrival, WEBHOOK_CONCURRENCY in flight (8);
 *   - references from the same run: a bare HTTP POST of the same size from this process to the same receiver, one at a
 *     time (round trip p50/p99) and 8 at a time (per second); the machine's load and cores; CPU of each process.
 * Every delivery's signature is checked with the standardwebhooks library before the figures are printed. Prints the
 * figures and writes them to bench/results/ (not committed). No request leaves this machine.
 *
 * Knobs: BENCH_CASES (200), BENCH_COMMANDS (2), BENCH_LANES (4).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { createDataSource } from '../db/data-source';
import { DEMO_ADMIN_ID, DEMO_UNIT, demoClient, demoTokens, demoUrn, ensureDemoPeople, signDemoToken, syntheticCase } from '../scripts/demo/demo-api';
import { startThrowawaySystem, type ThrowawaySystem, throwawayWorkspace } from '../scripts/stack/system';
import { inLanes, intEnv, load, percentile, pidsByCommandLine, procCpuMs, secs, temporalCli, treeCpuMs, writeSummary } from './bench-support';

const CASES = intEnv('BENCH_CASES', 200);
const COMMANDS = intEnv('BENCH_COMMANDS', 2);
const LANES = intEnv('BENCH_LANES', 4);
const RESULTS = resolve(__dirname, '..', '..', 'bench', 'results');

interface Arrival { at: number; body: string; headers: Record<string, string>; subject: string; timelineSeq: number | null }

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? NaN };
};
const fmt = (s: { p50: number; p99: number; max: number }) => `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;

async function main(): Promise<void> {
  console.log(`bench:webhooks  ${CASES} cases × (registration + ${COMMANDS} commands), ${LANES} at a time, to a receiver on loopback`);
  console.log(`${load()} at start (${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version})`);
  const work = throwawayWorkspace('precharge-bench-webhooks-');
  let system: ThrowawaySystem | undefined;
  let failure: string | undefined;
  const alive = () => { if (failure) throw new Error(failure); };
  const arrivals: Arrival[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const event = JSON.parse(body) as { subject?: string; data?: { timelineSeq?: number | null } };
      arrivals.push({ at, body, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), subject: event.subject ?? '', timelineSeq: event.data?.timelineSeq ?? null });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    system = work.adopt(await startThrowawaySystem({
      workDir: work.dir, database: 'precharge_bench', temporalCli: temporalCli(),
      env: { RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000', WEBHOOK_DESTINATIONS: 'loopback' },
      onExit: (script, code) => { failure = `${script} exited (${code}); its output is in ${system?.log}`; },
    }));
    const sys = system;
    const pids = { api: sys.api.pid, worker: sys.worker.pid, postgres: pidsByCommandLine(sys.postgresDir)[0] };
    const dataSource = await createDataSource(sys.databaseUrl, 'precharge-bench').initialize();
    const call = demoClient(sys.apiUrl, 'bench');
    const admin = await signDemoToken(sys.jwtSecret, DEMO_ADMIN_ID, ['admin'], 'headquarters');
    const ids = await ensureDemoPeople(call, admin, dataSource);
    const officer = (await demoTokens(sys.jwtSecret, ids)).officer;
    const subscription = await call('POST', '/webhooks', admin, { url, events: ['case.*'], description: 'bench receiver' }) as { id: string; secret: string };

    // Latency: each command's answer to its event's arrival.
    const answered: { caseId: string; seq: number; sent: number; at: number }[] = [];
    const cpuOf = (k: string, pid: number | undefined) => (k === 'postgres' ? treeCpuMs(pid) : procCpuMs(pid));
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuOf(k, pid)]));
    const loadBefore = loadavg()[0];
    const started = performance.now();
    // Each case its own URN (serial n): random serials for 200 cases meet one another in about one run in five.
    await inLanes(CASES, LANES, () => false, async (n) => {
      let sent = performance.now();
      const kase = await call('POST', '/cases', officer, syntheticCase(ids.officer, n, 0, demoUrn(new Date().getUTCFullYear(), n), DEMO_UNIT)) as { id: string };
      answered.push({ caseId: kase.id, seq: 1, sent, at: performance.now() });
      for (let c = 0; c < COMMANDS; c += 1) {
        sent = performance.now();
        await call('POST', `/cases/${kase.id}/victim-contacts`, officer, { kind: 'routine-update', note: 'Synthetic update for the benchmark.' });
        answered.push({ caseId: kase.id, seq: 2 + c, sent, at: performance.now() });
      }
    });
    const commandsMs = performance.now() - started;
    const arrivalOf = async (a: { caseId: string; seq: number }) => {
      for (;;) {
        const found = arrivals.find((x) => x.subject === a.caseId && x.timelineSeq === a.seq);
        if (found) return found.at;
        alive();
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const arrived = await Promise.all(answered.map(arrivalOf));
    const delays = stats(answered.map((a, i) => arrived[i] - a.at));
    const fromRequest = stats(answered.map((a, i) => arrived[i] - a.sent));
    const answers = stats(answered.map((a) => a.at - a.sent));
    const liveEvents = arrivals.length;
    const cpuAfter = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuOf(k, pid)]));
    const loadAfterLive = loadavg()[0];

    // Throughput: the whole backlog replayed at once.
    const [first] = (await dataSource.query('SELECT id FROM webhook_events ORDER BY position LIMIT 1')) as { id: string }[];
    const before = arrivals.length;
    const replayStart = performance.now();
    const { queued } = await call('POST', `/webhooks/${subscription.id}/redeliver`, admin, { fromEventId: first.id }) as { queued: number };
    while (arrivals.length - before < queued) { alive(); await new Promise((r) => setTimeout(r, 20)); }
    const replayMs = arrivals.at(-1)!.at - replayStart;
    const perSecond = queued / (replayMs / 1000);
    const loadAfterReplay = loadavg()[0];

    // References: a bare POST of the same size to the same receiver, from this process.
    const sample = arrivals[0].body;
    const post = () => new Promise<number>((done, fail) => {
      const t = performance.now();
      const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(sample) } }, (res) => { res.resume(); res.on('end', () => done(performance.now() - t)); });
      req.on('error', fail);
      req.end(sample);
    });
    const refBefore = arrivals.length;
    const bare: number[] = [];
    for (let i = 0; i < 300; i += 1) bare.push(await post());
    const bareStats = stats(bare);
    const parallelStart = performance.now();
    await inLanes(1000, 8, () => false, async () => { await post(); });
    const barePerSecond = 1000 / ((performance.now() - parallelStart) / 1000);
    arrivals.splice(refBefore);

    // Every delivery verifies with the subscription's secret.
    const verifier = new Webhook(subscription.secret);
    let verified = 0;
    for (const a of arrivals) { verifier.verify(a.body, a.headers); verified += 1; }

    const cpu = Object.fromEntries(Object.keys(pids).map((k) => [k, ((cpuAfter[k] ?? 0) - (cpuBefore[k] ?? 0)) / Math.max(1, liveEvents)]));
    const figures = {
      cases: CASES, commandsPerCase: COMMANDS + 1, lanes: LANES, cores: cpus().length,
      commandsPerSecond: answered.length / (commandsMs / 1000), liveEvents, delayMs: delays, requestToDeliveryMs: fromRequest, requestToAnswerMs: answers,
      replay: { events: queued, ms: replayMs, perSecond }, reference: { barePostMs: bareStats, barePostsPerSecond8: barePerSecond },
      cpuMsPerEvent: cpu, load: { before: loadBefore, afterLive: loadAfterLive, afterReplay: loadAfterReplay }, verified,
    };
    console.log(`\ncommands: ${answered.length} in ${secs(commandsMs)} (${figures.commandsPerSecond.toFixed(1)}/s), ${liveEvents} events delivered live (clock steps included), ${verified} signatures verified`);
    console.log(`command answer → delivery: ${fmt(delays)} (negative: delivered before the API answered)`);
    console.log(`command sent → delivery: ${fmt(fromRequest)}; sent → the API's answer: ${fmt(answers)}`);
    console.log(`reference, a bare POST round trip to the same receiver: ${fmt(bareStats)}`);
    console.log(`throughput, ${queued} events replayed at once: ${perSecond.toFixed(0)} events/s (${secs(replayMs)})   (reference, bare POSTs 8 at a time: ${barePerSecond.toFixed(0)}/s)`);
    console.log(`CPU per event while live: ${Object.entries(cpu).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')} (commands, workflows and delivery together)`);
    console.log(`load ${loadBefore.toFixed(2)} before, ${loadAfterLive.toFixed(2)} after the commands, ${loadAfterReplay.toFixed(2)} after the replay, on ${cpus().length} cores`);
    mkdirSync(RESULTS, { recursive: true });
    const file = resolve(RESULTS, `webhooks-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(figures, null, 2));
    console.log(`figures written to ${file}`);
    const settings = { cases: CASES, commandsPerCase: COMMANDS, lanes: LANES, store: 'Temporal dev server, embedded PostgreSQL' };
    console.log(`summary: ${writeSummary('webhooks', [
      { name: 'webhooks: command answer → delivery p99', value: Math.round(delays.p99), unit: 'ms', reference: `bare POST p99 ${bareStats.p99.toFixed(1)} ms`, settings },
      { name: 'webhooks: command sent → delivery p99', value: Math.round(fromRequest.p99), unit: 'ms', reference: `the API's answer p99 ${answers.p99.toFixed(0)} ms`, settings },
      { name: 'webhooks: replay throughput', value: Math.round(perSecond), unit: 'events/s', reference: `bare POSTs 8 at a time ${barePerSecond.toFixed(0)}/s`, ratio: Math.round((perSecond / barePerSecond) * 100) / 100, settings },
    ])}`);
    await dataSource.destroy();
  } finally {
    receiver.close();
    await work.stop();
  }
}

main().catch((err: Error) => {
  console.error(`bench:webhooks failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
