import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { PeriodFigures, Report } from '../../api/reports/report';
import { formatFigure, type FigureFormat, periodLabel } from './figure-rows';

/**
 * The report's charts, drawn on the server: Apache ECharts' server-side rendering to SVG (no canvas, no browser), and
 * the same SVG rasterised to PNG by resvg for mail clients that show no SVG. Pure functions of the report: the same
 * report gives the same bytes (no animation, fixed sizes, one font file). Each chart carries a text alternative that
 * sums it up; the figures themselves are in the table beside it. Never imported by workflows.
 */
export interface Chart {
  id: string;
  title: string;
  /** A text alternative: what the chart shows, in words (first and last values, lowest and highest). */
  alt: string;
  width: number;
  height: number;
  svg: string;
}

const WIDTH = 640;
const HEIGHT = 320;
/** GOV.UK colours; each series also has its own marker, so colour is never the only difference. */
const COLOURS = ['#1d70b8', '#f47738', '#00703c', '#4c2c92'];
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond'];

/** One font file, loaded explicitly, so text renders the same on every machine that has it (DejaVu, else Liberation). */
const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf'];
const FONT_FILE = FONT_FILES.find((f) => existsSync(f));
const FONT_FAMILY = FONT_FILE?.includes('Liberation') ? 'Liberation Sans' : 'DejaVu Sans';

interface Series { name: string; format: FigureFormat; values: (number | null)[] }

function render(option: echarts.EChartsOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', color: COLOURS, textStyle: { fontFamily: FONT_FAMILY, color: '#0b0c0c' }, ...option });
    // zrender numbers its instances and style classes process-wide (`zr12-cls-3`, `zr12-c0`): renumbered in order of appearance, the
    // bytes are a function of the report alone. Each SVG stands alone (an image), so names never meet another chart's.
    const names = new Map<string, string>();
    return chart.renderToSVGString().replace(/\bzr\d+-/g, 'zr0-').replace(/zr0-cls-\d+/g, (name) => {
      if (!names.has(name)) names.set(name, `chart-cls-${names.size}`);
      return names.get(name)!;
    });
  } finally {
    chart.dispose();
  }
}

/** "New cases: 12 in Oct 2025, 15 in Oct 2026; lowest 8 (Feb 2026), highest 19 (Jul 2026)." */
function describeSeries(s: Series, labels: string[]): string {
  const known = s.values.map((v, i) => ({ v, at: labels[i] })).filter((x): x is { v: number; at: string } => x.v !== null && x.v !== undefined);
  if (!known.length) return `${s.name}: no data.`;
  const first = known[0];
  const last = known[known.length - 1];
  const low = known.reduce((a, b) => (b.v < a.v ? b : a));
  const high = known.reduce((a, b) => (b.v > a.v ? b : a));
  const f = (v: number) => formatFigure(v, s.format);
  if (known.length === 1) return `${s.name}: ${f(first.v)} in ${first.at}.`;
  return `${s.name}: ${f(first.v)} in ${first.at}, ${f(last.v)} in ${last.at}; lowest ${f(low.v)} (${low.at}), highest ${f(high.v)} (${high.at}).`;
}

function trendChart(report: Report, id: string, title: string, series: { name: string; format: FigureFormat; pick: (f: PeriodFigures) => number | null }[]): Chart {
  const labels = report.trend.map((t) => periodLabel(t.period, true));
  const data: Series[] = series.map((s) => ({ name: s.name, format: s.format, values: report.trend.map((t) => s.pick(t.figures)) }));
  const percent = series.every((s) => s.format === 'percent');
  const svg = render({
    title: { text: title, left: 8, top: 6, textStyle: { fontSize: 15, fontWeight: 'bold' } },
    legend: { top: 32, left: 8, itemGap: 16 },
    grid: { left: 56, right: 24, top: 70, bottom: 60 },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10, interval: 0, rotate: labels.length > 8 ? 35 : 0 } },
    yAxis: { type: 'value', minInterval: 1, ...(percent ? { max: 100, axisLabel: { formatter: '{value}%' } } : {}) },
    series: data.map((s, i) => ({ type: 'line', name: s.name, data: s.values, symbol: SYMBOLS[i], symbolSize: 7, connectNulls: false, lineStyle: { width: 2, type: i % 2 ? 'dashed' : 'solid' } })),
  });
  const span = labels.length ? `over the ${labels.length} ${report.kind === 'monthly' ? 'months' : 'quarters'} from ${labels[0]} to ${labels[labels.length - 1]}` : 'with no periods';
  return { id, title, alt: `Line chart: ${title}, ${span}. ${data.map((s) => describeSeries(s, labels)).join(' ')}`, width: WIDTH, height: HEIGHT, svg };
}

function barChart(id: string, title: string, categories: string[], series: { name: string; values: number[] }[], what: string): Chart {
  const svg = render({
    title: { text: title, left: 8, top: 6, textStyle: { fontSize: 15, fontWeight: 'bold' } },
    legend: { top: 32, left: 8, itemGap: 16 },
    grid: { left: 48, right: 20, top: 70, bottom: 56 },
    xAxis: { type: 'category', data: categories, axisLabel: { fontSize: 10, interval: 0, width: Math.max(60, Math.floor(560 / Math.max(categories.length, 1))), overflow: 'truncate' } },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s, i) => ({
      type: 'bar', name: s.name, data: s.values, label: { show: true, position: 'top', fontSize: 10 },
      itemStyle: i % 2 ? { decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: -Math.PI / 4, color: 'rgba(255,255,255,0.5)' } } : {},
    })),
    aria: { enabled: false },
  });
  const words = categories.length
    ? categories.map((c, i) => `${c}: ${series.map((s) => `${s.name.toLowerCase()} ${s.values[i]}`).join(', ')}`).join('; ')
    : 'none';
  return { id, title, alt: `Bar chart: ${title}, ${what}. ${words}.`, width: WIDTH, height: HEIGHT, svg };
}

/** Every chart of a report: trends over its 13 periods, then this period by unit, by days overdue and by owner. */
export function reportCharts(report: Report): Chart[] {
  const period = periodLabel(report.period);
  const current = report.total.current;
  return [
    trendChart(report, 'trend-volumes', 'New cases and Early Advice requests', [
      { name: 'New cases', format: 'count', pick: (f) => f.newCases },
      { name: 'Early Advice requested', format: 'count', pick: (f) => f.earlyAdvice.requested },
    ]),
    trendChart(report, 'trend-rates', 'Charge rate and Early Advice within 21 days', [
      { name: 'Charge rate', format: 'percent', pick: (f) => f.chargeRate },
      { name: 'Early Advice within 21 days', format: 'percent', pick: (f) => f.earlyAdvice.turnaround.within21DaysPct },
    ]),
    trendChart(report, 'trend-turnaround', 'Early Advice turnaround, median days', [
      { name: 'Median days from request to advice', format: 'days', pick: (f) => f.earlyAdvice.turnaround.median },
    ]),
    trendChart(report, 'trend-overdue', 'Actions overdue at the end of each period', [
      { name: 'Actions overdue', format: 'count', pick: (f) => f.actionsOverdue.total },
    ]),
    barChart('units', 'By unit: new cases, charges and actions overdue', report.units.map((u) => u.scope.name), [
      { name: 'New cases', values: report.units.map((u) => u.current.newCases) },
      { name: 'Charges', values: report.units.map((u) => u.current.decisions.charge) },
      { name: 'Actions overdue', values: report.units.map((u) => u.current.actionsOverdue.total) },
    ], `${period}`),
    barChart('overdue-bands', 'Actions overdue by days overdue', ['Up to 7 days', '8 to 14 days', '15 to 28 days', 'Over 28 days'], [
      { name: 'Actions', values: (['0-7', '8-14', '15-28', 'over-28'] as const).map((b) => current.actionsOverdue.byBand[b]) },
    ], `at the end of ${period}`),
    barChart('overdue-owners', 'Actions overdue by owner', ['Police', 'CPS'], [
      { name: 'Actions', values: [current.actionsOverdue.byOwner.police, current.actionsOverdue.byOwner.cps] },
    ], `at the end of ${period}`),
  ];
}

/** The chart as a PNG at twice its size (sharp on high-density screens), on white, text in the one font file. */
export function chartPng(chart: Pick<Chart, 'svg'>): Buffer {
  const resvg = new Resvg(chart.svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: 2 },
    font: FONT_FILE ? { loadSystemFonts: false, fontFiles: [FONT_FILE], defaultFontFamily: FONT_FAMILY } : { loadSystemFonts: true, defaultFontFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}

/** The SVG as an image URL for a page (its CSP allows `data:` images; an image's own styles never reach the page). */
export function chartDataUrl(chart: Pick<Chart, 'svg'>): string {
  return `data:image/svg+xml;base64,${Buffer.from(chart.svg, 'utf8').toString('base64')}`;
}
