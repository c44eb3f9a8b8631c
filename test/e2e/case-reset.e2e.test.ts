import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { loadEnvironment } from '../../infra/config';
import { createDataConverter } from '../../infra/temporal';
import { caseWorkflowId } from '../../workflows/contracts';
import { caseWithOneAction, withSystemAndTeam } from '../support/fixtures';
import { api, eventually } from '../support/system';
import { temporalCli } from '../support/temporal-cli';
import { workflowBundle, workflowSinks } from '../support/time-skipping';

const { EventType } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * The operator's way to free a case that will not replay (README, "When a case will not replay"), rehearsed with the
 * CLI on a case of the current code: reset it to the workflow task that took its last command. The new run takes
 * that command again, from the Update the reset re-applies, and every write it repeats is keyed: the case, its
 * timeline and its mail stay as they were, and the case goes on taking commands.
 */
describe('a case reset to an earlier workflow task', () => {
  const context = withSystemAndTeam();

  it('taken back over its last command: takes it again from the re-applied Update, doubles nothing, and carries on', () => resetAndCheck(1));

  it('taken back over its last two (advice that arms clocks, then an action completed): the same, in their order', () => resetAndCheck(2));

  async function resetAndCheck(commandsBack: number): Promise<void> {
    const { system, team } = context;
    const as = (token: string, method: string, path: string, body?: unknown) => api(system.baseUrl, method, path, { token, body });
    // Due in three days: the action's reminder (seven days before) falls due at once, a clock step before the command.
    const { caseId, actionId } = await caseWithOneAction(system.baseUrl, team, 3 * 86_400_000);
    expect((await as(team.officer.token, 'POST', `/actions/${actionId}/complete`, { note: 'Synthetic: CCTV obtained.' })).status).toBe(200);
    await outboxSettled(caseId);
    const before = await caseAsSeen(caseId);
    expect(before.actionStatus).toBe('done');

    const handle = system.client.workflow.getHandle(caseWorkflowId(caseId));
    const { runId: firstRun } = await handle.describe();
    const events = (await handle.fetchHistory()).events ?? [];
    const accepted = events.flatMap((e, i) => (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED ? [i] : []));
    const from = accepted.at(-commandsBack)!;
    const updateIds = accepted.slice(-commandsBack).map((i) => events[i].workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.meta!.updateId!);
    const taskCompleted = events.slice(0, from).findLast((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)!;

    // The README's step 2, as written.
    await temporalCli(['workflow', 'reset', '--workflow-id', caseWorkflowId(caseId), '--event-id', String(taskCompleted.eventId), '--reason', 'rehearsal: replay fault']);

    const history = await eventually(async () => {
      const run = await handle.describe();
      if (run.runId === firstRun) return false;
      const events = (await system.client.workflow.getHandle(caseWorkflowId(caseId), run.runId).fetchHistory()).events ?? [];
      return updateIds.every((id) => completes(events, id)) ? events : false;
    });
    // Re-applied in their order.
    expect(history.flatMap((e) => e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId ?? []).slice(-commandsBack)).toEqual(updateIds);
    await outboxSettled(caseId);
    expect(await caseAsSeen(caseId)).toEqual(before);

    // The new run replays on the current code, as a worker will replay it after its next restart.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(false), sinks: workflowSinks, dataConverter: createDataConverter(loadEnvironment().PAYLOAD_KEYS) },
      { events: history }, caseWorkflowId(caseId));

    // And it carries on: the next command lands on the new run, once.
    const checklist = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };
    const submitted = await as(team.officer.token, 'POST', `/cases/${caseId}/submissions`, { test: 'full-code', category: 'green', checklist, report: 'Synthetic MG3 after the reset.' });
    expect(submitted.status).toBe(201);
    const timeline = (await as(team.officer.token, 'GET', `/cases/${caseId}/timeline`)).body as { seq: number; type: string }[];
    expect(timeline.slice(0, before.timeline.length)).toEqual(before.timeline);
    expect(timeline.length).toBeGreaterThan(before.timeline.length);
    expect(new Set(timeline.map((e) => e.seq)).size).toBe(timeline.length);
  }

  /** Whether a run's history completes the Update: the reset re-applied it and the new run took it. */
  function completes(history: HistoryEvent[], updateId: string): boolean {
    return history.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED && e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId === updateId);
  }

  /** Every email the case queued has been handed to the relay. */
  async function outboxSettled(caseId: string): Promise<void> {
    await eventually(async () => {
      const [{ pending }] = (await context.system.dataSource.query(`SELECT count(*)::int AS pending FROM outbound_emails WHERE case_id = $1 AND status = 'pending'`, [caseId])) as { pending: number }[];
      return pending === 0;
    });
  }

  /** What anyone could see of the case: its stage, its action, its timeline, its clocks and the emails it queued. */
  async function caseAsSeen(caseId: string) {
    const { system, team } = context;
    const read = async <T>(path: string) => (await api(system.baseUrl, 'GET', path, { token: team.officer.token })).body as T;
    const kase = await read<{ stage: string; waitingFor: string }>(`/cases/${caseId}`);
    const plans = await read<{ actions: { status: string }[] }[]>(`/cases/${caseId}/action-plans`);
    const timeline = await read<{ seq: number; type: string }[]>(`/cases/${caseId}/timeline`);
    const clocks = await system.dataSource.query(`SELECT key, status, due_at, steps_fired FROM case_clocks WHERE case_id = $1 ORDER BY key`, [caseId]);
    const emails = await system.dataSource.query(`SELECT key, template, status, attempts FROM outbound_emails WHERE case_id = $1 ORDER BY key`, [caseId]);
    return { stage: kase.stage, waitingFor: kase.waitingFor, actionStatus: plans[0]?.actions[0]?.status, timeline, clocks, emails };
  }
});
