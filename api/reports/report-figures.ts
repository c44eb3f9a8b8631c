import { DateTime } from 'luxon';
import { englandAndWalesBankHolidays } from '../../policy/load-policy';
import { addPolicyDuration } from '../../workflows/clocks/calendar';
import type { PolicySnapshot } from '../../workflows/contracts/policy';
import { type FactRow, figuresQuery } from './figures-sql';
import { parseMonth, parseQuarter, previousPeriod, trendPeriods, yearBeforePeriod } from './periods';
import type { OverdueBand, PeriodFigures, Report, ReportPeriod, ScopeFigures } from './report';
import { FIGURE_DEFINITIONS } from './report-definitions';
import { type ResolvedScope, resolveScope, type ScopeRequest } from './report-scope';

/** Whatever runs SQL: a DataSource or a transaction's manager. */
export interface ReportDb { query(sql: string, params?: unknown[]): Promise<unknown> }

/** How far ahead the breach forecast looks, as a policy duration. */
const FORECAST_WINDOW = '7wd';
const OVERDUE_BANDS: OverdueBand[] = ['0-7', '8-14', '15-28', 'over-28'];
const AGE_BANDS = ['0-7', '8-14', '15-28', 'over-28'];
const RUI_BANDS = ['0-90', '91-180', '181-365', 'over-365'];

interface Agg { n: number; ok: number; total: number | null; mean: number | null; median: number | null }

/** Percent to one decimal place, half up; null with nothing to divide by. Exact for integer counts. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10;
}

/** The aggregates of one scope and period, by metric and key. */
class Metrics {
  private readonly byMetric = new Map<string, Map<string, Agg>>();

  add(metric: string, key: string, agg: Agg): void {
    let keys = this.byMetric.get(metric);
    if (!keys) this.byMetric.set(metric, (keys = new Map()));
    keys.set(key, agg);
  }

  get(metric: string, key = ''): Agg | undefined {
    return this.byMetric.get(metric)?.get(key);
  }

  n(metric: string, key = ''): number {
    return this.get(metric, key)?.n ?? 0;
  }

  /** Counts per key, keys in order (numeric keys as numbers). */
  counts(metric: string): Record<string, number> {
    const keys = [...(this.byMetric.get(metric)?.keys() ?? [])].sort((a, b) => (Number(a) - Number(b)) || a.localeCompare(b));
    return Object.fromEntries(keys.map((k) => [k, this.n(metric, k)]));
  }

  sum(metric: string): number {
    return [...(this.byMetric.get(metric)?.values() ?? [])].reduce((s, a) => s + a.n, 0);
  }
}

/** The figures of one scope and period (docs/report-definitions.md). `forecast`: the period the breach forecast is for. */
function periodFigures(m: Metrics, forecast: boolean): PeriodFigures {
  const n = (metric: string, key = '') => m.n(metric, key);
  const turnaround = m.get('ea.turnaround');
  const charge = n('decisions', 'charge');
  const nfa = n('decisions', 'nfa');
  const adminFinalised = n('decisions', 'adminFinalised');
  const byBand = Object.fromEntries(OVERDUE_BANDS.map((b) => [b, n('actionsOverdue', b)])) as Record<OverdueBand, number>;
  const reportToCharge = m.get('reportToCharge');
  const nfaByOutcome = m.counts('nfaByOutcome');
  const nfaOutcomes = Object.values(nfaByOutcome).reduce((s, v) => s + v, 0);
  const requested = n('ea.requested');
  const notSought = n('ea.notSought');
  const firstTriage = m.get('ea.firstTriage');
  const submissionTriage = m.get('submissions.firstTriage');
  const cpsNfa = Object.values(m.counts('cpsNfa')).reduce((s, v) => s + v, 0);
  const preNfa = [...Object.keys(m.counts('cpsNfa'))].reduce((s, k) => s + (m.get('cpsNfa', k)?.ok ?? 0), 0);
  const decisionTime = m.get('cpsDecisionTime');
  const nonCustody = m.get('cpsDecisionTime.nonCustody');
  const secondPlans = m.get('secondPlans');
  const newCases = m.get('newCases');
  const keyEvents = m.get('vc.keyEvent');
  const nfaNotices = m.get('vc.nfa');
  const vrrDecided = m.counts('vrr.decided');
  const vrrAll = m.get('vrr.decidedAll');
  const consultations = m.get('consultations');
  const adultReported = n('adultRape.reported');
  const adultCharged = n('adultRape.charged');
  const referralsEa = n('referrals', 'earlyAdvice');
  const referralsCharging = n('referrals', 'charging');
  return {
    newCases: newCases?.n ?? 0,
    earlyAdvice: {
      requested,
      accepted: n('ea.triage', 'accepted'),
      rejected: n('ea.triage', 'rejected'),
      rejectionReasons: m.counts('ea.rejectionReason'),
      turnaround: { count: turnaround?.n ?? 0, median: turnaround?.median ?? null, within21DaysPct: percent(turnaround?.ok ?? 0, turnaround?.n ?? 0) },
    },
    decisions: { charge, nfa, 'action-plan': n('decisions', 'action-plan'), returned: n('decisions', 'returned'), adminFinalised },
    chargeRate: percent(charge, charge + nfa),
    actionsOverdue: {
      total: Object.values(byBand).reduce((s, v) => s + v, 0),
      byBand,
      byOwner: { police: n('actionsOverdue.owner', 'police'), cps: n('actionsOverdue.owner', 'cps') },
    },
    reportToCharge: { count: reportToCharge?.n ?? 0, median: reportToCharge?.median ?? null },
    nfaByOutcome,
    more: {
      adultRape: { reported: adultReported, charged: adultCharged, chargedPct: percent(adultCharged, adultReported) },
      earlyAdvice: {
        notSought, notSoughtPct: percent(notSought, notSought + requested),
        firstTriaged: firstTriage?.n ?? 0, firstTimeAcceptedPct: percent(firstTriage?.ok ?? 0, firstTriage?.n ?? 0),
      },
      submissions: {
        total: m.sum('submissions.test'), fullCode: n('submissions.test', 'full-code'), threshold: n('submissions.test', 'threshold'),
        red: n('submissions.category', 'red'), green: n('submissions.category', 'green'), greenPriority: n('submissions.category', 'green-priority'),
        firstTriaged: submissionTriage?.n ?? 0, firstTimeAcceptedPct: percent(submissionTriage?.ok ?? 0, submissionTriage?.n ?? 0),
      },
      decisions: {
        nfaEvidential: n('cpsNfa', '15'), nfaPublicInterest: n('cpsNfa', '9'), preNfaMeetingPct: percent(preNfa, cpsNfa),
        adminFinalisedRate: percent(adminFinalised, charge + nfa + adminFinalised),
      },
      cpsDecisionTime: {
        count: decisionTime?.n ?? 0, mean: decisionTime?.mean ?? null, median: decisionTime?.median ?? null,
        nonCustodyCount: nonCustody?.n ?? 0, nonCustodyWithin28DaysPct: percent(nonCustody?.ok ?? 0, nonCustody?.n ?? 0),
      },
      reportToReferral: { count: m.get('reportToReferral')?.n ?? 0, median: m.get('reportToReferral')?.median ?? null },
      referrals: { earlyAdvice: referralsEa, charging: referralsCharging, total: referralsEa + referralsCharging, chargedSuspects: m.get('chargedSuspects')?.total ?? 0 },
      actionPlans: {
        openAtEnd: Object.keys(m.counts('actionPlans.open')).length,
        secondPlans: secondPlans?.n ?? 0, secondPlansDcpReviewedPct: percent(secondPlans?.ok ?? 0, secondPlans?.n ?? 0),
      },
      bail: {
        onBail: m.sum('bail.on'), threeMonths: n('bail.on', 'threeMonths'), sixMonths: n('bail.on', 'sixMonths'), nineMonths: n('bail.on', 'nineMonths'), court: n('bail.on', 'court'),
        expiringWithin30Days: ['threeMonths', 'sixMonths', 'nineMonths', 'court'].reduce((s, k) => s + (m.get('bail.on', k)?.ok ?? 0), 0),
        extended: n('bail.extended'), courtRefused: n('bail.courtRefused'), rui: m.sum('rui'),
      },
      ruiAge: Object.fromEntries(RUI_BANDS.map((b) => [b, n('rui', b)])),
      victimsCode: {
        supportReferralCases: newCases?.n ?? 0, supportReferralOnTimePct: percent(newCases?.ok ?? 0, newCases?.n ?? 0),
        keyEvents: keyEvents?.n ?? 0, keyEventUpdateOnTimePct: percent(keyEvents?.ok ?? 0, keyEvents?.n ?? 0),
        nfaDecisions: nfaNotices?.n ?? 0, nfaNotificationOnTimePct: percent(nfaNotices?.ok ?? 0, nfaNotices?.n ?? 0),
      },
      vrr: {
        requested: m.sum('vrr.requested'), policeScheme: n('vrr.requested', 'police'), cpsScheme: n('vrr.requested', 'cps'),
        decided: Object.values(vrrDecided).reduce((s, v) => s + v, 0), overturned: n('vrr.decided', 'overturned'), upheld: n('vrr.decided', 'upheld'),
        medianDaysToDecision: vrrAll?.median ?? null,
      },
      escalations: { raised: n('esc.raised'), resolved: n('esc.resolved'), openAtEnd: m.sum('esc.open') },
      escalationAge: Object.fromEntries(AGE_BANDS.map((b) => [b, n('esc.open', b)])),
      victimWithdrawal: {
        withdrawals: m.sum('withdrawals'), outcome16Share: percent(nfaByOutcome['16'] ?? 0, nfaOutcomes), outcome14Share: percent(nfaByOutcome['14'] ?? 0, nfaOutcomes),
      },
      withdrawalStage: m.counts('withdrawals'),
      consultations: { cases: consultations?.n ?? 0, perCase: consultations?.mean ?? null },
      scrutiny: {
        panelsSat: n('scrutiny.panels'), casesReviewed: n('scrutiny.reviewed'),
        learningActionsClosed: n('scrutiny.learningClosed'), learningActionsOpenAtEnd: n('scrutiny.learningOpen'),
      },
      breachForecast: forecast ? { police: n('forecast', 'police'), cps: n('forecast', 'cps') } : { police: null, cps: null },
    },
  };
}

const num = (v: string | null) => (v === null ? null : Number(v));

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
    const rows = await this.facts(scope, trend, period, now);

    const byScope = new Map<string, Metrics>();
    const metricsOf = (scopeKey: string, pid: string) => {
      const key = `${scopeKey}\u0000${pid}`;
      let m = byScope.get(key);
      if (!m) byScope.set(key, (m = new Metrics()));
      return m;
    };
    for (const r of rows) {
      const scopeKey = r.g_unit === 0 ? (r.unit === null ? null : `unit:${r.unit}`) : r.g_force === 0 ? (r.force_id === null ? null : `force:${r.force_id}`) : 'total';
      if (scopeKey === null) continue;
      metricsOf(scopeKey, r.pid).add(r.metric, r.key, { n: r.n, ok: r.n_ok, total: num(r.total), mean: num(r.mean), median: num(r.median) });
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

  /** The aggregated facts of every trend period, by unit, force and the whole scope. */
  private async facts(scope: ResolvedScope, periods: ReportPeriod[], current: ReportPeriod, now: Date): Promise<FactRow[]> {
    if (!scope.units.length) return [];
    const first = DateTime.fromISO(periods[0].from).year - 1;
    const last = Math.max(DateTime.fromISO(periods.at(-1)!.to).year, now.getUTCFullYear()) + 1;
    const nonWorkingDays = [...new Set([...this.policy.nonWorkingDays, ...englandAndWalesBankHolidays(first, last)])].sort();
    const calendar = { timezone: this.policy.timezone, nonWorkingDays };
    const due = (clock: string, fallback: string) => this.policy.clocks[clock]?.due ?? fallback;
    const { sql, params } = figuresQuery({
      units: scope.units.map((u) => u.id),
      forces: scope.forces.map((f) => f.id),
      forceWide: scope.forceWide,
      periods,
      currentPeriodId: current.id,
      now,
      forecastTo: new Date(addPolicyDuration(now.toISOString(), FORECAST_WINDOW, calendar)),
      timezone: this.policy.timezone,
      nonWorkingDays,
      durations: {
        supportReferral: due('victim.supportReferral', '2wd'),
        keyEventUpdate: due('victim.keyEventUpdate', '1wd'),
        nfaNotification: due('nfa.victimNotification', '1wd'),
      },
    });
    return (await this.db.query(sql, params)) as FactRow[];
  }
}
