import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { temporalCliPath } from '../../scripts/stack/temporal-cli-path';

/** The Temporal CLI the run uses: $TEMPORAL_CLI (npm test exports it), else the one the toolchain builds into the cache. */
export const TEMPORAL_CLI = temporalCliPath();

/** Runs the CLI against the run's Temporal server, as an operator would; its output, or the failure with it. */
export async function temporalCli(args: string[]): Promise<string> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: the global setup starts the server');
  const { stdout } = await promisify(execFile)(TEMPORAL_CLI, [...args, '--address', address, '--namespace', process.env.TEMPORAL_NAMESPACE ?? 'default'], { timeout: 30_000 });
  return stdout;
}
