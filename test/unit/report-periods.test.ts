import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastCompletePeriod, parseMonth, parseQuarter, periodContaining, previousPeriod, trendPeriods, yearBeforePeriod } from '../../api/reports/periods';
import { percent } from '../../api/reports/report-figures';
import { definitionsTable } from '../../api/reports/report-definitions';

describe('report periods in Europe/London', () => {
  it('gives a month its London boundaries, an hour longer in October and shorter in March', () => {
    expect(parseMonth('2025-10')).toEqual({ kind: 'monthly', id: '2025-10', from: '2025-09-30T23:00:00.000Z', to: '2025-11-01T00:00:00.000Z', timeZone: 'Europe/London' });
    expect(parseMonth('2026-03')).toMatchObject({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T23:00:00.000Z' });
    expect(parseMonth('2026-01')).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
    const october = parseMonth('2025-10');
    expect(Date.parse(october.to) - Date.parse(october.from)).toBe((31 * 24 + 1) * 3_600_000);
  });

  it('gives a quarter its months, and counts back to the previous period, the year before and the trend', () => {
    expect(parseQuarter('2025-Q4')).toMatchObject({ id: '2025-Q4', from: '2025-09-30T23:00:00.000Z', to: '2026-01-01T00:00:00.000Z' });
    expect(parseQuarter('2026-Q2')).toMatchObject({ from: '2026-03-31T23:00:00.000Z', to: '2026-06-30T23:00:00.000Z' });
    expect(previousPeriod(parseQuarter('2026-Q1')).id).toBe('2025-Q4');
    expect(yearBeforePeriod(parseQuarter('2026-Q1')).id).toBe('2025-Q1');
    expect(previousPeriod(parseMonth('2026-01')).id).toBe('2025-12');
    expect(yearBeforePeriod(parseMonth('2026-01')).id).toBe('2025-01');
    const trend = trendPeriods(parseMonth('2026-02'));
    expect(trend.map((p) => p.id)).toEqual(['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02']);
    // Contiguous: each period starts where the one before ends.
    trend.slice(1).forEach((p, i) => expect(p.from).toBe(trend[i].to));
    expect(trendPeriods(parseQuarter('2026-Q1')).map((p) => p.id)[0]).toBe('2023-Q1');
  });

  it('finds the period an instant falls in by London time, and the last one complete', () => {
    expect(periodContaining('monthly', new Date('2025-09-30T23:30:00Z')).id).toBe('2025-10');
    expect(periodContaining('monthly', new Date('2025-10-31T23:30:00Z')).id).toBe('2025-10');
    expect(periodContaining('quarterly', new Date('2026-06-30T23:30:00Z')).id).toBe('2026-Q3');
    expect(lastCompletePeriod('monthly', new Date('2026-11-30T09:00:00Z')).id).toBe('2026-10');
    expect(lastCompletePeriod('quarterly', new Date('2026-10-05T09:00:00Z')).id).toBe('2026-Q3');
  });

  it('refuses what is not a month or a quarter', () => {
    for (const bad of ['2025-13', '2025-1', '25-10', '2025-10-01', '1969-12', '', '2025-Q1']) expect(() => parseMonth(bad)).toThrow(RangeError);
    for (const bad of ['2025-Q0', '2025-Q5', '2025-q1', '2025-10']) expect(() => parseQuarter(bad)).toThrow(RangeError);
  });

  it('rounds percentages half up to one decimal place, exactly', () => {
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(1, 16)).toBe(6.3); // 6.25 → 6.3
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(0, 0)).toBeNull();
  });
});

describe('docs/report-definitions.md', () => {
  it('holds every figure\'s definition as the API answers it', () => {
    const file = join(__dirname, '..', '..', 'docs', 'report-definitions.md');
    const doc = readFileSync(file, 'utf8');
    const [before, rest] = doc.split('<!-- figures:begin -->\n');
    const after = rest.split('\n<!-- figures:end -->')[1];
    const expected = `${before}<!-- figures:begin -->\n${definitionsTable()}\n<!-- figures:end -->${after}`;
    // REPORT_DEFINITIONS_WRITE=1 rewrites the table from api/reports/report-definitions.ts.
    if (process.env.REPORT_DEFINITIONS_WRITE === '1') writeFileSync(file, expected);
    expect(doc).toBe(expected);
  });
});
