import { DateTime } from 'luxon';
import type { PeriodFigures, Report, ReportKind, ReportPeriod, ScopeFigures } from '../../api/reports/report';
import type { ReportFiguresPort, ReportScope } from '../../api/reports/report-figures.port';

/**
 * A hand-built report for the delivery tests, until the figures service is wired in: figures that vary by period and
 * scope (so a chart, a table column or a CSV row that took the wrong one would show it), never from the database.
 */
const ZONE = 'Europe/London';

export function fixturePeriod(kind: ReportKind, id: string): ReportPeriod {
  const from = kind === 'monthly'
    ? DateTime.fromFormat(id, 'yyyy-LL', { zone: ZONE })
    : DateTime.fromObject({ year: Number(id.slice(0, 4)), month: Number(id.slice(-1)) * 3 - 2, day: 1 }, { zone: ZONE });
  const to = from.plus(kind === 'monthly' ? { months: 1 } : { months: 3 });
  return { kind, id, from: from.toUTC().toISO()!, to: to.toUTC().toISO()!, timeZone: ZONE };
}

function shift(period: ReportPeriod, by: number): ReportPeriod {
  const from = DateTime.fromISO(period.from, { zone: ZONE }).plus(period.kind === 'monthly' ? { months: by } : { months: 3 * by });
  return fixturePeriod(period.kind, period.kind === 'monthly' ? from.toFormat('yyyy-LL') : `${from.year}-Q${Math.ceil(from.month / 3)}`);
}

/** Figures from a seed (the period's month count and the scope's weight): deterministic, distinct per period. */
function figures(seed: number, weight: number): PeriodFigures {
  const n = (k: number) => ((seed * 7 + k * 5) % 13) * weight + k;
  const charge = n(3);
  const nfa = n(4);
  return {
    newCases: n(9),
    earlyAdvice: { requested: n(5), accepted: n(2), rejected: n(1), rejectionReasons: { 'insufficient-material': n(1) }, turnaround: { count: n(2), median: 14 + (seed % 9) + 0.5, within21DaysPct: 60 + (seed % 7) * 5.5 } },
    decisions: { charge, nfa, 'action-plan': n(2), returned: n(0), adminFinalised: seed % 3 },
    chargeRate: charge + nfa ? Math.round((1000 * charge) / (charge + nfa)) / 10 : null,
    actionsOverdue: { total: n(1) + n(2) + n(3) + n(4), byBand: { '0-7': n(1), '8-14': n(2), '15-28': n(3), 'over-28': n(4) }, byOwner: { police: n(1) + n(2) + n(3), cps: n(4) } },
    reportToCharge: { count: charge, median: charge ? 180 + (seed % 30) : null },
    nfaByOutcome: { 14: n(0), 16: n(1) },
    more: { vrr: { requests: n(0), overturned: seed % 2 } },
  };
}

const monthsOf = (p: ReportPeriod) => { const d = DateTime.fromISO(p.from, { zone: ZONE }); return d.year * 12 + d.month; };

export function fixtureReport(kind: ReportKind, periodId: string, scope: ReportScope): Report {
  const period = fixturePeriod(kind, periodId);
  const previousPeriod = shift(period, -1);
  const yearBeforePeriod = shift(period, kind === 'monthly' ? -12 : -4);
  const name = scope.level === 'unit' ? `Unit ${scope.id}` : scope.level === 'force' ? `Force ${scope.id}` : scope.id ? `CPS area ${scope.id}` : 'The region';
  const scoped = (level: ScopeFigures['scope']['level'], id: string | null, label: string, weight: number): ScopeFigures => ({
    scope: { level, id, name: label },
    current: figures(monthsOf(period), weight), previous: figures(monthsOf(previousPeriod), weight), yearBefore: figures(monthsOf(yearBeforePeriod), weight),
  });
  const total = scoped(scope.level, scope.id, name, 3);
  const units = scope.level === 'unit' ? [scoped('unit', scope.id, name, 3)] : [scoped('unit', 'north', 'North RASSO unit', 2), scoped('unit', 'south', 'South RASSO unit', 1)];
  return {
    kind, period, previousPeriod, yearBeforePeriod,
    generatedAt: '2026-11-03T07:00:00.000Z',
    definitions: { newCases: { numerator: 'cases whose report time falls in the period', denominator: null, cohort: 'cases reported in the period', basis: 'case' } },
    total,
    forces: scope.level === 'area' ? [scoped('force', 'fixture-force', 'Fixture Constabulary', 3)] : [],
    units,
    trend: Array.from({ length: 13 }, (_, i) => shift(period, i - 12)).map((p) => ({ period: p, figures: figures(monthsOf(p), 3) })),
  };
}

/** A stand-in CSV (the figures service has the real renderer): one row per figure of the report's own scope. */
export function fixtureCsv(report: Report): string {
  const rows: string[][] = [['figure', 'period', 'value']];
  const walk = (prefix: string, value: unknown, period: string) => {
    if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v, period);
    else rows.push([prefix, period, value === null ? '' : String(value)]);
  };
  walk('', report.total.current, report.period.id);
  walk('', report.total.previous, report.previousPeriod.id);
  walk('', report.total.yearBefore, report.yearBeforePeriod.id);
  return `${rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')}\r\n`;
}

/** The port over the fixture, recording each call (what the tests check scopes against). */
export function fixtureReportFigures(): ReportFiguresPort & { calls: { kind: ReportKind; periodId: string; scope: ReportScope }[] } {
  const calls: { kind: ReportKind; periodId: string; scope: ReportScope }[] = [];
  return {
    calls,
    async report(kind, periodId, scope) {
      calls.push({ kind, periodId, scope });
      return fixtureReport(kind, periodId, scope);
    },
    csv: fixtureCsv,
  };
}
