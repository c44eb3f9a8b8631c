import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** Temporal's time-skipping test server (Java), through the committed wrapper; one per test file. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: resolve(__dirname, '../../scripts/toolchain/temporal-test-server') } },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflows/ bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never,
  });
  return bundle;
}

/** Saves a workflow's history for the replay suite when RECORD_HISTORIES is set (to 1, or to a tag for the file name). */
export async function saveHistory(handle: { fetchHistory(): Promise<unknown> }, name: string): Promise<void> {
  const tag = process.env.RECORD_HISTORIES;
  if (!tag) return;
  const dir = join(__dirname, '..', 'replay', 'histories');
  mkdirSync(dir, { recursive: true });
  const history = temporal.api.history.v1.History.fromObject(await handle.fetchHistory() as Parameters<typeof temporal.api.history.v1.History.fromObject>[0]);
  writeFileSync(join(dir, `${name}${tag === '1' ? '' : `.${tag}`}.json`), `${JSON.stringify(history.toJSON(), null, 1)}\n`);
}
