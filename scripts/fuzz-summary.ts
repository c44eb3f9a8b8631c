import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Reads schemathesis' NDJSON event stream (scripts/fuzz-api.sh) and says what the fuzzing did: requests sent, statuses
 * by class, every 5xx by operation, and the API's own error log lines. Exits 1 on any 5xx or schemathesis error.
 */
interface Interaction { request: { method: string; uri: string }; response?: { status_code: number } | null }
interface ScenarioFinished { recorder: { label: string; interactions?: Record<string, Interaction> } }

async function main(eventsFile: string | undefined, apiLog: string | undefined): Promise<number> {
  if (!eventsFile || !existsSync(eventsFile)) {
    console.error('[fuzz] no schemathesis event stream to summarise');
    return 1;
  }
  const byClass: Record<string, number> = {};
  const serverErrors = new Map<string, number>();
  let requests = 0;
  let errors = 0;
  for await (const line of createInterface({ input: createReadStream(eventsFile), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as { ScenarioFinished?: ScenarioFinished; NonFatalError?: unknown; FatalError?: unknown };
    if (event.NonFatalError || event.FatalError) errors += 1;
    for (const { request, response } of Object.values(event.ScenarioFinished?.recorder.interactions ?? {})) {
      requests += 1;
      const status = response?.status_code;
      const group = status === undefined ? 'no response' : `${Math.floor(status / 100)}xx`;
      byClass[group] = (byClass[group] ?? 0) + 1;
      if (status === undefined || status >= 500) {
        const key = `${request.method} ${event.ScenarioFinished!.recorder.label.replace(/^\S+ /, '')} → ${status ?? 'no response'}`;
        serverErrors.set(key, (serverErrors.get(key) ?? 0) + 1);
      }
    }
  }
  const fiveXx = [...serverErrors.values()].reduce((a, b) => a + b, 0);
  console.log(`[fuzz] ${requests} requests sent; by status: ${Object.entries(byClass).sort().map(([k, v]) => `${k} ${v}`).join(', ')}; 5xx: ${fiveXx}`);
  for (const [what, count] of serverErrors) console.log(`[fuzz]   ${what} (${count}×)`);
  if (errors) console.log(`[fuzz] schemathesis reported ${errors} error(s) of its own (see its output above)`);
  if (apiLog && existsSync(apiLog)) {
    const apiErrors = readFileSync(apiLog, 'utf8').split('\n').filter((l) => /"level":(50|60)/.test(l));
    if (apiErrors.length) {
      console.log(`[fuzz] the API logged ${apiErrors.length} error line(s); the first ones:`);
      for (const l of apiErrors.slice(0, 10)) console.log(`[fuzz]   ${l.slice(0, 300)}`);
    }
  }
  return fiveXx || errors || requests === 0 ? 1 : 0;
}

main(process.argv[2], process.argv[3]).then((code) => process.exit(code), (err: Error) => {
  console.error(`[fuzz] could not read the event stream: ${err.message}`);
  process.exit(1);
});
