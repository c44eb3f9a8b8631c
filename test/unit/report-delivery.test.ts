import { reportCharts, chartPng } from '../../activities/reports/charts';
import { renderReportEmail } from '../../activities/reports/report-email';
import { loadPolicy } from '../../policy/load-policy';
import type { Calendar } from '../../workflows/clocks/calendar';
import type { ReportDeliveryRules } from '../../workflows/contracts/reports';
import { deliveriesDue, monthlyDelivery, quarterlyDelivery } from '../../workflows/reports/delivery';
import { sittingsFrom } from '../../workflows/clinics/recurrence';
import { parsePeriod, previousPeriod, trendPeriods, yearBeforePeriod } from '../../api/reports/periods';
import type { PeriodFigures, Report, ReportPeriod, ScopeFigures } from '../../api/reports/report';
import { reportToCsv } from '../../api/reports/report-csv';

const policy = loadPolicy(undefined, new Date('2026-11-01T00:00:00Z'));
const calendar: Calendar = { timezone: policy.timezone, nonWorkingDays: policy.nonWorkingDays };
const defaults = policy.reports!;
const rules = (over: Partial<ReportDeliveryRules['monthly']> & { workingDaysAfter?: number } = {}): ReportDeliveryRules => ({
  ...defaults,
  monthly: { ...defaults.monthly, ...over },
  quarterly: { workingDaysAfter: over.workingDaysAfter ?? defaults.quarterly.workingDaysAfter },
});
/** The meeting of the rule in the month of `from` (its first sitting on or after that day). */
const meetingOn = (r: ReportDeliveryRules, from: string) =>
  sittingsFrom({ firstSittingAt: r.monthly.meeting.firstMeetingAt, timezone: calendar.timezone, rrule: r.monthly.meeting.rrule }, calendar, from, 1)[0].sittingAt;

describe('when the scheduled reports go', () => {
  it('defaults to the second Tuesday of the month, the pack three working days before, covering the month before', () => {
    expect(defaults.version).toMatch(/^reports@[0-9a-f]{12}$/);
    const meeting = meetingOn(defaults, '2026-11-01T00:00:00Z');
    expect(meeting).toBe('2026-11-10T10:00:00.000Z'); // Tuesday 10 November, 10:00 UK time (GMT)
    expect(monthlyDelivery(meeting, defaults, calendar)).toEqual({ kind: 'monthly', periodId: '2026-10', sendOn: '2026-11-05', meetingAt: meeting });
  });

  it('counts working days over a bank holiday', () => {
    // The last Tuesday of May 2026 is the 26th; Monday 25 May is the spring bank holiday.
    const r = rules({ meeting: { firstMeetingAt: '2026-01-27T10:00', rrule: 'FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1' } });
    const meeting = meetingOn(r, '2026-05-01T00:00:00Z');
    expect(meeting).toBe('2026-05-26T09:00:00.000Z'); // 10:00 BST
    expect(monthlyDelivery(meeting, r, calendar)).toMatchObject({ periodId: '2026-04', sendOn: '2026-05-20' });
  });

  it('holds the pack of a meeting early in its month until the month it covers has ended', () => {
    // The first Monday of May 2026 is the early May bank holiday: the meeting moves to Tuesday 5 May. Two working days
    // before it is Thursday 30 April, inside April, the month being reported: the pack waits for Friday 1 May.
    const r = rules({ meeting: { firstMeetingAt: '2026-01-05T10:00', rrule: 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1' }, workingDaysBefore: 2 });
    const meeting = meetingOn(r, '2026-05-01T00:00:00Z');
    expect(meeting).toBe('2026-05-05T09:00:00.000Z');
    expect(monthlyDelivery(meeting, r, calendar)).toEqual({ kind: 'monthly', periodId: '2026-04', sendOn: '2026-05-01', meetingAt: meeting, heldUntilPeriodEnd: true });
  });

  it('sends the quarterly report on the set working day after the quarter, over Christmas and New Year', () => {
    // 25 and 28 December 2026 and 1 January 2027 are bank holidays.
    expect(quarterlyDelivery('2026-Q4', rules(), calendar).sendOn).toBe('2027-01-15');
    expect(quarterlyDelivery('2026-Q4', rules({ workingDaysAfter: 1 }), calendar).sendOn).toBe('2027-01-04');
    expect(quarterlyDelivery('2026-Q3', rules({ workingDaysAfter: 1 }), calendar).sendOn).toBe('2026-10-01');
  });

  it('finds what is due on a day: on its day, caught up later (monthly until the meeting), never early', () => {
    const due = (day: string) => deliveriesDue(day, defaults, calendar).map((d) => `${d.kind} ${d.periodId}`);
    expect(due('2026-11-04')).toEqual([]);
    expect(due('2026-11-05')).toEqual(['monthly 2026-10']);
    expect(due('2026-11-10')).toEqual(['monthly 2026-10']);
    expect(due('2026-11-11')).toEqual([]);
    expect(due('2027-01-14')).toEqual([]);
    expect(due('2027-01-15')).toEqual(['quarterly 2026-Q4']);
    expect(due('2027-01-28')).toEqual(['quarterly 2026-Q4']);
    expect(due('2027-01-29')).toEqual([]);
  });

  it('refuses report rules that cannot be computed, naming each field', () => {
    expect(() => loadPolicy(`${__dirname}/../fixtures/bad-report-rules-policy.json`)).toThrow(/reports\.monthly\.meeting\.rrule[\s\S]*reports\.monthly\.workingDaysBefore[\s\S]*reports\.recipients\[0\]\.to[\s\S]*reports\.recipients\[1\]\.scope/);
  });
});

/** Figures that vary by period and scope (so a chart or column that took the wrong one would show it). */
function figures(period: ReportPeriod, weight: number): PeriodFigures {
  const seed = Number(period.id.slice(0, 4)) * 12 + Number(period.id.slice(5));
  const n = (k: number) => ((seed * 7 + k * 5) % 13) * weight + k;
  const [charge, nfa] = [n(3), n(4)];
  return {
    newCases: n(9),
    earlyAdvice: { requested: n(5), accepted: n(2), rejected: n(1), rejectionReasons: { 'no-mg3': n(1) }, turnaround: { count: n(2), median: 14.5 + (seed % 9), within21DaysPct: 60 + (seed % 7) * 5.5 } },
    decisions: { charge, nfa, 'action-plan': n(2), returned: n(0), adminFinalised: seed % 3 },
    chargeRate: Math.round((1000 * charge) / (charge + nfa)) / 10,
    actionsOverdue: { total: n(1) + n(2) + n(3) + n(4), byBand: { '0-7': n(1), '8-14': n(2), '15-28': n(3), 'over-28': n(4) }, byOwner: { police: n(1) + n(2) + n(3), cps: n(4) } },
    reportToCharge: { count: charge, median: 180 + (seed % 30) },
    nfaByOutcome: { 14: n(0), 16: n(1) },
    more: {},
  };
}

/** A hand-built monthly pack of a force with two units: what the charts and the email are drawn from. */
function handBuiltReport(periodId: string): Report {
  const period = parsePeriod('monthly', periodId);
  const [previous, yearBefore] = [previousPeriod(period), yearBeforePeriod(period)];
  const scoped = (scope: ScopeFigures['scope'], weight: number): ScopeFigures => ({
    scope, current: figures(period, weight), previous: figures(previous, weight), yearBefore: figures(yearBefore, weight),
  });
  const total = scoped({ level: 'force', id: 'fixture-force', name: 'Force fixture-force' }, 3);
  return {
    kind: 'monthly', period, previousPeriod: previous, yearBeforePeriod: yearBefore, generatedAt: '2026-11-03T07:00:00.000Z', definitions: {},
    total, forces: [total],
    units: [scoped({ level: 'unit', id: 'north', name: 'North RASSO unit' }, 2), scoped({ level: 'unit', id: 'south', name: 'South RASSO unit' }, 1)],
    trend: trendPeriods(period).map((p) => ({ period: p, figures: figures(p, 3) })),
  };
}

describe('the report charts', () => {
  const report = handBuiltReport('2026-10');

  it('draws the trends over 13 months and the bars by unit, band and owner, each with a text alternative', () => {
    const charts = reportCharts(report);
    expect(charts.map((c) => c.id)).toEqual(['trend-volumes', 'trend-rates', 'trend-turnaround', 'trend-overdue', 'units', 'overdue-bands', 'overdue-owners']);
    for (const chart of charts) {
      expect(chart.svg.startsWith('<svg')).toBe(true);
      expect(chart.svg).toContain(chart.title);
    }
    const first = report.trend[0].figures.newCases;
    const last = report.trend[12].figures.newCases;
    expect(charts[0].alt).toContain(`over the 13 months from Oct 2025 to Oct 2026`);
    expect(charts[0].alt).toContain(`New cases: ${first} in Oct 2025, ${last} in Oct 2026`);
    expect(charts[4].alt).toContain(`North RASSO unit: new cases ${report.units[0].current.newCases}, charges ${report.units[0].current.decisions.charge}`);
    expect(charts[5].alt).toContain(`Up to 7 days: actions ${report.total.current.actionsOverdue.byBand['0-7']}`);
  });

  it('renders the same bytes for the same report, as PNGs with text drawn', () => {
    const [a, b] = [reportCharts(report), reportCharts(report)];
    expect(a.map((c) => c.svg)).toEqual(b.map((c) => c.svg));
    const png = chartPng(a[0]);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(a[0].width * 2); // IHDR width: drawn at twice the size
    expect(png.equals(chartPng(b[0]))).toBe(true);
    // Text drawn with the font makes a busier image than the same chart with its text taken out.
    const bare = chartPng({ svg: a[0].svg.replace(/<text[\s\S]*?<\/text>/g, '') });
    expect(png.length).toBeGreaterThan(bare.length + 2000);
  });

  it('emails them inline with the figures table, a plain-text part and the CSV, with no case detail', () => {
    const charts = reportCharts(report);
    const mail = renderReportEmail({ report, charts, csv: reportToCsv(report), recipientName: 'DCI Test', why: 'your rank is named', reportsLink: 'http://localhost:3000/reports', meetingAt: '2026-11-10T10:00:00.000Z' });
    expect(mail.subject).toBe('Monthly RASSO performance pack: October 2026, Force fixture-force');
    for (const chart of charts) expect(mail.html).toContain(`src="cid:${chart.id}@report"`);
    expect(mail.html).toContain('Tuesday 10 November 2026 at 10:00');
    expect(mail.html).toMatch(new RegExp(`New cases reported</th><td[^>]*>${report.total.current.newCases}</td><td[^>]*>${report.total.previous.newCases}</td><td[^>]*>${report.total.yearBefore.newCases}</td>`));
    expect(mail.text).toContain(`- New cases reported: ${report.total.current.newCases} / ${report.total.previous.newCases} / ${report.total.yearBefore.newCases}`);
    expect(mail.text).toContain(charts[0].alt);
    expect(mail.attachments!.map((a) => a.filename)).toEqual([...charts.map((c) => `${c.id}.png`), 'rasso-monthly-2026-10-force-fixture-force.csv']);
  });
});
