import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowInterceptorModules, workflowSpanSinks } from '../../worker/telemetry';
import { workflowBundleOptions } from '../../worker/workflow-bundle';

/** Temporal's time-skipping test server (Java), through the committed wrapper; one per test file. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: resolve(__dirname, '../../scripts/toolchain/temporal-test-server') } },
  });
}

const bundles = new Map<boolean, Promise<WorkflowBundleWithSourceMap>>();

/** The sinks a worker running that bundle needs (the workflow interceptors' span sink; tracing off: spans go nowhere). */
export const workflowSinks = workflowSpanSinks(undefined);

/** The workflows/ bundle as the worker builds it (with the OpenTelemetry workflow interceptors when tracing), once per test file. */
export function workflowBundle(tracing = false): Promise<WorkflowBundleWithSourceMap> {
  if (!bundles.has(tracing)) {
    bundles.set(tracing, bundleWorkflowCode({
      ...workflowBundleOptions(),
      workflowInterceptorModules: workflowInterceptorModules(tracing),
      logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never,
    }));
  }
  return bundles.get(tracing)!;
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
