import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle, workflowSinks } from '../support/time-skipping';

/**
 * Recorded histories of representative cases, replayed against the current workflow code. A change that would
 * break cases already in flight fails here: put it behind `patched()`, and record histories of the new path beside
 * the old ones with `RECORD_HISTORIES=<tag> npx jest test/workflow/case-pipeline.test.ts` (files `<case>.<tag>.json`).
 * `RECORD_HISTORIES=1` overwrites the untagged ones: only when those cases are truly gone.
 */
const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('replay of recorded case histories', () => {
  // Bundling (the production bundles, without and with the OpenTelemetry workflow interceptors) takes a while on a busy machine.
  beforeAll(() => Promise.all([workflowBundle(false), workflowBundle(true)]), 300_000);

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  // Tracing is turned on and off between runs of the worker: a history replays the same either way.
  it.each(files.flatMap((file) => [[file, 'untraced'], [file, 'traced']]))('%s replays deterministically on the current code, %s', async (file, mode) => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle(mode === 'traced'), sinks: workflowSinks }, history, file)).resolves.toBeUndefined();
  });
});
