/**
 * The one SQL query behind the monthly pack and the quarterly report (docs/report-definitions.md says what each figure
 * counts). It turns the case data into "facts", one row per thing counted: `(pid, unit, force_id, metric, key, num,
 * ok)`, where `pid` is the period it falls in, `num` a number to sum, average or take the median of (days, a suspect
 * count) and `ok` whether it met a standard (advice within 21 days, a Victims' Code contact on time). It then
 * aggregates them for every period of the trend by unit, by force and over the whole scope at once (GROUPING SETS), so
 * a median is always a median of the underlying values, never of unit medians.
 *
 * Where a figure is a state at the period's end (actions overdue, suspects on bail, escalations open) the state is
 * rebuilt from the timeline as it was at that instant, not read from the current row: see `ACTIONS` below.
 */

/** Builds `$n` placeholders for values in order. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Events that stop every clock of a case (disarmAll): a charge, an NFA, an administrative finalisation, closure. */
export const STOP_EVENTS = ['charge-authorised', 'cps-nfa', 'police-nfa', 'admin-finalised', 'case-closed'];
/** Victims' Code Right 6 key events: each arms victim.keyEventUpdate. */
export const KEY_EVENTS = ['bail-recorded', 'released-under-investigation', 'released-from-custody', 'charge-authorised'];
const CUSTODY_EVENTS = ['bail-recorded', 'bail-extended', 'released-under-investigation', 'released-from-custody'];
/** Clocks the CPS must beat (the dashboard's, plus the CPS's later clocks); an action's clock is its owner's. */
export const CPS_CLOCKS = ['earlyAdvice.triage', 'earlyAdvice.advice', 'charging.decision', 'vrr.cps.decision', 'thresholdTest.review', 'custody.chargingDecision', 'clinic.outcome'];

/** Timeline event types the period-based figures read. */
const PERIOD_EVENTS = [
  'early-advice-requested', 'early-advice-endorsed', 'early-advice-accepted', 'early-advice-rejected', 'early-advice-recorded', 'early-advice-not-sought',
  'charge-authorised', 'cps-nfa', 'police-nfa', 'further-action-plan', 'submission-returned', 'admin-finalised', 'submission-approved', 'submission-accepted',
  'file-submitted', 'victim-withdrawal-recorded', 'victim-review-requested', 'victim-review-decided', 'bail-recorded', 'bail-extended',
  'released-under-investigation', 'released-from-custody', 'court-bail-extension-refused',
];

export interface FiguresQueryInput {
  units: string[];
  forces: string[];
  forceWide: boolean;
  periods: { id: string; from: string; to: string }[];
  /** The report's own period: the breach forecast is given for it alone. */
  currentPeriodId: string;
  now: Date;
  /** The end of the forecast window: 7 working days after `now`. */
  forecastTo: Date;
  timezone: string;
  /** Dates that are not working days (bank holidays, closures), YYYY-MM-DD. */
  nonWorkingDays: string[];
  /** The policy's durations for the Victims' Code clocks: `Nwd` or an ISO-8601 duration. */
  durations: { supportReferral: string; keyEventUpdate: string; nfaNotification: string };
}

export interface FactRow {
  pid: string;
  unit: string | null;
  force_id: string | null;
  g_unit: number;
  g_force: number;
  metric: string;
  key: string;
  n: number;
  n_ok: number;
  total: string | null;
  mean: string | null;
  median: string | null;
}

const WORKING_DAYS = /^(\d+)wd$/;

export function figuresQuery(input: FiguresQueryInput): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  const tz = p.add(input.timezone);
  const units = p.add(input.units);
  const rangeFrom = p.add(input.periods[0].from);
  const rangeTo = p.add(input.periods.at(-1)!.to);
  const list = (values: string[]) => p.add(values);
  const stops = list(STOP_EVENTS);

  /** SQL: the instant `spec` after the instant `start`, as the policy's calendar counts it (Nwd keeps the time of day). */
  const deadline = (start: string, spec: string) => {
    const wd = WORKING_DAYS.exec(spec);
    if (!wd) return `((((${start}) AT TIME ZONE ${tz}) + ${p.add(spec)}::interval) AT TIME ZONE ${tz})`;
    return `(SELECT (w.day + ((${start}) AT TIME ZONE ${tz})::time) AT TIME ZONE ${tz} FROM wd w
      WHERE w.n = ${p.add(Number(wd[1]))}::int + (SELECT count(*) FROM wd x WHERE x.day <= ((${start}) AT TIME ZONE ${tz})::date))`;
  };
  /** SQL: a victim contact of `kind` on the case of event row `e` at or after `start` and by `due`. */
  const contactBy = (e: string, kind: string, start: string, due: string) => `EXISTS (SELECT 1 FROM case_events vc
      WHERE vc.case_id = ${e}.case_id AND vc.type = 'victim-contact-recorded' AND vc.data->>'kind' = ${p.add(kind)}
        AND vc.occurred_at >= ${start} AND vc.occurred_at <= ${due})`;
  const days = (later: string, earlier: string) => `(extract(epoch FROM (${later}) - (${earlier})) / 86400)`;
  const adultRape = (s: string) => `(${s}.offence_type = 'rape' AND EXISTS (SELECT 1 FROM case_parties v WHERE v.case_id = ${s}.id AND v.kind = 'victim'
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
sc AS MATERIALIZED (
  SELECT c.id, c.unit, c.force_id, c.reported_at, c.offence_type, c.suspect_count FROM cases c WHERE c.unit = ANY(${units}::text[])
),
wd AS MATERIALIZED (
  SELECT g.day::date AS day, row_number() OVER (ORDER BY g.day) AS n
  FROM generate_series((${rangeFrom}::timestamptz AT TIME ZONE ${tz})::date - 10, (${rangeTo}::timestamptz AT TIME ZONE ${tz})::date + 120, interval '1 day') AS g(day)
  WHERE extract(isodow FROM g.day) < 6 AND NOT (g.day::date = ANY(${p.add(input.nonWorkingDays)}::date[]))
),
ev AS MATERIALIZED (
  SELECT e.case_id, e.seq, e.type, e.from_stage, e.data, e.occurred_at, s.unit, s.force_id, s.reported_at, s.suspect_count, pr.pid
  FROM case_events e JOIN sc s ON s.id = e.case_id JOIN periods pr ON e.occurred_at >= pr.p_from AND e.occurred_at < pr.p_to
  WHERE e.occurred_at >= ${rangeFrom}::timestamptz AND e.occurred_at < ${rangeTo}::timestamptz AND e.type = ANY(${list(PERIOD_EVENTS)}::text[])
),
-- A request's time: its first request or endorsement event (a DS's own request is one endorsement event).
ea_first AS (
  SELECT ev.* FROM ev WHERE ev.type IN ('early-advice-requested', 'early-advice-endorsed') AND NOT EXISTS (
    SELECT 1 FROM case_events r WHERE r.case_id = ev.case_id AND r.seq < ev.seq AND r.type IN ('early-advice-requested', 'early-advice-endorsed') AND r.data->>'requestId' = ev.data->>'requestId')
),
ea_triage AS (
  SELECT ev.*, NOT EXISTS (SELECT 1 FROM case_events r WHERE r.case_id = ev.case_id AND r.seq < ev.seq AND r.type IN ('early-advice-accepted', 'early-advice-rejected') AND r.data->>'requestId' = ev.data->>'requestId') AS first
  FROM ev WHERE ev.type IN ('early-advice-accepted', 'early-advice-rejected')
),
cps_decision AS (
  SELECT ev.*, CASE ev.type WHEN 'charge-authorised' THEN 'charge' WHEN 'cps-nfa' THEN 'nfa' WHEN 'further-action-plan' THEN 'action-plan' WHEN 'admin-finalised' THEN 'adminFinalised' ELSE 'returned' END AS decision
  FROM ev WHERE ev.type IN ('charge-authorised', 'cps-nfa', 'further-action-plan', 'admin-finalised') OR ${CPS_RETURN_AFTER_REVIEW}
),
-- Each decision on a file with the file's referral to the CPS (its gatekeeper approval) before it.
cps_decision_time AS (
  SELECT d.pid, d.unit, d.force_id, ${days('d.occurred_at', 'a.occurred_at')} AS days, a.data->>'category' = 'red' AS custody
  FROM cps_decision d JOIN LATERAL (SELECT r.occurred_at, r.data FROM case_events r WHERE r.case_id = d.case_id AND r.type = 'submission-approved'
    AND r.data->>'submissionId' = d.data->>'submissionId' AND r.seq < d.seq ORDER BY r.seq DESC LIMIT 1) a ON true
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
${ACTIONS({ units, rangeFrom, rangeTo, stops })},
${CUSTODY({ rangeTo, stops, list })},
esc AS MATERIALIZED (
  SELECT s.unit, s.force_id, min(t.created_at) AS raised_at, CASE WHEN bool_and(t.status <> 'open') THEN coalesce(max(t.closed_at), min(t.created_at)) END AS resolved_at
  FROM tasks t JOIN sc s ON s.id = t.case_id WHERE t.kind = 'escalation' AND t.created_at < ${rangeTo}::timestamptz
  GROUP BY s.unit, s.force_id, t.case_id, t.clock_key, t.step, t.due_at
),
pn AS MATERIALIZED (
  SELECT pa.id, pa.unit, pa.force_id, pa.sitting_at FROM panels pa
  WHERE pa.unit = ANY(${units}::text[]) OR (${p.add(input.forceWide)}::boolean AND pa.unit IS NULL AND pa.force_id = ANY(${p.add(input.forces)}::text[]))
),
facts AS (
  SELECT pr.pid, s.unit, s.force_id, ${FACT('newCases', `''`, 'NULL', contactBy('s2', 'support-referral', 's.reported_at', deadline('s.reported_at', input.durations.supportReferral)))}
  FROM sc s JOIN periods pr ON s.reported_at >= pr.p_from AND s.reported_at < pr.p_to CROSS JOIN LATERAL (SELECT s.id AS case_id) s2
  UNION ALL
  SELECT pr.pid, s.unit, s.force_id, ${FACT('adultRape.reported')}
  FROM sc s JOIN periods pr ON s.reported_at >= pr.p_from AND s.reported_at < pr.p_to WHERE ${adultRape('s')}
  UNION ALL
  SELECT c.pid, c.unit, c.force_id, ${FACT('adultRape.charged')} FROM charged c JOIN sc s ON s.id = c.case_id WHERE ${adultRape('s')}
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('ea.requested')} FROM ea_first
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('ea.triage', `CASE WHEN type = 'early-advice-accepted' THEN 'accepted' ELSE 'rejected' END`)} FROM ea_triage
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('ea.firstTriage', `''`, 'NULL', `type = 'early-advice-accepted'`)} FROM ea_triage WHERE first
  UNION ALL
  SELECT ev.pid, ev.unit, ev.force_id, ${FACT('ea.rejectionReason', 'r.reason')} FROM ev CROSS JOIN LATERAL jsonb_array_elements_text(ev.data->'reasons') AS r(reason) WHERE ev.type = 'early-advice-rejected'
  UNION ALL
  SELECT ev.pid, ev.unit, ev.force_id, ${FACT('ea.turnaround', `''`, 'x.days', 'x.days <= 21')}
  FROM ev CROSS JOIN LATERAL (SELECT ${days('ev.occurred_at', 'min(r.occurred_at)')} AS days FROM case_events r
    WHERE r.case_id = ev.case_id AND r.type IN ('early-advice-requested', 'early-advice-endorsed') AND r.data->>'requestId' = ev.data->>'requestId') x
  WHERE ev.type = 'early-advice-recorded' AND x.days IS NOT NULL
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('ea.notSought')} FROM ev WHERE type = 'early-advice-not-sought'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('decisions', 'decision')} FROM cps_decision
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('cpsNfa', `coalesce(data->>'outcomeCode', '')`, 'NULL', `data->>'preNfaMeetingAt' IS NOT NULL`)} FROM ev WHERE type = 'cps-nfa'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('cpsDecisionTime', `''`, 'days')} FROM cps_decision_time
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('cpsDecisionTime.nonCustody', `''`, 'days', 'days <= 28')} FROM cps_decision_time WHERE NOT coalesce(custody, false)
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('reportToCharge', `''`, days('occurred_at', 'reported_at'))} FROM charged
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('chargedSuspects', `''`, 'suspect_count')} FROM ev WHERE type = 'charge-authorised'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('nfaByOutcome', `coalesce(data->>'outcomeCode', 'unknown')`)} FROM nfa_outcome
  UNION ALL
  SELECT f.pid, f.unit, f.force_id, ${FACT('consultations', `''`, `(SELECT count(*) FROM case_events r WHERE r.case_id = f.case_id AND r.seq < f.seq AND r.type IN ('early-advice-endorsed', 'submission-approved'))`)}
  FROM cps_finalised f
  UNION ALL
  SELECT ev.pid, ev.unit, ev.force_id, ${FACT('reportToReferral', `''`, days('ev.occurred_at', 'ev.reported_at'))} FROM ev
  WHERE ev.type IN ('early-advice-endorsed', 'submission-approved') AND NOT EXISTS (
    SELECT 1 FROM case_events r WHERE r.case_id = ev.case_id AND r.seq < ev.seq AND r.type IN ('early-advice-endorsed', 'submission-approved'))
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
  WHERE ev.type = 'further-action-plan'
    AND EXISTS (SELECT 1 FROM case_events f WHERE f.case_id = ev.case_id AND f.type = 'file-submitted' AND f.data->>'submissionId' = ev.data->>'submissionId' AND f.data->>'test' = 'full-code')
    AND EXISTS (SELECT 1 FROM case_events q JOIN case_events f ON f.case_id = q.case_id AND f.type = 'file-submitted' AND f.data->>'submissionId' = q.data->>'submissionId' AND f.data->>'test' = 'full-code'
      WHERE q.case_id = ev.case_id AND q.type = 'further-action-plan' AND q.seq < ev.seq)
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('withdrawals', `coalesce(data->>'from', 'unknown')`)} FROM ev WHERE type = 'victim-withdrawal-recorded'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('vrr.requested', `coalesce(data->>'scheme', '')`)} FROM ev WHERE type = 'victim-review-requested'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('vrr.decided', `coalesce(data->>'outcome', '')`)} FROM ev WHERE type = 'victim-review-decided'
  UNION ALL
  SELECT ev.pid, ev.unit, ev.force_id, ${FACT('vrr.decidedAll', `''`, 'x.days')} FROM ev
  LEFT JOIN LATERAL (SELECT ${days('ev.occurred_at', 'r.occurred_at')} AS days FROM case_events r WHERE r.case_id = ev.case_id AND r.type = 'victim-review-requested'
    AND r.data->>'reviewId' = ev.data->>'reviewId' ORDER BY r.seq LIMIT 1) x ON true
  WHERE ev.type = 'victim-review-decided'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('bail.extended')} FROM ev WHERE type = 'bail-extended'
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('bail.courtRefused')} FROM ev WHERE type = 'court-bail-extension-refused'
  UNION ALL
  SELECT ev.pid, ev.unit, ev.force_id, ${FACT('vc.keyEvent', `''`, 'NULL', contactBy('ev', 'key-event-update', 'ev.occurred_at', deadline('ev.occurred_at', input.durations.keyEventUpdate)))}
  FROM ev WHERE ev.type = ANY(${list(KEY_EVENTS)}::text[])
  UNION ALL
  SELECT ev.pid, ev.unit, ev.force_id, ${FACT('vc.nfa', `''`, 'NULL', contactBy('ev', 'nfa-notification', 'ev.occurred_at', deadline('ev.occurred_at', input.durations.nfaNotification)))}
  FROM ev WHERE ev.type IN ('police-nfa', 'cps-nfa')
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('actionsOverdue', overdueBand('days_overdue'), 'days_overdue')} FROM action_at WHERE is_open AND NOT held AND days_overdue > 0
  UNION ALL
  SELECT pid, unit, force_id, ${FACT('actionsOverdue.owner', `coalesce(owner, 'police')`)} FROM action_at WHERE is_open AND NOT held AND days_overdue > 0
  UNION ALL
  SELECT DISTINCT pid, unit, force_id, 'actionPlans.open'::text, plan_id::text, NULL::numeric, NULL::boolean FROM action_at WHERE is_open
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
  UNION ALL
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
  SELECT ${p.add(input.currentPeriodId)}::text, s.unit, s.force_id, ${FACT('forecast', `CASE WHEN k.name = ANY(${list(CPS_CLOCKS)}::text[]) OR i.owner = 'cps' THEN 'cps' ELSE 'police' END`)}
  FROM case_clocks k JOIN sc s ON s.id = k.case_id LEFT JOIN case_items i ON i.id = k.subject_id AND i.kind = 'action'
  WHERE k.status = 'running' AND k.paused_since IS NULL AND k.due_at > ${p.add(input.now.toISOString())}::timestamptz AND k.due_at <= ${p.add(input.forecastTo.toISOString())}::timestamptz
)
SELECT pid, unit, force_id, GROUPING(unit)::int AS g_unit, GROUPING(force_id)::int AS g_force, metric, key,
  count(*)::int AS n, (count(*) FILTER (WHERE ok))::int AS n_ok, sum(num)::text AS total, round(avg(num), 1)::text AS mean,
  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY num::float8))::numeric, 1)::text AS median
FROM facts
GROUP BY GROUPING SETS ((pid, metric, key, unit), (pid, metric, key, force_id), (pid, metric, key))`;
  return { sql, params: p.values };
}

/**
 * Actions as they stood at each period's end, rebuilt from the timeline rather than read from their current row: an
 * action's log is its plan's recording (open, due at the date the plan agreed, read from the plan's document), each
 * approved re-dating (due-date-changed on its clock: due at the new date), pause and resumption (clock-paused; and
 * clock-resumed: due at the moved date), a clinic's re-dating (due at the clinic's date; re-opens a stopped action),
 * its completion (done for good), the review of its plan as ready to submit, and a charge, NFA, finalisation or closure
 * of its case (both stop its clock). At each period's end `to`, folding the log's entries before `to` in timeline
 * order gives whether it was open, held (paused) and its due time; it is overdue when open, not held and due before
 * `to`, by (`to` − due) hours ÷ 24 days. Only actions that could be open in the range are read: not those completed
 * before it began.
 */
function ACTIONS(x: { units: string; rangeFrom: string; rangeTo: string; stops: string }): string {
  return `
act AS MATERIALIZED (
  SELECT i.id, i.case_id, i.parent_id AS plan_id, i.owner, i.due_at AS current_due, s.unit, s.force_id
  FROM case_items i JOIN sc s ON s.id = i.case_id
  WHERE i.kind = 'action' AND (i.status <> 'done' OR (i.data->>'completedAt')::timestamptz >= ${x.rangeFrom}::timestamptz)
),
act_cases AS MATERIALIZED (SELECT DISTINCT case_id FROM act),
act_events AS MATERIALIZED (
  SELECT e.case_id, e.seq, e.type, e.data, e.occurred_at, e.document_id FROM case_events e JOIN act_cases ac ON ac.case_id = e.case_id
  WHERE e.occurred_at < ${x.rangeTo}::timestamptz AND e.type IN ('early-advice-recorded', 'further-action-plan', 'action-completed', 'due-date-changed', 'clock-paused',
    'clock-resumed', 'clinic-outcome-recorded', 'action-plan-reviewed', 'charge-authorised', 'cps-nfa', 'police-nfa', 'admin-finalised', 'case-closed')
),
action_log AS (
  SELECT a.id AS action_id, e.seq, e.occurred_at AS at, 'open'::text AS kind,
    coalesce((SELECT (pa->>'dueAt')::timestamptz FROM case_documents doc CROSS JOIN LATERAL jsonb_array_elements(doc.body->'actionPlan'->'actions') pa
      WHERE doc.id = e.document_id AND pa->>'actionId' = a.id::text LIMIT 1), a.current_due) AS due
  FROM act a JOIN act_events e ON e.case_id = a.case_id AND e.type IN ('early-advice-recorded', 'further-action-plan') AND e.data->>'actionPlanId' = a.plan_id::text
  UNION ALL
  SELECT a.id, e.seq, e.occurred_at, k.kind, k.due FROM act a JOIN act_events e ON e.case_id = a.case_id AND e.type NOT IN ('early-advice-recorded', 'further-action-plan')
  CROSS JOIN LATERAL (SELECT
    CASE
      WHEN e.type = 'action-completed' THEN CASE WHEN e.data->>'actionId' = a.id::text THEN 'done' END
      WHEN e.type IN ('due-date-changed', 'clock-paused', 'clock-resumed') THEN CASE WHEN e.data->>'clockKey' = 'actionPlan.item:' || a.id::text THEN e.type END
      WHEN e.type = 'clinic-outcome-recorded' THEN CASE WHEN e.data->'actionDueDates' @> jsonb_build_array(jsonb_build_object('actionId', a.id::text)) THEN 'rearm' END
      WHEN e.type = 'action-plan-reviewed' THEN CASE WHEN e.data->>'planId' = a.plan_id::text AND e.data->>'outcome' = 'ready-to-submit' THEN 'stop' END
      WHEN e.type = ANY(${x.stops}::text[]) THEN 'stop'
    END AS kind,
    CASE
      WHEN e.type = 'due-date-changed' THEN (e.data->>'to')::timestamptz
      WHEN e.type = 'clock-resumed' THEN (e.data->>'dueAt')::timestamptz
      WHEN e.type = 'clinic-outcome-recorded' THEN (SELECT (d->>'dueAt')::timestamptz FROM jsonb_array_elements(e.data->'actionDueDates') d WHERE d->>'actionId' = a.id::text LIMIT 1)
    END AS due) k
  WHERE k.kind IS NOT NULL
),
action_at AS (
  SELECT q.*, (extract(epoch FROM q.p_to - q.due) / 86400) AS days_overdue,
    NOT q.done AND q.opened IS NOT NULL AND (q.stopped IS NULL OR q.opened > q.stopped) AS is_open,
    coalesce(q.paused > greatest(coalesce(q.resumed, 0), coalesce(q.stopped, 0)), false) AS held
  FROM (
    SELECT pr.pid, pr.p_to, a.id, a.plan_id, a.owner, a.unit, a.force_id,
      bool_or(l.kind = 'done') AS done,
      max(l.seq) FILTER (WHERE l.kind IN ('open', 'rearm')) AS opened,
      max(l.seq) FILTER (WHERE l.kind = 'stop') AS stopped,
      max(l.seq) FILTER (WHERE l.kind = 'clock-paused') AS paused,
      max(l.seq) FILTER (WHERE l.kind = 'clock-resumed') AS resumed,
      (array_agg(l.due ORDER BY l.seq DESC) FILTER (WHERE l.due IS NOT NULL))[1] AS due
    FROM act a JOIN action_log l ON l.action_id = a.id JOIN periods pr ON l.at < pr.p_to
    GROUP BY pr.pid, pr.p_to, a.id, a.plan_id, a.owner, a.unit, a.force_id
  ) q
)`;
}

/**
 * Suspects' bail and release under investigation at each period's end, from the timeline: the suspect's latest release
 * event before the end (bail, a bail extension, RUI, a release without charge) gives their state, unless a charge,
 * NFA, finalisation or closure of the case came after it; bail counts while its expiry (the event's) is after the end.
 */
function CUSTODY(x: { rangeTo: string; stops: string; list: (v: string[]) => string }): string {
  return `
cust AS MATERIALIZED (
  SELECT e.case_id, e.seq, e.type, e.data, e.occurred_at, s.unit, s.force_id FROM case_events e JOIN sc s ON s.id = e.case_id
  WHERE e.occurred_at < ${x.rangeTo}::timestamptz AND (e.type = ANY(${x.list(CUSTODY_EVENTS)}::text[]) OR (e.type = ANY(${x.stops}::text[])
    AND e.case_id IN (SELECT b.case_id FROM case_events b WHERE b.type IN ('bail-recorded', 'released-under-investigation') AND b.occurred_at < ${x.rangeTo}::timestamptz)))
),
custody_at AS (
  SELECT l.pid, l.p_to, l.unit, l.force_id, l.since,
    CASE WHEN l.last_type IN ('bail-recorded', 'bail-extended') THEN 'bail' WHEN l.last_type = 'released-under-investigation' THEN 'rui' ELSE 'released' END AS state,
    (l.last_data->>'expiresAt')::timestamptz AS expires_at, coalesce((l.last_data->>'extensions')::int, 0) AS extensions
  FROM (
    SELECT pr.pid, pr.p_to, c.case_id, c.unit, c.force_id, c.data->>'suspectId' AS suspect, max(c.seq) AS last_seq,
      (array_agg(c.type ORDER BY c.seq DESC))[1] AS last_type, (array_agg(c.data ORDER BY c.seq DESC))[1] AS last_data,
      (array_agg(c.occurred_at ORDER BY c.seq DESC))[1] AS since
    FROM cust c JOIN periods pr ON c.occurred_at < pr.p_to WHERE c.type <> ALL(${x.stops}::text[])
    GROUP BY pr.pid, pr.p_to, c.case_id, c.unit, c.force_id, c.data->>'suspectId'
  ) l
  LEFT JOIN (
    SELECT pr.pid, c.case_id, max(c.seq) AS stop_seq FROM cust c JOIN periods pr ON c.occurred_at < pr.p_to
    WHERE c.type = ANY(${x.stops}::text[]) GROUP BY pr.pid, c.case_id
  ) st ON st.pid = l.pid AND st.case_id = l.case_id
  WHERE st.stop_seq IS NULL OR st.stop_seq < l.last_seq
)`;
}
