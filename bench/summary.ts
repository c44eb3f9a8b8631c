import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from './bench-support';

/** One figure of a benchmark for the `npm run bench` table: its value beside its target and its reference. */
export interface SummaryFigure {
  name: string;
  value: number | null;
  unit: string;
  target?: string;
  pass?: boolean;
  reference?: string;
  ratio?: number;
  settings?: Record<string, unknown>;
}

const RESULTS = resolve(__dirname, '..', '..', 'bench', 'results');

/** Writes `bench/results/<bench>-summary.json` (not committed), the file the `npm run bench` table reads; returns its path. */
export function writeSummary(bench: string, startedAt: Date, figures: SummaryFigure[]): string {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${bench}-summary.json`);
  const finite = figures.map((f) => ({ ...f, value: f.value === null || Number.isFinite(f.value) ? f.value : null }));
  writeFileSync(file, `${JSON.stringify({ bench, figures: finite, load: load(), cores: cpus().length, startedAt: startedAt.toISOString() }, null, 2)}\n`);
  console.log(`summary: bench/results/${bench}-summary.json`);
  return file;
}
