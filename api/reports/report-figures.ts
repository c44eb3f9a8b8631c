import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { englandAndWalesBankHolidays } from '../../policy/load-policy';
import { addPolicyDuration } from '../../workflows/clocks/calendar';
import type { PolicySnapshot } from '../../workflows/contracts/policy';
import { type FactRow, type FiguresQueryInput, figuresQuery, type LiveRow, liveQuery } from './figures-sql';
import { parseMonth, parseQuarter, previousPeriod, trendPeriods, yearBeforePeriod } from './periods';
import type { OverdueBand, PeriodFigures, Report, ReportPeriod, ScopeFigures } from './report';
import { FIGURE_DEFINITIONS } from './report-definitions';
import { type ResolvedScope, resolveScope, type ScopeRequest } from './report-scope';

/** What the figures need of the database: queries, and a transaction to store what they computed. */
export type ReportDb = Pick<DataSource, 'query' | 'transaction'>;

const DAY_MS = 86_400_000;

/**
 * Queries run side by side over a run of periods computed afresh (a first report's whole trend): each is one
 * PostgreSQL backend's work on one core. Two, for the smallest server measured (bench:reports, "nothing cached").
 */
const PARALLEL_QUERIES = 2;

/** `items` in at most PARALLEL_QUERIES consecutive parts, as even as they divide. */
function split<T>(items: T[]): T[][] {
  const n = Math.min(PARALLEL_QUERIES, items.length);
  return Array.from({ length: n }, (_, k) => items.slice(Math.round((k * items.length) / n), Math.round(((k + 1) * items.length) / n)));
}

/** How far ahead the breach forecast looks, as a policy duration. */
const FORECAST_WINDOW = '7wd';
const OVERDUE_BANDS: OverdueBand[] = ['0-7', '8-14', '15-28', 'over-28'];
const AGE_BANDS = ['0-7', '8-14', '15-28', 'over-28'];
const RUI_BANDS = ['0-90', '91-180', '181-365', 'over-365'];

interface Agg { n: number; ok: number; nums: number[] }

/** Percent to one decimal place, half up; null with nothing to divide by. Exact for integer counts. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10;
}

/** `num ÷ den` to one decimal place, half up: exact for integers (the quotient of two is correctly rounded). */
const tenths = (num: number, den: number) => Math.round((10 * num) / den) / 10;

/** The median of whole milliseconds, in days to one decimal place (of an even count, the mean of the middle two). */
function medianDays(nums: number[]): number | null {
  if (!nums.length) return null;
  const sorted = [...nums].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? tenths(sorted[mid], DAY_MS) : tenths(sorted[mid - 1] + sorted[mid], 2 * DAY_MS);
}

const sum = (nums: number[]) => nums.reduce((s, v) => s + v, 0);

/** The aggregates of one scope and period, by metric and key: a unit's, or the sum of its units'. */
class Metrics {
  private readonly byMetric = new Map<string, Map<string, Agg>>();

  add(metric: string, key: string, n: number, ok: number, nums: number[] | null): void {
    let keys = this.byMetric.get(metric);
    if (!keys) this.byMetric.set(metric, (keys = new Map()));
    const agg = keys.get(key);
    if (agg) {
      agg.n += n;
      agg.ok += ok;
      if (nums) agg.nums.push(...nums);
    } else {
      keys.set(key, { n, ok, nums: nums ? [...nums] : [] });
    }
  }

  get(metric: string, key = ''): Agg | undefined {
    return this.byMetric.get(metric)?.get(key);
  }

  n(metric: string, key = ''): number {
    return this.get(metric, key)?.n ?? 0;
  }

  ok(metric: string, key = ''): number {
    return this.get(metric, key)?.ok ?? 0;
  }

  /** Percent of the metric's facts that met their standard. */
  okPct(metric: string, key = ''): number | null {
    return percent(this.ok(metric, key), this.n(metric, key));
  }

  medianDays(metric: string): number | null {
    return medianDays(this.get(metric)?.nums ?? []);
  }

  meanDays(metric: string): number | null {
    const agg = this.get(metric);
    return agg?.nums.length ? tenths(sum(agg.nums), agg.nums.length * DAY_MS) : null;
  }

  mean(metric: string): number | null {
    const agg = this.get(metric);
    return agg?.nums.length ? tenths(sum(agg.nums), agg.nums.length) : null;
  }

  total(metric: string): number {
    return sum(this.get(metric)?.nums ?? []);
  }

  /** Counts per key, keys in order (numeric keys as numbers). */
  counts(metric: string): Record<string, number> {
    const keys = [...(this.byMetric.get(metric)?.keys() ?? [])].sort((a, b) => (Number(a) - Number(b)) || a.localeCompare(b));
    return Object.fromEntries(keys.map((k) => [k, this.n(metric, k)]));
  }

  sum(metric: string): number {
    return [...(this.byMetric.get(metric)?.values() ?? [])].reduce((s, a) => s + a.n, 0);
  }

  sumOk(metric: string): number {
    return [...(this.byMetric.get(metric)?.values() ?? [])].reduce((s, a) => s + a.ok, 0);
  }
}

/** The figures of one scope and period (docs/report-definitions.md). `forecast`: the period the breach forecast is for. */
function periodFigures(m: Metrics, forecast: boolean): PeriodFigures {
  const n = (metric: string, key = '') => m.n(metric, key);
  const charge = n('decisions', 'charge');
  const nfa = n('decisions', 'nfa');
  const adminFinalised = n('decisions', 'adminFinalised');
  const byBand = Object.fromEntries(OVERDUE_BANDS.map((b) => [b, n('actionsOverdue', b)])) as Record<OverdueBand, number>;
  const nfaByOutcome = m.counts('nfaByOutcome');
  const nfaOutcomes = Object.values(nfaByOutcome).reduce((s, v) => s + v, 0);
  const requested = n('ea.requested');
  const notSought = n('ea.notSought');
  const cpsNfa = m.sum('cpsNfa');
  const adultReported = n('adultRape.reported');
  const adultCharged = n('adultRape.charged');
  const referralsEa = n('referrals', 'earlyAdvice');
  const referralsCharging = n('referrals', 'charging');
  return {
    newCases: n('newCases'),
    earlyAdvice: {
      requested,
      accepted: n('ea.triage', 'accepted'),
      rejected: n('ea.triage', 'rejected'),
      rejectionReasons: m.counts('ea.rejectionReason'),
      turnaround: { count: n('ea.turnaround'), median: m.medianDays('ea.turnaround'), within21DaysPct: m.okPct('ea.turnaround') },
    },
    decisions: { charge, nfa, 'action-plan': n('decisions', 'action-plan'), returned: n('decisions', 'returned'), adminFinalised },
    chargeRate: percent(charge, charge + nfa),
    actionsOverdue: {
      total: Object.values(byBand).reduce((s, v) => s + v, 0),
      byBand,
      byOwner: { police: n('actionsOverdue.owner', 'police'), cps: n('actionsOverdue.owner', 'cps') },
    },
    reportToCharge: { count: n('reportToCharge'), median: m.medianDays('reportToCharge') },
    nfaByOutcome,
    more: {
      adultRape: { reported: adultReported, charged: adultCharged, chargedPct: percent(adultCharged, adultReported) },
      earlyAdvice: {
        notSought, notSoughtPct: percent(notSought, notSought + requested),
        firstTriaged: n('ea.firstTriage'), firstTimeAcceptedPct: m.okPct('ea.firstTriage'),
      },
      submissions: {
        total: m.sum('submissions.test'), fullCode: n('submissions.test', 'full-code'), threshold: n('submissions.test', 'threshold'),
        red: n('submissions.category', 'red'), green: n('submissions.category', 'green'), greenPriority: n('submissions.category', 'green-priority'),
        firstTriaged: n('submissions.firstTriage'), firstTimeAcceptedPct: m.okPct('submissions.firstTriage'),
      },
      decisions: {
        nfaEvidential: n('cpsNfa', '15'), nfaPublicInterest: n('cpsNfa', '9'), preNfaMeetingPct: percent(m.sumOk('cpsNfa'), cpsNfa),
        adminFinalisedRate: percent(adminFinalised, charge + nfa + adminFinalised),
      },
      cpsDecisionTime: {
        count: n('cpsDecisionTime'), mean: m.meanDays('cpsDecisionTime'), median: m.medianDays('cpsDecisionTime'),
        nonCustodyCount: n('cpsDecisionTime.nonCustody'), nonCustodyWithin28DaysPct: m.okPct('cpsDecisionTime.nonCustody'),
      },
      reportToReferral: { count: n('reportToReferral'), median: m.medianDays('reportToReferral') },
      referrals: { earlyAdvice: referralsEa, charging: referralsCharging, total: referralsEa + referralsCharging, chargedSuspects: m.total('chargedSuspects') },
      actionPlans: { openAtEnd: n('actionPlans.open'), secondPlans: n('secondPlans'), secondPlansDcpReviewedPct: m.okPct('secondPlans') },
      bail: {
        onBail: m.sum('bail.on'), threeMonths: n('bail.on', 'threeMonths'), sixMonths: n('bail.on', 'sixMonths'), nineMonths: n('bail.on', 'nineMonths'), court: n('bail.on', 'court'),
        expiringWithin30Days: m.sumOk('bail.on'), extended: n('bail.extended'), courtRefused: n('bail.courtRefused'), rui: m.sum('rui'),
      },
      ruiAge: Object.fromEntries(RUI_BANDS.map((b) => [b, n('rui', b)])),
      victimsCode: {
        supportReferralCases: n('newCases'), supportReferralOnTimePct: m.okPct('newCases'),
        keyEvents: n('vc.keyEvent'), keyEventUpdateOnTimePct: m.okPct('vc.keyEvent'),
        nfaDecisions: n('vc.nfa'), nfaNotificationOnTimePct: m.okPct('vc.nfa'),
      },
      vrr: {
        requested: m.sum('vrr.requested'), policeScheme: n('vrr.requested', 'police'), cpsScheme: n('vrr.requested', 'cps'),
        decided: m.sum('vrr.decided'), overturned: n('vrr.decided', 'overturned'), upheld: n('vrr.decided', 'upheld'),
        medianDaysToDecision: m.medianDays('vrr.decidedAll'),
      },
      escalations: { raised: n('esc.raised'), resolved: n('esc.resolved'), openAtEnd: m.sum('esc.open') },
      escalationAge: Object.fromEntries(AGE_BANDS.map((b) => [b, n('esc.open', b)])),
      victimWithdrawal: {
        withdrawals: m.sum('withdrawals'), outcome16Share: percent(nfaByOutcome['16'] ?? 0, nfaOutcomes), outcome14Share: percent(nfaByOutcome['14'] ?? 0, nfaOutcomes),
      },
      withdrawalStage: m.counts('withdrawals'),
      consultations: { cases: n('consultations'), perCase: m.mean('consultations') },
      scrutiny: {
        panelsSat: n('scrutiny.panels'), casesReviewed: n('scrutiny.reviewed'),
        learningActionsClosed: n('scrutiny.learningClosed'), learningActionsOpenAtEnd: n('scrutiny.learningOpen'),
      },
      breachForecast: forecast ? { police: n('forecast', 'police'), cps: n('forecast', 'cps') } : { police: null, cps: null },
    },
  };
}

export interface ReportOptions {
  /** When the report is generated: its `generatedAt` and the breach forecast's start. */
  now?: Date;
}

/**
 * The figures of the monthly RASSO pack and the quarterly report for a scope and a period, computed in SQL over the
 * case data. Plain (no Nest, no HTTP): the API's reports routes, the scheduled email's activity and the reports page
 * all call it with a scope and a period. Scope rules (who may ask for what) are the caller's; this answers whatever
 * scope it is given.
 */
export class ReportFigures {
  constructor(private readonly db: ReportDb, private readonly policy: Pick<PolicySnapshot, 'timezone' | 'nonWorkingDays' | 'clocks'>) {}

  /** `month` as `YYYY-MM`. */
  monthly(month: string, scope: ScopeRequest | ResolvedScope, opts: ReportOptions = {}): Promise<Report> {
    return this.report(parseMonth(month), scope, opts);
  }

  /** `quarter` as `YYYY-Qn`. */
  quarterly(quarter: string, scope: ScopeRequest | ResolvedScope, opts: ReportOptions = {}): Promise<Report> {
    return this.report(parseQuarter(quarter), scope, opts);
  }

  resolveScope(request: ScopeRequest): Promise<ResolvedScope> {
    return resolveScope(this.db, request);
  }

  async report(period: ReportPeriod, scopeOrRequest: ScopeRequest | ResolvedScope, opts: ReportOptions = {}): Promise<Report> {
    const now = opts.now ?? new Date();
    const scope = 'units' in scopeOrRequest ? scopeOrRequest : await this.resolveScope(scopeOrRequest);
    const trend = trendPeriods(period);
    const [facts, live] = await Promise.all([this.unitFacts(period.kind, trend, scope.units.map((u) => u.id), now), this.live(scope, trend, period, now)]);

    const forceOf = new Map(scope.units.map((u) => [u.id, u.forceId]));
    const byScope = new Map<string, Metrics>();
    const metricsOf = (scopeKey: string, pid: string) => {
      const key = `${scopeKey}\u0000${pid}`;
      let m = byScope.get(key);
      if (!m) byScope.set(key, (m = new Metrics()));
      return m;
    };
    // A unit's facts count for the unit, its force and the whole scope; a force-wide panel's for the force and the scope.
    for (const r of facts) {
      for (const scopeKey of [`unit:${r.unit}`, `force:${forceOf.get(r.unit)}`, 'total']) metricsOf(scopeKey, r.pid).add(r.metric, r.key, r.n, r.n_ok, r.nums);
    }
    for (const r of live) {
      for (const scopeKey of [...(r.unit === null ? [] : [`unit:${r.unit}`]), `force:${r.force_id}`, 'total']) metricsOf(scopeKey, r.pid).add(r.metric, r.key, r.n, 0, null);
    }
    const figuresOf = (scopeKey: string, p: ReportPeriod) => periodFigures(metricsOf(scopeKey, p.id), p.id === period.id);
    const previous = previousPeriod(period);
    const yearBefore = yearBeforePeriod(period);
    const scoped = (scopeKey: string, s: ScopeFigures['scope']): ScopeFigures => ({
      scope: s, current: figuresOf(scopeKey, period), previous: figuresOf(scopeKey, previous), yearBefore: figuresOf(scopeKey, yearBefore),
    });
    return {
      kind: period.kind,
      period,
      previousPeriod: previous,
      yearBeforePeriod: yearBefore,
      generatedAt: now.toISOString(),
      definitions: FIGURE_DEFINITIONS,
      total: scoped('total', scope.scope),
      forces: scope.forces.map((f) => scoped(`force:${f.id}`, { level: 'force', id: f.id, name: f.name })),
      units: scope.units.map((u) => scoped(`unit:${u.id}`, { level: 'unit', id: u.id, name: u.name })),
      trend: trend.map((p) => ({ period: p, figures: figuresOf('total', p) })),
    };
  }

  /**
   * Each unit's facts for each of the periods: a complete period's from the cache when it holds them (computed under the
   * same definitions and calendar), the rest computed in one query over the periods and units missing, and stored for
   * next time unless a back-dated write touched the unit meanwhile (its epoch moved: see migration 1765800000000).
   */
  private async unitFacts(kind: ReportPeriod['kind'], periods: ReportPeriod[], units: string[], now: Date): Promise<FactRow[]> {
    if (!units.length) return [];
    const input = this.queryInput(periods, units, now);
    const fingerprint = this.fingerprint(input);
    const readEpochs = async () => new Map(((await this.db.query('SELECT unit, epoch::text FROM report_unit_epochs WHERE unit = ANY($1)', [units])) as { unit: string; epoch: string }[]).map((r) => [r.unit, r.epoch]));
    let epochs = await readEpochs();
    // A unit's epoch row once, the first time it is reported on (a read alone afterwards: no write, no commit to wait for).
    if (epochs.size < units.length) {
      await this.db.query('INSERT INTO report_unit_epochs (unit) SELECT unnest($1::text[]) ON CONFLICT (unit) DO NOTHING', [units]);
      epochs = await readEpochs();
    }
    const cached = (await this.db.query(
      'SELECT period_id, unit, facts FROM report_unit_periods WHERE kind = $1 AND period_id = ANY($2) AND unit = ANY($3) AND fingerprint = $4',
      [kind, periods.map((p) => p.id), units, fingerprint],
    )) as { period_id: string; unit: string; facts: [string, string, number, number, number[] | null][] }[];
    const have = new Set(cached.map((c) => `${c.period_id}\u0000${c.unit}`));
    const complete = (p: ReportPeriod) => Date.parse(p.to) <= now.getTime();
    const missing = periods.map((p, i) => ({ p, i, units: units.filter((u) => !complete(p) || !have.has(`${p.id}\u0000${u}`)) })).filter((m) => m.units.length);
    const rows: FactRow[] = cached.flatMap((c) => c.facts.map(([metric, key, n, nOk, nums]) => ({ pid: c.period_id, unit: c.unit, metric, key, n, n_ok: nOk, nums })));
    if (!missing.length) return rows;

    // The run of periods from the first missing to the last, for every unit missing any of them, in up to
    // PARALLEL_QUERIES queries side by side: over consecutive parts of the run, or of the units when it is one period
    // (a unit's facts in a period depend on no other period's or unit's).
    const slice = periods.slice(missing[0].i, missing.at(-1)!.i + 1);
    const computeUnits = [...new Set(missing.flatMap((m) => m.units))];
    const parts = slice.length > 1 ? split(slice).map((part) => ({ periods: part, units: computeUnits })) : split(computeUnits).map((part) => ({ periods: slice, units: part }));
    const computed = (await Promise.all(parts.map((part) => {
      const { sql, params } = figuresQuery({ ...input, ...part });
      return this.db.query(sql, params) as Promise<FactRow[]>;
    }))).flat();
    const recomputed = new Set(slice.flatMap((p) => computeUnits.map((u) => `${p.id}\u0000${u}`)));
    await this.store(kind, slice.filter(complete), computeUnits, computed, epochs, fingerprint);
    return [...rows.filter((r) => !recomputed.has(`${r.pid}\u0000${r.unit}`)), ...computed];
  }

  /** Stores computed complete periods of the units whose epoch has not moved since they were read (held while storing). */
  private async store(kind: string, periods: ReportPeriod[], units: string[], rows: FactRow[], epochs: Map<string, string>, fingerprint: string): Promise<void> {
    if (!periods.length) return;
    await this.db.transaction(async (tx) => {
      const current = (await tx.query('SELECT unit, epoch::text FROM report_unit_epochs WHERE unit = ANY($1) ORDER BY unit FOR SHARE', [units])) as { unit: string; epoch: string }[];
      const still = new Set(current.filter((r) => epochs.get(r.unit) === r.epoch).map((r) => r.unit));
      const entries = periods.flatMap((p) => units.filter((u) => still.has(u)).map((u) => ({ p, u })));
      if (!entries.length) return;
      const facts = new Map<string, [string, string, number, number, number[] | null][]>();
      for (const r of rows) {
        const key = `${r.pid}\u0000${r.unit}`;
        if (!facts.has(key)) facts.set(key, []);
        facts.get(key)!.push([r.metric, r.key, r.n, r.n_ok, r.nums]);
      }
      await tx.query(
        `INSERT INTO report_unit_periods (kind, period_id, unit, period_to, fingerprint, facts)
         SELECT $1, x.period_id, x.unit, x.period_to, $2, x.facts FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::jsonb[]) AS x(period_id, unit, period_to, facts)
         ON CONFLICT (kind, period_id, unit, fingerprint) DO UPDATE SET facts = EXCLUDED.facts, period_to = EXCLUDED.period_to, computed_at = now()`,
        [kind, fingerprint, entries.map((e) => e.p.id), entries.map((e) => e.u), entries.map((e) => e.p.to), entries.map((e) => JSON.stringify(facts.get(`${e.p.id}\u0000${e.u}`) ?? []))],
      );
    });
  }

  /** The forecast (clocks now) and the scrutiny panels: read afresh for every report. */
  private async live(scope: ResolvedScope, periods: ReportPeriod[], current: ReportPeriod, now: Date): Promise<LiveRow[]> {
    if (!scope.units.length) return [];
    const { sql, params } = liveQuery({
      units: scope.units.map((u) => u.id), forces: scope.forces.map((f) => f.id), forceWide: scope.forceWide, periods, currentPeriodId: current.id, now,
      forecastTo: new Date(addPolicyDuration(now.toISOString(), FORECAST_WINDOW, this.calendar(now, now))),
    });
    return (await this.db.query(sql, params)) as LiveRow[];
  }

  /** The policy's calendar with England and Wales bank holidays for every year from `from` to `to` (a year either side). */
  private calendar(from: Date, to: Date) {
    const days = englandAndWalesBankHolidays(from.getUTCFullYear() - 1, to.getUTCFullYear() + 1);
    return { timezone: this.policy.timezone, nonWorkingDays: [...new Set([...this.policy.nonWorkingDays, ...days])].sort() };
  }

  private queryInput(periods: ReportPeriod[], units: string[], now: Date): FiguresQueryInput {
    const due = (clock: string, fallback: string) => this.policy.clocks[clock]?.due ?? fallback;
    return {
      units,
      periods,
      ...this.calendar(new Date(periods[0].from), new Date(Math.max(Date.parse(periods.at(-1)!.to), now.getTime()))),
      durations: { supportReferral: due('victim.supportReferral', '2wd'), keyEventUpdate: due('victim.keyEventUpdate', '1wd'), nfaNotification: due('nfa.victimNotification', '1wd') },
    };
  }

  /** What cached facts must have been computed under: the query's text (the definitions) and the calendar and durations. */
  private fingerprint(input: FiguresQueryInput): string {
    const { sql } = figuresQuery({ ...input, units: [], periods: [{ id: 'x', from: '2000-01-01T00:00:00Z', to: '2000-02-01T00:00:00Z' }] });
    return createHash('sha256').update(JSON.stringify([sql, this.policy.timezone, this.policy.nonWorkingDays, input.durations])).digest('hex').slice(0, 32);
  }

  /** The SQL statement behind a report's facts computed afresh, unsplit (for the benchmark's EXPLAIN): its text and parameters. */
  statement(scope: ResolvedScope, periods: ReportPeriod[], now: Date): { sql: string; params: unknown[] } {
    return figuresQuery(this.queryInput(periods, scope.units.map((u) => u.id), now));
  }
}
