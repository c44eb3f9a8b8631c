/**
 * The shape of the monthly RASSO pack and the quarterly report (domain reference §6.1, §6.2): what the figures
 * service answers, what the CSV, the scheduled email, its charts and the reports page are rendered from.
 * Figures are aggregates only: counts, rates, medians; never a case id, URN or name.
 */

export type ReportKind = 'monthly' | 'quarterly';

/** A calendar month (`2026-10`) or quarter (`2026-Q3`) in Europe/London; `from` inclusive, `to` exclusive, ISO instants. */
export interface ReportPeriod {
  kind: ReportKind;
  id: string;
  from: string;
  to: string;
  timeZone: 'Europe/London';
}

/** What a figure counts, written out so a reader can recompute it (also in docs/report-definitions.md). */
export interface FigureDefinition {
  numerator: string;
  denominator: string | null;
  cohort: string;
  basis: string;
}

export type OverdueBand = '0-7' | '8-14' | '15-28' | 'over-28';

/** The figures the issue names exactly; `more` holds the rest of §6, each defined in `Report.definitions`. */
export interface PeriodFigures {
  newCases: number;
  earlyAdvice: {
    requested: number;
    accepted: number;
    rejected: number;
    rejectionReasons: Record<string, number>;
    turnaround: { count: number; median: number | null; within21DaysPct: number | null };
  };
  decisions: { charge: number; nfa: number; 'action-plan': number; returned: number; adminFinalised: number };
  chargeRate: number | null;
  actionsOverdue: { total: number; byBand: Record<OverdueBand, number>; byOwner: { police: number; cps: number } };
  reportToCharge: { count: number; median: number | null };
  nfaByOutcome: Record<string, number>;
  more: Record<string, number | null | Record<string, number | null>>;
}

export interface ScopeFigures {
  scope: { level: 'area' | 'force' | 'unit'; id: string | null; name: string };
  current: PeriodFigures;
  previous: PeriodFigures;
  yearBefore: PeriodFigures;
}

export interface Report {
  kind: ReportKind;
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  yearBeforePeriod: ReportPeriod;
  generatedAt: string;
  /** Keyed by the figure's dotted path (`earlyAdvice.turnaround.median`, `more.vrr.requests`, ...). */
  definitions: Record<string, FigureDefinition>;
  /** The whole of what the reader may see: one unit when `unit=` was asked, else their force or the area. */
  total: ScopeFigures;
  forces: ScopeFigures[];
  units: ScopeFigures[];
  /** The requested scope's figures for the 13 periods ending with this one, oldest first: the charts' trend lines. */
  trend: { period: ReportPeriod; figures: PeriodFigures }[];
}
