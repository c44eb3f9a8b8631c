import type { ReportDeliveryRules } from './reports';

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
  /**
   * Further limits a deadline may be taken to, each by the authority at the same place in `authorise` (detention:
   * 36 hours by a superintendent, 96 by a magistrates' court), counted from the same start as `due`.
   */
  limits?: string[];
  /** The domain reference's row and label for this clock (`T27 [STATUTE] PACE ss.41-44`), shown with the policy. */
  source?: string;
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

/** Why a case is on a clinic's agenda: each entry carries one or more of these, with a detail. */
export const AGENDA_REASONS = [
  'action-overdue', 'early-advice-waiting', 'bail-expiring', 'repeat-suspect', 'second-action-plan', 'repeat-consultations', 'victim-disengaging', 'escalated', 'referred',
] as const;
export type AgendaReasonCode = (typeof AGENDA_REASONS)[number];

/**
 * The rules a clinic's agenda is built by (domain.md §3 S6, §4): which reasons are looked for and their thresholds.
 * Versioned on their own (`version`: a hash of the rules), and each sitting records the version it was built under.
 */
export interface AgendaRules {
  /** The reasons looked for; a reason left out never puts a case on the agenda. */
  reasons: AgendaReasonCode[];
  /** An Early Advice request unanswered for longer than this (ISO duration; the CPS NOM's 21 days). */
  earlyAdviceWaiting: string;
  /** A suspect's bail expiring within this (ISO duration). */
  bailExpiringWithin: string;
  /** This many charging submissions or more. */
  repeatConsultations: number;
  /** No victim contact recorded for longer than this (ISO duration), or a withdrawal recorded. */
  victimNoContact: string;
}

/** The criteria every sampled case is scored on, 1 (poor) to 4 (good) each (domain.md §6.3). */
export const PANEL_CRITERIA = ['suspectFocus', 'victimEngagement', 'proportionality', 'timeliness', 'rationaleQuality', 'language'] as const;
export type PanelCriterion = (typeof PANEL_CRITERIA)[number];

/** How a stratum finds its cases: the closing event on the timeline and, where it matters, the outcome codes. */
export const PANEL_CLOSURES = ['police-nfa', 'cps-nfa', 'admin-finalised', 'charge-authorised'] as const;
export type PanelClosure = (typeof PANEL_CLOSURES)[number];

export interface PanelStratum {
  code: string;
  label: string;
  closure: PanelClosure;
  /** Home Office outcome codes the closure must carry; absent: any. */
  outcomeCodes?: number[];
  /** An NFA stratum shares the sample by its population; a contrast stratum (charged cases) draws `fixed` cases. */
  nfa: boolean;
  fixed?: number;
}

/**
 * How NFA scrutiny panels sample and score (domain.md §2.11, §6.3): versioned on their own like the agenda rules, and
 * each panel records the version it drew its sample under.
 */
export interface PanelRules {
  /** The default cadence of a panel schedule (RRULE parts) and the period each scheduled panel looks back over. */
  cadence: string;
  period: string;
  /** Sample size: the larger of `minCases` and `nfaPercent` of the NFA population, never above `maxCases`. */
  minCases: number;
  nfaPercent: number;
  maxCases: number;
  strata: PanelStratum[];
  criteria: { code: PanelCriterion; label: string }[];
  /** Themes a review may name, seeded from the national report's (domain.md §2.11); a force adds its own. */
  themes: { code: string; label: string }[];
}

export interface PolicySnapshot {
  name: string;
  version: string;
  timezone: string;
  clocks: Record<string, ClockPolicy>;
  allocation: AllocationRule[];
  /** Absent only in snapshots recorded before clinics existed. */
  agenda?: AgendaRules & { version: string };
  /** Absent only in snapshots recorded before scrutiny panels existed. */
  panels?: PanelRules & { version: string };
  /** Absent only in snapshots recorded before scheduled reports existed. */
  reports?: ReportDeliveryRules & { version: string };
  /** ISO dates (YYYY-MM-DD) that are not working days: bank holidays plus local closures. */
  nonWorkingDays: string[];
}
