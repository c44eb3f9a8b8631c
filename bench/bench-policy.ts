import type { PolicySnapshot } from '../workflows/contracts/policy';

/** The clock every bench workflow arms: due at an agreed instant, one ladder step exactly at the due time. */
export const BENCH_CLOCK = 'benchDeadline';

/** A policy snapshot with just the bench clock, shaped like the ones case workflows receive. */
export function benchPolicy(): PolicySnapshot {
  return {
    name: 'bench',
    version: 'bench-deadlines',
    timezone: 'Europe/London',
    clocks: { [BENCH_CLOCK]: { due: 'agreed', ladder: [{ after: 'PT0S', to: 'officer' }] } },
    allocation: [],
    nonWorkingDays: [],
  };
}
