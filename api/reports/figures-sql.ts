/**
 * The SQL behind the monthly pack and the quarterly report (docs/report-definitions.md says what each figure counts).
 * `figuresQuery` turns the case data into "facts", one row per thing counted: `(pid, unit, metric, key, num, ok)`, where
 * `pid` is the period it falls in, `num` a number to sum, average or take the median of (a span in whole milliseconds,
 * a count) and `ok` whether it met a standard (advice within 21 days, a Victims' Code contact on time), and answers them
 * aggregated per period, unit, metric and key, with the numbers themselves (`nums`) where a median or mean needs them.
 * ReportFigures adds units up to forces and scopes (a median of all the values, never of medians) and caches each
 * unit's complete periods. Earlier events a figure refers back to (a request's time, a file's approval) are read once
 * per kind for the cases that need them, not looked up row by row.
 *
 * Where a figure is a state at the period's end (actions overdue, suspects on bail, escalations open) the state is
 * rebuilt from the timeline as it was at that instant, not read from the current row: the spans of state kept per case
 * (`STATES` below, migration 1766000000000), and the escalation tasks.
 */

import { DateTime } from 'luxon';
import { isWorkingDay } from '../../workflows/clocks/calendar';

/** Builds `$n` placeholders for values in order. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Victims' Code Right 6 key events: each arms victim.keyEventUpdate. */
export const KEY_EVENTS = ['bail-recorded', 'released-under-investigation', 'released-from-custody', 'charge-authorised'];
/** Clocks the CPS must beat (the dashboard's, plus the CPS's later clocks); an action's clock is its owner's. */
export const CPS_CLOCKS = ['earlyAdvice.triage', 'earlyAdvice.advice', 'charging.decision', 'vrr.cps.decision', 'thresholdTest.review', 'custody.chargingDecision', 'clinic.outcome'];

/**
 * Timeline event types the figures look up case by case (earlier requests, approvals, files, plans, reviews) or rebuild
 * states at a period's end from (actions, bail and RUI, the stops): all but the victim contacts, which are most of the
 * timeline. Migration 1765800000000 indexes them by case; a query's list of types must be within this one for the
 * index to serve it.
 */
export const CASE_LOOKUP_EVENTS = [
  'early-advice-requested', 'early-advice-endorsed', 'early-advice-accepted', 'early-advice-rejected', 'early-advice-recorded', 'submission-approved',
  'file-submitted', 'further-action-plan', 'victim-review-requested', 'action-completed', 'due-date-changed', 'clock-paused', 'clock-resumed',
  'clinic-outcome-recorded', 'action-plan-reviewed', 'charge-authorised', 'cps-nfa', 'police-nfa', 'admin-finalised', 'case-closed',
  'bail-recorded', 'bail-extended', 'released-under-investigation', 'released-from-custody',
];

/** Timeline event types the period-based figures read. */
const PERIOD_EVENTS = [
  'early-advice-requested', 'early-advice-endorsed', 'early-advice-accepted', 'early-advice-rejected', 'early-advice-recorded', 'early-advice-not-sought',
  'charge-authorised', 'cps-nfa', 'police-nfa', 'further-action-plan', 'submission-returned', 'admin-finalised', 'submission-approved', 'submission-accepted',
  'file-submitted', 'victim-withdrawal-recorded', 'victim-review-requested', 'victim-review-decided', 'bail-recorded', 'bail-extended',
  'released-under-investigation', 'released-from-custody', 'court-bail-extension-refused',
];

export interface FiguresQueryInput {
  units: string[];
  /** Consecutive periods, oldest first. */
  periods: { id: string; from: string; to: string }[];
  timezone: string;
  /** Dates that are not working days (bank holidays, closures), YYYY-MM-DD. */
  nonWorkingDays: string[];
  /** The policy's durations for the Victims' Code clocks: `Nwd` or an ISO-8601 duration. */
  durations: { supportReferral: string; keyEventUpdate: string; nfaNotification: string };
}

/** One unit's aggregate of one metric and key in one period; `nums` the values (ascending) of the metrics that have them. */
export interface FactRow {
  pid: string;
  unit: string;
  metric: string;
  key: string;
  n: number;
  n_ok: number;
  nums: number[] | null;
}

export interface LiveQueryInput {
  units: string[];
  forces: string[];
  /** Whether panels held for a whole force count (a force's, an area's or the region's report; not one unit's). */
  forceWide: boolean;
  periods: { id: string; from: string; to: string }[];
  /** The report's own period: the breach forecast is given for it alone. */
  currentPeriodId: string;
  now: Date;
  /** The end of the forecast window: 7 working days after `now`. */
  forecastTo: Date;
}

/** A live figure's count for a unit (or, `unit` null, a whole force: a panel held for the force). */
export interface LiveRow { pid: string; unit: string | null; force_id: string; metric: string; key: string; n: number }

const WORKING_DAYS = /^(\d+)wd$/;

/**
 * For each local date from the day before the range to the day after it, the date N working days later for each
 * Victims' Code duration given in working days (null for one given as an ISO duration), by the policy's calendar.
 */
export function workingDayTable(input: Pick<FiguresQueryInput, 'periods' | 'timezone' | 'nonWorkingDays' | 'durations'>) {
  const calendar = { timezone: input.timezone, nonWorkingDays: input.nonWorkingDays };
  const first = DateTime.fromISO(input.periods[0].from, { zone: input.timezone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromISO(input.periods.at(-1)!.to, { zone: input.timezone }).startOf('day').plus({ days: 1 });
  const days: DateTime[] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) days.push(d);
  const column = (spec: string) => {
    const wd = WORKING_DAYS.exec(spec);
    if (!wd) return days.map(() => null);
    return days.map((start) => {
      let day = start;
      for (let remaining = Number(wd[1]); remaining > 0;) {
        day = day.plus({ days: 1 });
        if (isWorkingDay(day, calendar)) remaining -= 1;
      }
      return day.toISODate();
    });
  };
  return {
    days: days.map((d) => d.toISODate()),
    supportReferral: column(input.durations.supportReferral),
    keyEventUpdate: column(input.durations.keyEventUpdate),
    nfaNotification: column(input.durations.nfaNotification),
  };
}

export function figuresQuery(input: FiguresQueryInput): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  const tz = p.add(input.timezone);
  const units = p.add(input.units);
  const rangeFrom = p.add(input.periods[0].from);
  const rangeTo = p.add(input.periods.at(-1)!.to);
  const pids = p.add(input.periods.map((x) => x.id));
  const bounds = p.add([...input.periods.map((x) => x.from), input.periods.at(-1)!.to]);
  const list = (values: string[]) => p.add(values);

  /**
   * SQL: the instant `spec` after the instant `start`, as the policy's calendar counts it: an ISO duration in local
   * time, or N working days on (the date from the `wdue` table row `due`, joined on the start's local date) at the
   * start's time of day.
   */
  const deadline = (start: string, spec: string, due: string) => {
    if (!WORKING_DAYS.test(spec)) return `((((${start}) AT TIME ZONE ${tz}) + ${p.add(spec)}::interval) AT TIME ZONE ${tz})`;
    return `((${due} + ((${start}) AT TIME ZONE ${tz})::time) AT TIME ZONE ${tz})`;
  };
  const localDate = (t: string) => `((${t}) AT TIME ZONE ${tz})::date`;
  const due = workingDayTable(input);
  /** SQL: the id of the trend period holding the instant `t` (in the range), by the periods' boundaries. */
  const pidOf = (t: string) => `(${pids}::text[])[width_bucket(${t}, ${bounds}::timestamptz[])]`;
  const days = (later: string, earlier: string) => `(extract(epoch FROM (${later}) - (${earlier})) / 86400)`;
  /** SQL: whole milliseconds from `earlier` to `later`: spans are kept exact, and turned into days (÷ 86,400,000) at the end. */
  const ms = (later: string, earlier: string) => `round(extract(epoch FROM (${later}) - (${earlier})) * 1000)`;
  const DAY_MS = 86_400_000;
  const adultRape = (s: string, id = `${s}.id`) => `(${s}.offence_type = 'rape' AND EXISTS (SELECT 1 FROM case_parties v WHERE v.case_id = ${id} AND v.kind = 'victim'
      AND v.date_of_birth <= ((${s}.reported_at AT TIME ZONE ${tz})::date - interval '18 years')::date))`;
  const band = (d: string, bounds: [number, number, number], labels: [string, string, string, string]) =>
    `CASE WHEN ${d} <= ${bounds[0]} THEN '${labels[0]}' WHEN ${d} <= ${bounds[1]} THEN '${labels[1]}' WHEN ${d} <= ${bounds[2]} THEN '${labels[2]}' ELSE '${labels[3]}' END`;
  const overdueBand = (d: string) => band(d, [7, 14, 28], ['0-7', '8-14', '15-28', 'over-28']);
  const FACT = (metric: string, key = `''`, num = 'NULL::numeric', ok = 'NULL::boolean') => `'${metric}'::text AS metric, (${key})::text AS key, (${num})::numeric AS num, (${ok})::boolean AS ok`;
  const CPS_RETURN_AFTER_REVIEW = `(ev.type = 'submission-returned' AND ev.data->>'by' = 'cps' AND ev.from_stage = 'cps-review')`;

  const sql = `
WITH periods AS MATERIALIZED (
  SELECT pr.pid, pr.p_from, pr.p_to FROM unnest(${list(input.periods.map((x) => x.id))}::text[], ${p.add(input.periods.map((x) => x.from))}::timestamptz[], ${p.add(input.periods.map((x) => x.to))}::timestamptz[]) AS pr(pid, p_from, p_to)
),
-- For each local date of the range, the date each Victims' Code duration in working days runs to (worked out with the
-- policy's calendar before the query: weekends, bank holidays and closures skipped).
wdue AS MATERIALIZED (
  SELECT * FROM unnest(${p.add(due.days)}::date[], ${p.add(due.supportReferral)}::date[], ${p.add(due.keyEventUpdate)}::date[], ${p.add(due.nfaNotification)}::date[]) AS w(day, support, key_event, nfa)
),
ev AS MATERIALIZED (
  SELECT e.case_id, e.seq, e.type, e.from_stage, e.data, e.occurred_at, c.unit, c.force_id, c.reported_at, c.suspect_count, c.offence_type, ${pidOf('e.occurred_at')} AS pid
  FROM case_events e
  -- Each event's case looked up by id: the range's events are far fewer than the cases.
  CROSS JOIN LATERAL (SELECT c.unit, c.force_id, c.reported_at, c.suspect_count, c.offence_type FROM cases c WHERE c.id = e.case_id AND c.unit = ANY(${units}::text[]) OFFSET 0) c
  WHERE e.occurred_at >= ${rangeFrom}::timestamptz AND e.occurred_at < ${rangeTo}::timestamptz AND e.type = ANY(${list(PERIOD_EVENTS)}::text[])
),
-- The earlier events some figures refer back to, read case by case (by the index of CASE_LOOKUP_EVENTS) for the cases
-- that need them, never row by row (OFFSET 0 keeps each lookup a lookup: the planner would otherwise read every event of
-- the kind in the whole timeline to join them). A request's time: its first request or endorsement event (a DS's own request is
-- one endorsement event).
ea_req AS MATERIALIZED (
  SELECT r.case_id, r.data->>'requestId' AS request_id, min(r.occurred_at) AS at, min(r.seq) AS seq
  FROM (SELECT DISTINCT ev.case_id FROM ev WHERE ev.type IN ('early-advice-requested', 'early-advice-endorsed', 'early-advice-recorded')) k
  CROSS JOIN LATERAL (SELECT * FROM case_events r WHERE r.case_id = k.case_id AND r.type IN ('early-advice-requested', 'early-advice-endorsed') AND r.occurred_at < ${rangeTo}::timestamptz OFFSET 0) r
  GROUP BY r.case_id, r.data->>'requestId'
),
ea_tri AS MATERIALIZED (
  SELECT r.case_id, r.data->>'requestId' AS request_id, min(r.seq) AS seq
  FROM (SELECT DISTINCT ev.case_id FROM ev WHERE ev.type IN ('early-advice-accepted', 'early-advice-rejected')) k
  CROSS JOIN LATERAL (SELECT * FROM case_events r WHERE r.case_id = k.case_id AND r.type IN ('early-advice-accepted', 'early-advice-rejected') AND r.occurred_at < ${rangeTo}::timestamptz OFFSET 0) r
  GROUP BY r.case_id, r.data->>'requestId'
),
ea_first AS (
  SELECT ev.* FROM ev JOIN ea_req q ON q.case_id = ev.case_id AND q.seq = ev.seq
),
-- Advice given with its request's time (as ea_req has it: the first request or endorsement event of the request), looked
-- up advice by advice: a join with ea_req, whose size the planner cannot guess, could be planned as a scan of all of ev
-- for each request.
ea_advice AS MATERIALIZED (
  SELECT ev.pid, ev.unit, ev.force_id, ev.occurred_at, q.at AS requested_at FROM ev
  CROSS JOIN LATERAL (SELECT min(r.occurred_at) AS at FROM case_events r WHERE r.case_id = ev.case_id AND r.type IN ('early-advice-requested', 'early-advice-endorsed')
    AND r.data->>'requestId' = ev.data->>'requestId' AND r.occurred_at < ${rangeTo}::timestamptz) q
  WHERE ev.type = 'early-advice-recorded' AND q.at IS NOT NULL
),
ea_triage AS (
  SELECT ev.*, q.seq = ev.seq AS first FROM ev JOIN ea_tri q ON q.case_id = ev.case_id AND q.request_id = ev.data->>'requestId'
  WHERE ev.type IN ('early-advice-accepted', 'early-advice-rejected')
),
cps_decision AS (
  SELECT ev.*, CASE ev.type WHEN 'charge-authorised' THEN 'charge' WHEN 'cps-nfa' THEN 'nfa' WHEN 'further-action-plan' THEN 'action-plan' WHEN 'admin-finalised' THEN 'adminFinalised' ELSE 'returned' END AS decision
  FROM ev WHERE ev.type IN ('charge-authorised', 'cps-nfa', 'further-action-plan', 'admin-finalised') OR ${CPS_RETURN_AFTER_REVIEW}
),
-- Each decision on a file with the file's referral to the CPS (its gatekeeper approval) before it.
approvals AS MATERIALIZED (
  SELECT DISTINCT ON (r.case_id, r.data->>'submissionId') r.case_id, r.seq, r.data->>'submissionId' AS submission_id, r.occurred_at, r.data->>'category' AS category
  FROM (SELECT DISTINCT d.case_id FROM cps_decision d) k
  CROSS JOIN LATERAL (SELECT * FROM case_events r WHERE r.case_id = k.case_id AND r.type = 'submission-approved' AND r.occurred_at < ${rangeTo}::timestamptz OFFSET 0) r
  ORDER BY r.case_id, r.data->>'submissionId', r.seq DESC
),
cps_decision_time AS (
  SELECT d.pid, d.unit, d.force_id, ${ms('d.occurred_at', 'a.occurred_at')} AS span, a.category = 'red' AS custody
  FROM cps_decision d JOIN approvals a ON a.case_id = d.case_id AND a.submission_id = d.data->>'submissionId' AND a.seq < d.seq
  WHERE d.decision <> 'adminFinalised'
),
-- A case once per period: its first charge, and its first CPS charge or NFA decision, in the period.
charged AS (
  SELECT DISTINCT ON (ev.pid, ev.case_id) ev.* FROM ev WHERE ev.type = 'charge-authorised' ORDER BY ev.pid, ev.case_id, ev.seq
),
cps_finalised AS (
  SELECT DISTINCT ON (ev.pid, ev.case_id) ev.* FROM ev WHERE ev.type IN ('charge-authorised', 'cps-nfa') ORDER BY ev.pid, ev.case_id, ev.seq
),
nfa_outcome AS (
  SELECT DISTINCT ON (ev.pid, ev.case_id) ev.* FROM ev WHERE ev.type IN ('police-nfa', 'cps-nfa') ORDER BY ev.pid, ev.case_id, ev.seq DESC
),
-- Referrals to the CPS (Early Advice endorsements, file approvals) of the cases referred or decided in the range.
refs AS MATERIALIZED (
  SELECT r.case_id, r.seq FROM (SELECT DISTINCT ev.case_id FROM ev WHERE ev.type IN ('early-advice-endorsed', 'submission-approved', 'charge-authorised', 'cps-nfa')) k
  CROSS JOIN LATERAL (SELECT * FROM case_events r WHERE r.case_id = k.case_id AND r.type IN ('early-advice-endorsed', 'submission-approved') AND r.occurred_at < ${rangeTo}::timestamptz OFFSET 0) r
),
first_ref AS (
  SELECT r.case_id, min(r.seq) AS seq FROM refs r GROUP BY r.case_id
),
consultations AS (
  SELECT f.pid, f.unit, f.force_id, count(r.seq) AS referrals FROM cps_finalised f LEFT JOIN refs r ON r.case_id = f.case_id AND r.seq < f.seq
  GROUP BY f.pid, f.unit, f.force_id, f.case_id
),
-- Further action plans on full code files, numbered per case: from the second on, a second action plan.
fap_cases AS (
  SELECT DISTINCT ev.case_id FROM ev WHERE ev.type = 'further-action-plan'
),
fap_events AS MATERIALIZED (
  SELECT r.case_id, r.seq, r.type, r.data FROM fap_cases k
  CROSS JOIN LATERAL (SELECT * FROM case_events r WHERE r.case_id = k.case_id AND r.type IN ('file-submitted', 'further-action-plan') AND r.occurred_at < ${rangeTo}::timestamptz OFFSET 0) r
),
-- Each plan once for each full code file of its submission (as a join of the two would give), counted within the case's
-- events rather than joined: the planner cannot guess how many there are.
full_code_plans AS MATERIALIZED (
  SELECT q.case_id, q.seq, row_number() OVER (PARTITION BY q.case_id ORDER BY q.seq) AS nth
  FROM (
    SELECT e.case_id, e.seq, e.type, count(*) FILTER (WHERE e.type = 'file-submitted' AND e.data->>'test' = 'full-code' AND e.data->>'submissionId' IS NOT NULL)
      OVER (PARTITION BY e.case_id, e.data->>'submissionId') AS full_code_files
    FROM fap_events e
  ) q CROSS JOIN LATERAL generate_series(1, q.full_code_files) AS each_file
  WHERE q.type = 'further-action-plan'
),
vrr_requests AS MATERIALIZED (
  SELECT r.case_id, r.data->>'reviewId' AS review_id, min(r.occurred_at) AS at
  FROM (SELECT DISTINCT ev.case_id FROM ev WHERE ev.type = 'victim-review-decided') k
  CROSS JOIN LATERAL (SELECT * FROM case_events r WHERE r.case_id = k.case_id AND r.type = 'victim-review-requested' AND r.occurred_at < ${rangeTo}::timestamptz OFFSET 0) r
  GROUP BY r.case_id, r.data->>'reviewId'
),
-- Victims' Code contacts that discharge a duty, from the range's start to well after its end (read by their own index).
duty AS MATERIALIZED (
  SELECT d.case_id, d.data->>'kind' AS kind, d.occurred_at FROM case_events d
  WHERE d.type = 'victim-contact-recorded' AND (d.data->>'kind') IN ('support-referral', 'key-event-update', 'nfa-notification')
    AND d.occurred_at >= ${rangeFrom}::timestamptz AND d.occurred_at < ${rangeTo}::timestamptz + interval '60 days'
),
new_cases AS (
  SELECT s.id, s.unit, s.force_id, s.reported_at, s.offence_type, ${pidOf('s.reported_at')} AS pid, ${deadline('s.reported_at', input.durations.supportReferral, 'w.support')} AS due
  FROM cases s LEFT JOIN wdue w ON w.day = ${localDate('s.reported_at')}
  WHERE s.unit = ANY(${units}::text[]) AND s.reported_at >= ${rangeFrom}::timestamptz AND s.reported_at < ${rangeTo}::timestamptz
),
new_cases_on_time AS (
  SELECT n.pid, n.unit, n.force_id, bool_or(d.case_id IS NOT NULL) AS ok FROM new_cases n
  LEFT JOIN duty d ON d.case_id = n.id AND d.kind = 'support-referral' AND d.occurred_at >= n.reported_at AND d.occurred_at <= n.due
  GROUP BY n.pid, n.unit, n.force_id, n.id
),
-- Key events and NFA decisions with whether the victim was told in time.
told AS (
  SELECT x.pid, x.unit, x.force_id, x.duty, bool_or(d.case_id IS NOT NULL) AS ok FROM (
    SELECT ev.*, CASE WHEN ev.type IN ('police-nfa', 'cps-nfa') THEN 'nfa-notification' ELSE 'key-event-update' END AS duty,
      CASE WHEN ev.type IN ('police-nfa', 'cps-nfa') THEN ${deadline('ev.occurred_at', input.durations.nfaNotification, 'w.nfa')}
        ELSE ${deadline('ev.occurred_at', input.durations.keyEventUpdate, 'w.key_event')} END AS due
    FROM ev LEFT JOIN wdue w ON w.day = ${localDate('ev.occurred_at')}
    WHERE ev.type = ANY(${list(KEY_EVENTS)}::text[]) OR ev.type IN ('police-nfa', 'cps-nfa')
  ) x
  LEFT JOIN duty d ON d.case_id = x.case_id AND d.kind = x.duty AND d.occurred_at >= x.occurred_at AND d.occurred_at <= x.due
  GROUP BY x.pid, x.unit, x.force_id, x.case_id, x.seq, x.duty
),
${STATES(units)},
esc AS MATERIALIZED (
  SELECT s.unit, s.force_id, min(t.created_at) AS raised_at, CASE WHEN bool_and(t.status <> 'open') THEN coalesce(max(t.closed_at), min(t.created_at)) END AS resolved_at
  FROM tasks t JOIN cases s ON s.id = t.case_id WHERE t.kind = 'escalation' AND t.created_at < ${rangeTo}::timestamptz AND s.unit = ANY(${units}::text[])
  GROUP BY s.unit, s.force_id, t.case_id, t.clock_key, t.step, t.due_at
),
facts AS (
  SELECT pid, unit, force_id, ${FACT('newCases', `''`, 'NULL', 'ok')} FROM new_cases_on_time
  UNION ALL
  SELECT n.pid, n.unit, n.force_id, ${FACT('adultRape.reported')} FROM new_cases n WHERE ${adultRape('n')}
  UNION ALL
  SELECT c.pid, c.unit, c.force_id, ${FACT('adultRape.charged')} FROM charged c WHERE ${adultRape('c', 'c.case_id')}
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('ea.requested')} FROM ea_first
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('ea.triage', `CASE WHEN type = 'early-advice-accepted' THEN 'accepted' ELSE 'rejected' END`)} FROM ea_triage
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('ea.firstTriage', `''`, 'NULL', `type = 'early-advice-accepted'`)} FROM ea_triage WHERE first
  UNION ALL
  SELECT ev.pid, ev.unit, ev.force_id, ${FACT('ea.rejectionReason', 'r.reason')} FROM ev CROSS JOIN LATERAL jsonb_array_elements_text(ev.data->'reasons') AS r(reason) WHERE ev.type = 'early-advice-rejected'
  UNION ALL
  SELECT a.pid, a.unit, a.force_id, ${FACT('ea.turnaround', `''`, ms('a.occurred_at', 'a.requested_at'), `${ms('a.occurred_at', 'a.requested_at')} <= ${21 * DAY_MS}`)}
  FROM ea_advice a
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('ea.notSought')} FROM ev WHERE type = 'early-advice-not-sought'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('decisions', 'decision')} FROM cps_decision
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('cpsNfa', `coalesce(data->>'outcomeCode', '')`, 'NULL', `data->>'preNfaMeetingAt' IS NOT NULL`)} FROM ev WHERE type = 'cps-nfa'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('cpsDecisionTime', `''`, 'span')} FROM cps_decision_time
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('cpsDecisionTime.nonCustody', `''`, 'span', `span <= ${28 * DAY_MS}`)} FROM cps_decision_time WHERE NOT coalesce(custody, false)
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('reportToCharge', `''`, ms('occurred_at', 'reported_at'))} FROM charged
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('chargedSuspects', `''`, 'suspect_count')} FROM ev WHERE type = 'charge-authorised'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('nfaByOutcome', `coalesce(data->>'outcomeCode', 'unknown')`)} FROM nfa_outcome
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('consultations', `''`, 'referrals')} FROM consultations
  UNION ALL
  SELECT ev.pid, ev.unit, ev.force_id, ${FACT('reportToReferral', `''`, ms('ev.occurred_at', 'ev.reported_at'))} FROM ev
  JOIN first_ref r ON r.case_id = ev.case_id AND r.seq = ev.seq
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('referrals', `CASE WHEN type = 'early-advice-endorsed' THEN 'earlyAdvice' ELSE 'charging' END`)} FROM ev WHERE type IN ('early-advice-endorsed', 'submission-approved')
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('submissions.test', `coalesce(data->>'test', '')`)} FROM ev WHERE type = 'file-submitted'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('submissions.category', `coalesce(data->>'category', '')`)} FROM ev WHERE type = 'file-submitted'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('submissions.firstTriage', `''`, 'NULL', `type = 'submission-accepted'`)} FROM ev
  WHERE type = 'submission-accepted' OR (type = 'submission-returned' AND data->>'by' = 'cps' AND from_stage = 'charging-submitted')
  UNION ALL
  SELECT ev.pid, ev.unit, ev.force_id, ${FACT('secondPlans', `''`, 'NULL', `ev.data->>'dcpReviewerId' IS NOT NULL`)} FROM ev
  JOIN full_code_plans q ON q.case_id = ev.case_id AND q.seq = ev.seq AND q.nth >= 2
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('withdrawals', `coalesce(data->>'from', 'unknown')`)} FROM ev WHERE type = 'victim-withdrawal-recorded'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('vrr.requested', `coalesce(data->>'scheme', '')`)} FROM ev WHERE type = 'victim-review-requested'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('vrr.decided', `coalesce(data->>'outcome', '')`)} FROM ev WHERE type = 'victim-review-decided'
  UNION ALL
  SELECT ev.pid, ev.unit, ev.force_id, ${FACT('vrr.decidedAll', `''`, ms('ev.occurred_at', 'r.at'))} FROM ev
  LEFT JOIN vrr_requests r ON r.case_id = ev.case_id AND r.review_id = ev.data->>'reviewId'
  WHERE ev.type = 'victim-review-decided'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('bail.extended')} FROM ev WHERE type = 'bail-extended'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('bail.courtRefused')} FROM ev WHERE type = 'court-bail-extension-refused'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('vc.keyEvent', `''`, 'NULL', 'ok')} FROM told WHERE duty = 'key-event-update'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('vc.nfa', `''`, 'NULL', 'ok')} FROM told WHERE duty = 'nfa-notification'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('actionsOverdue', overdueBand('days_overdue'))} FROM action_at WHERE is_open AND NOT held AND days_overdue > 0
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('actionsOverdue.owner', `coalesce(owner, 'police')`)} FROM action_at WHERE is_open AND NOT held AND days_overdue > 0
  UNION ALL
  SELECT x.pid, x.unit, x.force_id, ${FACT('actionPlans.open')} FROM (SELECT DISTINCT pid, unit, force_id, plan_id FROM action_at WHERE is_open) x
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('bail.on', `CASE WHEN extensions = 0 THEN 'threeMonths' WHEN extensions = 1 THEN 'sixMonths' WHEN extensions = 2 THEN 'nineMonths' ELSE 'court' END`, 'NULL', `expires_at <= p_to + interval '30 days'`)}
  FROM custody_at WHERE state = 'bail' AND expires_at > p_to
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('rui', band(days('p_to', 'since'), [90, 180, 365], ['0-90', '91-180', '181-365', 'over-365']))} FROM custody_at WHERE state = 'rui'
  UNION ALL
  SELECT pr.pid, e.unit, e.force_id, ${FACT('esc.raised')} FROM esc e JOIN periods pr ON e.raised_at >= pr.p_from AND e.raised_at < pr.p_to
  UNION ALL
  SELECT pr.pid, e.unit, e.force_id, ${FACT('esc.resolved')} FROM esc e JOIN periods pr ON e.resolved_at >= pr.p_from AND e.resolved_at < pr.p_to
  UNION ALL
  SELECT pr.pid, e.unit, e.force_id, ${FACT('esc.open', overdueBand(days('pr.p_to', 'e.raised_at')))} FROM esc e JOIN periods pr ON e.raised_at < pr.p_to AND (e.resolved_at IS NULL OR e.resolved_at >= pr.p_to)

)
SELECT pid, unit, metric, key, count(*)::int AS n, (count(*) FILTER (WHERE ok))::int AS n_ok,
  (array_agg(num::float8 ORDER BY num) FILTER (WHERE num IS NOT NULL)) AS nums
FROM facts
GROUP BY pid, unit, metric, key`;
  return { sql, params: p.values };
}

/**
 * Actions, and suspects' bail and release under investigation, as they stood at each period's end: the spans of state
 * kept per case in `report_state_spans` (migration 1766000000000, which says how each is rebuilt from the timeline),
 * each holding from the timeline entry that began it (exclusive) to the next (inclusive). The one holding at a period's
 * end `to` is the action or the suspect as they stood then: an action is overdue when open, not held and due before
 * `to`, by (`to` − due) hours ÷ 24 days; bail counts while its expiry is after `to`.
 */
function STATES(units: string): string {
  return `
action_at AS (
  SELECT pr.pid, pr.p_to, s.action_id AS id, s.plan_id, s.owner, s.unit, s.force_id, true AS is_open, s.held, (extract(epoch FROM pr.p_to - s.due) / 86400) AS days_overdue
  FROM periods pr JOIN report_state_spans s ON s.span @> pr.p_to AND s.kind = 'action' AND s.unit = ANY(${units}::text[])
),
custody_at AS (
  SELECT pr.pid, pr.p_to, s.unit, s.force_id, lower(s.span) AS since, s.kind AS state, s.expires_at, s.extensions
  FROM periods pr JOIN report_state_spans s ON s.span @> pr.p_to AND s.kind IN ('bail', 'rui') AND s.unit = ANY(${units}::text[])
)`;
}

/**
 * The figures never cached, read afresh for every report (both small): the breach forecast (clocks as they stand now)
 * and the scrutiny panels (held for a unit, or a whole force), by period.
 */
export function liveQuery(input: LiveQueryInput): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  const list = (values: string[]) => p.add(values);
  const units = list(input.units);
  const FACT = (metric: string, key = `''`) => `'${metric}'::text AS metric, (${key})::text AS key`;
  const sql = `
WITH periods AS MATERIALIZED (
  SELECT pr.pid, pr.p_from, pr.p_to FROM unnest(${list(input.periods.map((x) => x.id))}::text[], ${p.add(input.periods.map((x) => x.from))}::timestamptz[], ${p.add(input.periods.map((x) => x.to))}::timestamptz[]) AS pr(pid, p_from, p_to)
),
pn AS MATERIALIZED (
  SELECT pa.id, pa.unit, pa.force_id, pa.sitting_at FROM panels pa
  WHERE pa.unit = ANY(${units}::text[]) OR (${p.add(input.forceWide)}::boolean AND pa.unit IS NULL AND pa.force_id = ANY(${list(input.forces)}::text[]))
),
facts AS (
  SELECT pr.pid, n.unit, n.force_id, ${FACT('scrutiny.panels')} FROM pn n JOIN periods pr ON n.sitting_at >= pr.p_from AND n.sitting_at < pr.p_to
  UNION ALL
  SELECT pr.pid, n.unit, n.force_id, ${FACT('scrutiny.reviewed')} FROM pn n JOIN panel_cases pc ON pc.panel_id = n.id
  JOIN LATERAL (SELECT min(r.created_at) AS at FROM panel_reviews r WHERE r.panel_id = pc.panel_id AND r.label = pc.label) rv ON rv.at IS NOT NULL
  JOIN periods pr ON rv.at >= pr.p_from AND rv.at < pr.p_to
  UNION ALL
  SELECT pr.pid, n.unit, n.force_id, ${FACT('scrutiny.learningClosed')} FROM pn n JOIN learning_actions la ON la.panel_id = n.id JOIN periods pr ON la.closed_at >= pr.p_from AND la.closed_at < pr.p_to
  UNION ALL
  SELECT pr.pid, n.unit, n.force_id, ${FACT('scrutiny.learningOpen')} FROM pn n JOIN learning_actions la ON la.panel_id = n.id
  JOIN periods pr ON la.created_at < pr.p_to AND (la.closed_at IS NULL OR la.closed_at >= pr.p_to)
  UNION ALL
  SELECT ${p.add(input.currentPeriodId)}::text, c.unit, c.force_id, ${FACT('forecast', `CASE WHEN k.name = ANY(${list(CPS_CLOCKS)}::text[]) OR i.owner = 'cps' THEN 'cps' ELSE 'police' END`)}
  FROM case_clocks k
  -- Each running clock's case and action looked up by id (OFFSET 0 keeps them lookups, not scans of every case and item).
  CROSS JOIN LATERAL (SELECT c.unit, c.force_id FROM cases c WHERE c.id = k.case_id AND c.unit = ANY(${units}::text[]) OFFSET 0) c
  LEFT JOIN LATERAL (SELECT i.owner FROM case_items i WHERE i.id = k.subject_id AND i.kind = 'action' OFFSET 0) i ON true
  WHERE k.status = 'running' AND k.paused_since IS NULL
    AND k.due_at > ${p.add(input.now.toISOString())}::timestamptz AND k.due_at <= ${p.add(input.forecastTo.toISOString())}::timestamptz
)
SELECT pid, unit, force_id, metric, key, count(*)::int AS n FROM facts GROUP BY pid, unit, force_id, metric, key`;
  return { sql, params: p.values };
}
