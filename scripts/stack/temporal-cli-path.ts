import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The Temporal CLI outside the shell scripts: $TEMPORAL_CLI (npm test and npm start export it), else where
 * scripts/toolchain/lib.sh builds it into the cache (keep the version in step with TEMPORAL_CLI_VERSION there).
 */
export function temporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPORAL_CLI || join(env.PRECHARGE_CACHE_DIR || join(homedir(), '.cache', 'precharge'), 'temporal-1.5.1', 'temporal');
}
