import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The states the monthly pack and the quarterly report read at each period's end (actions open and overdue, suspects
 * on bail or released under investigation), kept per case as spans of time (`report_state_spans`) instead of rebuilt
 * from the whole timeline of every live case on each report (npm run bench:reports: 3 s of a month's 3.1 s at 100,000
 * cases). A span holds while one state of one action or one suspect held: from the timeline entry that began it
 * (exclusive) to the next one (inclusive), the same half-open interval the figures test a period's end `to` against
 * (`from < to <= until`); only the states a figure counts are kept (an action open, a suspect on bail or RUI).
 *
 * `report_refresh_states(case ids)` computes a case's spans afresh from its timeline, its actions (case_items) and its
 * plans' documents: the case projection calls it in the transaction that writes a timeline event of a kind the states
 * depend on (REPORT_STATE_EVENTS) or an imported case, and this migration once for every case already there. The
 * spans hold the case's unit and force (the report's scope); a case moved to another unit takes its spans with it.
 *
 * How a state is rebuilt (the same rules as before, now per case, with nothing cut at a report's range):
 *  - an action's log is its plan's recording (open, due at the date the plan's document agreed, else its current due
 *    date), each approved re-dating (due-date-changed on its clock: due at the new date), pause and resumption
 *    (clock-paused; clock-resumed: due at the moved date), a clinic's re-dating (due at the clinic's date; re-opens a
 *    stopped action), its completion (done for good), its plan's review as ready to submit and any charge, NFA,
 *    finalisation or closure of its case (both stop it); folding the log in timeline order gives, after each entry,
 *    whether it is open, held (paused) and its due time;
 *  - a suspect's bail or RUI holds from its release event until the suspect's next release event, or the case's next
 *    charge, NFA, finalisation or closure, whichever comes first.
 *
 * And the case list's index (CasesService.list): a unit's cases by report time, newest first, holding every column
 * the access scope and the list's filters test, so a page and the count read the index alone; it replaces the
 * reports' `cases_unit_reported_idx` (the same key).
 */
export const REPORT_STATE_EVENTS = [
  'early-advice-recorded', 'further-action-plan', 'action-completed', 'due-date-changed', 'clock-paused', 'clock-resumed',
  'clinic-outcome-recorded', 'action-plan-reviewed', 'charge-authorised', 'cps-nfa', 'police-nfa', 'admin-finalised', 'case-closed',
  'bail-recorded', 'bail-extended', 'released-under-investigation', 'released-from-custody',
];

const STOPS = `'charge-authorised', 'cps-nfa', 'police-nfa', 'admin-finalised', 'case-closed'`;

export class ReportStateSpans1766000000000 implements MigrationInterface {
  name = 'ReportStateSpans1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX cases_list_idx ON cases (unit, reported_at DESC, id) INCLUDE (force_id, restricted, officer_id, referred_to_cps, stage, next_due_at)');
    await q.query('DROP INDEX cases_unit_reported_idx');

    await q.query(`
      CREATE TABLE report_state_spans (
        case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        unit text NOT NULL,
        force_id text,
        kind text NOT NULL CHECK (kind IN ('action', 'bail', 'rui')),
        -- (the entry that began it, the next entry]: a period's end within it saw this state.
        span tstzrange NOT NULL,
        -- An action's: its id, plan, owner, due time and whether its clock was paused.
        action_id uuid,
        plan_id uuid,
        owner text,
        due timestamptz,
        held boolean,
        -- Bail's: when it expires and how many extensions it has had.
        expires_at timestamptz,
        extensions int
      )`);
    await q.query('CREATE INDEX report_state_spans_case_idx ON report_state_spans (case_id)');
    await q.query('CREATE INDEX report_state_spans_span_idx ON report_state_spans USING gist (span)');

    await q.query(`
      CREATE FUNCTION report_refresh_states(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM report_state_spans WHERE case_id = ANY(ids);
        INSERT INTO report_state_spans (case_id, unit, force_id, kind, span, action_id, plan_id, owner, due, held)
        WITH act AS MATERIALIZED (
          SELECT i.id, i.case_id, i.parent_id AS plan_id, i.owner, i.due_at AS current_due FROM case_items i
          WHERE i.case_id = ANY(ids) AND i.kind = 'action'
        ),
        act_events AS MATERIALIZED (
          SELECT e.case_id, e.seq, e.type, e.data, e.occurred_at, e.document_id FROM case_events e
          WHERE e.case_id IN (SELECT DISTINCT case_id FROM act)
            AND e.type IN ('early-advice-recorded', 'further-action-plan', 'action-completed', 'due-date-changed', 'clock-paused',
              'clock-resumed', 'clinic-outcome-recorded', 'action-plan-reviewed', ${STOPS})
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
              WHEN e.type IN (${STOPS}) THEN 'stop'
            END AS kind,
            CASE
              WHEN e.type = 'due-date-changed' THEN (e.data->>'to')::timestamptz
              WHEN e.type = 'clock-resumed' THEN (e.data->>'dueAt')::timestamptz
              WHEN e.type = 'clinic-outcome-recorded' THEN (SELECT (d->>'dueAt')::timestamptz FROM jsonb_array_elements(e.data->'actionDueDates') d WHERE d->>'actionId' = a.id::text LIMIT 1)
            END AS due) k
          WHERE k.kind IS NOT NULL
        ),
        action_steps AS (
          SELECT l.action_id, l.seq, l.at, l.due,
            lead(l.at) OVER (PARTITION BY l.action_id ORDER BY l.seq) AS valid_to,
            bool_or(l.kind = 'done') OVER upto AS done,
            max(l.seq) FILTER (WHERE l.kind IN ('open', 'rearm')) OVER upto AS opened,
            max(l.seq) FILTER (WHERE l.kind = 'stop') OVER upto AS stopped,
            max(l.seq) FILTER (WHERE l.kind = 'clock-paused') OVER upto AS paused,
            max(l.seq) FILTER (WHERE l.kind = 'clock-resumed') OVER upto AS resumed,
            count(l.due) OVER upto AS due_group
          FROM action_log l
          WINDOW upto AS (PARTITION BY l.action_id ORDER BY l.seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        ),
        action_state AS (
          SELECT st.action_id, st.at, st.valid_to, first_value(st.due) OVER (PARTITION BY st.action_id, st.due_group ORDER BY st.seq) AS due,
            NOT st.done AND st.opened IS NOT NULL AND (st.stopped IS NULL OR st.opened > st.stopped) AS is_open,
            coalesce(st.paused > greatest(coalesce(st.resumed, 0), coalesce(st.stopped, 0)), false) AS held
          FROM action_steps st
        )
        SELECT a.case_id, c.unit, c.force_id, 'action', tstzrange(st.at, st.valid_to, '(]'), a.id, a.plan_id, a.owner, st.due, st.held
        FROM action_state st JOIN act a ON a.id = st.action_id JOIN cases c ON c.id = a.case_id
        WHERE st.is_open AND (st.valid_to IS NULL OR st.valid_to > st.at);

        INSERT INTO report_state_spans (case_id, unit, force_id, kind, span, expires_at, extensions)
        WITH cust AS MATERIALIZED (
          SELECT e.case_id, e.seq, e.type, e.data, e.occurred_at FROM case_events e
          WHERE e.case_id = ANY(ids)
            AND e.type IN ('bail-recorded', 'bail-extended', 'released-under-investigation', 'released-from-custody', ${STOPS})
        ),
        cust_iv AS (
          SELECT n.*, least(lead(n.occurred_at) OVER (PARTITION BY n.case_id, n.data->>'suspectId' ORDER BY n.seq), n.next_stop) AS valid_to
          FROM (
            SELECT c.*, min(CASE WHEN c.type IN (${STOPS}) THEN c.occurred_at END)
              OVER (PARTITION BY c.case_id ORDER BY c.seq ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_stop
            FROM cust c
          ) n
          WHERE n.type NOT IN (${STOPS})
        )
        SELECT i.case_id, c.unit, c.force_id, CASE WHEN i.type = 'released-under-investigation' THEN 'rui' ELSE 'bail' END,
          tstzrange(i.occurred_at, i.valid_to, '(]'), (i.data->>'expiresAt')::timestamptz, coalesce((i.data->>'extensions')::int, 0)
        FROM cust_iv i JOIN cases c ON c.id = i.case_id
        WHERE i.type IN ('bail-recorded', 'bail-extended', 'released-under-investigation') AND (i.valid_to IS NULL OR i.valid_to > i.occurred_at);
      END $fn$`);

    // A case moved to another unit takes its spans with it.
    await q.query(`
      CREATE FUNCTION report_move_states() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE report_state_spans SET unit = NEW.unit, force_id = NEW.force_id WHERE case_id = NEW.id;
        RETURN NULL;
      END $fn$`);
    await q.query(`CREATE TRIGGER cases_report_move_states AFTER UPDATE OF unit, force_id ON cases FOR EACH ROW
      WHEN (NEW.unit IS DISTINCT FROM OLD.unit OR NEW.force_id IS DISTINCT FROM OLD.force_id) EXECUTE FUNCTION report_move_states()`);

    // Every case already there, and no period computed from the timeline before kept.
    await q.query('SELECT report_refresh_states(array(SELECT id FROM cases))');
    await q.query('DELETE FROM report_unit_periods');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER cases_report_move_states ON cases');
    await q.query('DROP FUNCTION report_move_states()');
    await q.query('DROP FUNCTION report_refresh_states(uuid[])');
    await q.query('DROP TABLE report_state_spans');
    await q.query('CREATE INDEX cases_unit_reported_idx ON cases (unit, reported_at DESC, id)');
    await q.query('DROP INDEX cases_list_idx');
  }
}
