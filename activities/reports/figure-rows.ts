import { DateTime } from 'luxon';
import type { PeriodFigures, Report, ReportPeriod } from '../../api/reports/report';

/**
 * The figures of a report as rows of a table (this period, the one before, the same period a year before): what the
 * email, its plain-text part and the reports page show, and what each chart's text alternative sums up.
 */
export type FigureFormat = 'count' | 'percent' | 'days';

export interface FigureRow {
  key: string;
  label: string;
  format: FigureFormat;
  current: string;
  previous: string;
  yearBefore: string;
}

export interface FigureGroup { title: string; rows: FigureRow[] }

/** `2026-10` → `October 2026`, `2026-Q3` → `Q3 2026 (July to September)`; short: `Oct 2026`, `Q3 2026`. */
export function periodLabel(period: Pick<ReportPeriod, 'kind' | 'id'>, short = false): string {
  if (period.kind === 'quarterly') {
    const [year, q] = period.id.split('-Q').map(Number);
    if (short) return `Q${q} ${year}`;
    const first = DateTime.fromObject({ year, month: q * 3 - 2 });
    return `Q${q} ${year} (${first.toFormat('LLLL')} to ${first.plus({ months: 2 }).toFormat('LLLL')})`;
  }
  return DateTime.fromFormat(period.id, 'yyyy-LL').toFormat(short ? 'LLL yyyy' : 'LLLL yyyy');
}

export function formatFigure(value: number | null | undefined, format: FigureFormat): string {
  if (value === null || value === undefined) return 'no data';
  if (format === 'percent') return `${value.toFixed(1)}%`;
  if (format === 'days') return `${value.toFixed(1)} days`;
  return String(value);
}

type Pick3 = (f: PeriodFigures) => number | null | undefined;

const BANDS = [['0-7', 'up to 7 days'], ['8-14', '8 to 14 days'], ['15-28', '15 to 28 days'], ['over-28', 'over 28 days']] as const;
const DECISIONS = [['charge', 'Charge'], ['nfa', 'No further action'], ['action-plan', 'Further action plan'], ['returned', 'Returned'], ['adminFinalised', 'Administratively finalised']] as const;

const label = (key: string) => key.replace(/^more\./, '').replace(/[.-]/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** The rows of one scope's figures, grouped as the meeting reads them. */
export function figureGroups(figures: { current: PeriodFigures; previous: PeriodFigures; yearBefore: PeriodFigures }): FigureGroup[] {
  const row = (key: string, text: string, format: FigureFormat, pick: Pick3): FigureRow => ({
    key, label: text, format,
    current: formatFigure(pick(figures.current), format), previous: formatFigure(pick(figures.previous), format), yearBefore: formatFigure(pick(figures.yearBefore), format),
  });
  const keysOf = (pick: (f: PeriodFigures) => Record<string, unknown>) => [...new Set([figures.current, figures.previous, figures.yearBefore].flatMap((f) => Object.keys(pick(f) ?? {})))].sort();
  const more: FigureRow[] = keysOf((f) => f.more).flatMap((key) => {
    const value = figures.current.more[key] ?? figures.previous.more[key] ?? figures.yearBefore.more[key];
    if (value !== null && typeof value === 'object') {
      return Object.keys(value).sort().map((sub) => row(`more.${key}.${sub}`, `${label(key)}: ${label(sub).toLowerCase()}`, /pct$|rate$/i.test(sub) ? 'percent' : 'count',
        (f) => (f.more[key] as Record<string, number | null> | null)?.[sub]));
    }
    return [row(`more.${key}`, label(key), /pct$|rate$/i.test(key) ? 'percent' : 'count', (f) => f.more[key] as number | null)];
  });
  return [
    { title: 'Volumes', rows: [
      row('newCases', 'New cases reported', 'count', (f) => f.newCases),
      row('earlyAdvice.requested', 'Early Advice requested', 'count', (f) => f.earlyAdvice.requested),
      row('earlyAdvice.accepted', 'Early Advice accepted at triage', 'count', (f) => f.earlyAdvice.accepted),
      row('earlyAdvice.rejected', 'Early Advice rejected at triage', 'count', (f) => f.earlyAdvice.rejected),
      ...keysOf((f) => f.earlyAdvice.rejectionReasons).map((code) => row(`earlyAdvice.rejectionReasons.${code}`, `Rejected: ${code}`, 'count', (f) => f.earlyAdvice.rejectionReasons[code] ?? 0)),
    ] },
    { title: 'Decisions', rows: [
      ...DECISIONS.map(([key, text]) => row(`decisions.${key}`, `CPS decisions: ${text.toLowerCase()}`, 'count', (f) => f.decisions[key])),
      row('chargeRate', 'Charge rate (charge ÷ charge and NFA)', 'percent', (f) => f.chargeRate),
      ...keysOf((f) => f.nfaByOutcome).map((code) => row(`nfaByOutcome.${code}`, `NFA with outcome ${code}`, 'count', (f) => f.nfaByOutcome[code] ?? 0)),
    ] },
    { title: 'Timeliness', rows: [
      row('earlyAdvice.turnaround.median', 'Early Advice turnaround, median', 'days', (f) => f.earlyAdvice.turnaround.median),
      row('earlyAdvice.turnaround.within21DaysPct', 'Early Advice given within 21 days', 'percent', (f) => f.earlyAdvice.turnaround.within21DaysPct),
      row('reportToCharge.median', 'Report to charge, median', 'days', (f) => f.reportToCharge.median),
    ] },
    { title: 'Actions overdue at the end of the period', rows: [
      row('actionsOverdue.total', 'Actions overdue', 'count', (f) => f.actionsOverdue.total),
      ...BANDS.map(([band, text]) => row(`actionsOverdue.byBand.${band}`, `Overdue ${text}`, 'count', (f) => f.actionsOverdue.byBand[band])),
      row('actionsOverdue.byOwner.police', 'Overdue, police actions', 'count', (f) => f.actionsOverdue.byOwner.police),
      row('actionsOverdue.byOwner.cps', 'Overdue, CPS actions', 'count', (f) => f.actionsOverdue.byOwner.cps),
    ] },
    ...(more.length ? [{ title: 'Further measures', rows: more }] : []),
  ];
}

/** The column headings: this period, the one before, a year before. */
export function periodHeadings(report: Report): { current: string; previous: string; yearBefore: string } {
  return { current: periodLabel(report.period, true), previous: periodLabel(report.previousPeriod, true), yearBefore: periodLabel(report.yearBeforePeriod, true) };
}

/** The trend charts' figures as a table: one row per period, oldest first. */
export function trendTable(report: Report): { headings: string[]; rows: string[][] } {
  return {
    headings: ['Period', 'New cases', 'Early Advice requested', 'Charge rate', 'Early Advice within 21 days', 'Early Advice median', 'Actions overdue'],
    rows: report.trend.map(({ period, figures: f }) => [
      periodLabel(period, true), formatFigure(f.newCases, 'count'), formatFigure(f.earlyAdvice.requested, 'count'), formatFigure(f.chargeRate, 'percent'),
      formatFigure(f.earlyAdvice.turnaround.within21DaysPct, 'percent'), formatFigure(f.earlyAdvice.turnaround.median, 'days'), formatFigure(f.actionsOverdue.total, 'count'),
    ]),
  };
}

/** This period by unit: the units chart's figures as a table. */
export function unitTable(report: Report): { headings: string[]; rows: string[][] } {
  return {
    headings: ['Unit', 'New cases', 'Charges', 'Charge rate', 'Actions overdue'],
    rows: report.units.map((u) => [u.scope.name, formatFigure(u.current.newCases, 'count'), formatFigure(u.current.decisions.charge, 'count'), formatFigure(u.current.chargeRate, 'percent'), formatFigure(u.current.actionsOverdue.total, 'count')]),
  };
}
