import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { PeriodFigures, Report, ScopeFigures } from './report';

/**
 * A report as long-form ("tidy") CSV: one row per figure, scope and period, so a spreadsheet can pivot it any way.
 *
 *   scope_level,scope_id,scope_name,comparison,period,figure,value
 *   force,force-a,Force A,current,2025-10,earlyAdvice.turnaround.median,12.5
 *
 * `comparison` is `current`, `previous` or `year-before` (the period is its id), or `trend` (the whole scope's figures
 * for each of the 13 periods ending with the report's); `figure` is the dotted path of the figure in the JSON (a
 * record's entries by their key: `nfaByOutcome.16`); `value` is the number as the JSON has it, empty for null. Every
 * figure of the JSON is a row, so parseReportCsv gives back exactly the JSON's figures. Definitions are in the JSON and
 * docs/report-definitions.md.
 */
export const REPORT_CSV_COLUMNS = ['scope_level', 'scope_id', 'scope_name', 'comparison', 'period', 'figure', 'value'] as const;

type Comparison = 'current' | 'previous' | 'year-before' | 'trend';
type Leaf = number | null;
type Tree = { [key: string]: Leaf | Tree };

/** The figures' leaves as `[path, value]`, in the JSON's order. */
export function figureLeaves(figures: PeriodFigures): [string, Leaf][] {
  const out: [string, Leaf][] = [];
  const walk = (value: Leaf | Tree, path: string) => {
    if (value === null || typeof value === 'number') out.push([path, value]);
    else for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(figures as unknown as Tree, '');
  return out;
}

export function reportToCsv(report: Report): string {
  const rows: string[][] = [[...REPORT_CSV_COLUMNS]];
  const add = (scope: ScopeFigures['scope'], comparison: Comparison, period: string, figures: PeriodFigures) => {
    for (const [path, value] of figureLeaves(figures)) rows.push([scope.level, scope.id ?? '', scope.name, comparison, period, path, value === null ? '' : String(value)]);
  };
  for (const s of [report.total, ...report.forces, ...report.units]) {
    add(s.scope, 'current', report.period.id, s.current);
    add(s.scope, 'previous', report.previousPeriod.id, s.previous);
    add(s.scope, 'year-before', report.yearBeforePeriod.id, s.yearBefore);
  }
  for (const t of report.trend) add(report.total.scope, 'trend', t.period.id, t.figures);
  return stringify(rows);
}

/** The CSV's file name, wherever it is given (the API, the reports page, the scheduled email): `rasso-monthly-2026-10-force-x.csv`. */
export function reportCsvFileName(report: Report): string {
  const scope = report.total.scope;
  return `${`rasso-${report.kind}-${report.period.id}-${scope.level}${scope.id ? `-${scope.id}` : ''}`.replace(/[^A-Za-z0-9-]/g, '-')}.csv`;
}

/** Records whose keys are the data's (codes, stages): present even when the period has none. */
const OPEN_RECORDS = ['earlyAdvice.rejectionReasons', 'nfaByOutcome', 'more.withdrawalStage'];

function setPath(tree: Tree, path: string, value: Leaf): void {
  const parts = path.split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Tree;
  node[parts.at(-1)!] = value;
}

function emptyFigures(): Tree {
  const tree: Tree = {};
  for (const path of OPEN_RECORDS) {
    const parts = path.split('.');
    let node = tree;
    for (const part of parts) node = (node[part] ??= {}) as Tree;
  }
  return tree;
}

export interface ParsedReportCsv {
  /** By `level:id` (the total: `total`): its scope and its current, previous and year-before figures. */
  scopes: Record<string, Pick<ScopeFigures, 'scope'> & Partial<Pick<ScopeFigures, 'current' | 'previous' | 'yearBefore'>>>;
  trend: { period: string; figures: PeriodFigures }[];
}

/**
 * Reads the CSV back into figures: the first scope in the file is the total (`total`); each force and unit under
 * `level:id`. What a test (or a reader's script) compares with the JSON.
 */
export function parseReportCsv(csv: string): ParsedReportCsv {
  const records = parse(csv, { columns: true, skip_empty_lines: true }) as Record<(typeof REPORT_CSV_COLUMNS)[number], string>[];
  const scopes: ParsedReportCsv['scopes'] = {};
  const trees = new Map<string, Tree>();
  const trend = new Map<string, Tree>();
  let totalKey: string | undefined;
  for (const r of records) {
    const value = r.value === '' ? null : Number(r.value);
    if (r.comparison === 'trend') {
      if (!trend.has(r.period)) trend.set(r.period, emptyFigures());
      setPath(trend.get(r.period)!, r.figure, value);
      continue;
    }
    const id = `${r.scope_level}:${r.scope_id}`;
    totalKey ??= id;
    const key = id === totalKey ? 'total' : id;
    scopes[key] ??= { scope: { level: r.scope_level as ScopeFigures['scope']['level'], id: r.scope_id === '' ? null : r.scope_id, name: r.scope_name } };
    const slot = r.comparison === 'year-before' ? 'yearBefore' : (r.comparison as 'current' | 'previous');
    const treeKey = `${key}\u0000${slot}`;
    if (!trees.has(treeKey)) {
      trees.set(treeKey, emptyFigures());
      (scopes[key] as Record<string, unknown>)[slot] = trees.get(treeKey);
    }
    setPath(trees.get(treeKey)!, r.figure, value);
  }
  return { scopes, trend: [...trend].map(([period, figures]) => ({ period, figures: figures as unknown as PeriodFigures })) };
}
