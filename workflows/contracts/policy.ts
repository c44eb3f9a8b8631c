/**
 * The deadline and escalation policy as workflows receive it: a validated snapshot, versioned by content
 * hash, with non-working days already resolved so workflow code never does I/O to count days.
 */
export interface LadderStep {
  /** ISO-8601 duration after the due time, e.g. `P7D`, `PT10S`. */
  after: string;
  /** Who is told: `officer`, `prosecutor`, or `<organisation>:<rank>` up the supervision chain, e.g. `police:DS`. */
  to: string | string[];
}

export interface ClockPolicy {
  /** ISO-8601 duration, `Nwd` (working days) or `agreed` (set by the people involved). */
  due: string;
  /** Offsets before the due time, as negative ISO durations (`-P3D`). */
  remind?: string[];
  ladder?: LadderStep[];
  authorise?: string[];
}

/**
 * Which unit investigates a new case: the first rule whose conditions all hold. Replaces allocation by
 * custom and memory with rules anyone can read, and each case records the rule that placed it.
 */
export interface AllocationRule {
  id: string;
  description: string;
  when: {
    offenceTypes?: string[];
    penetrative?: boolean;
    victimVulnerable?: boolean;
    /** Reported at least this many days after the offence (non-recent reports). */
    reportedAfterDays?: number;
  };
  /** The unit to allocate to; null keeps the unit the registering officer chose. */
  unit: string | null;
}

export interface PolicySnapshot {
  name: string;
  version: string;
  timezone: string;
  clocks: Record<string, ClockPolicy>;
  allocation: AllocationRule[];
  /** ISO dates (YYYY-MM-DD) that are not working days: bank holidays plus local closures. */
  nonWorkingDays: string[];
}
