import { allHandlersFinished, condition, continueAsNew, log, patched, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createActivities, NotifyInput } from '../activities';
import { type ClockState, type ClockStep, runClock, startClock, upgradeClock } from './clocks/clock';
import { workflowNow } from './clocks/workflow-time';
import { caseActionsQuery, type CaseRegistration, caseViewQuery, registrationRecordedUpdate } from './contracts/case';
import { type CaseCommandInput, caseCommandUpdate } from './contracts/commands';
import type { PolicySnapshot } from './contracts/policy';
import { availableCommands, type CaseState, caseView, copyState, decide, newCaseState } from './pipeline';
import { currentProsecutor, REGISTRATION_CLOCKS, stepRecipients } from './pipeline/recipients';

type Activities = ReturnType<typeof createActivities>;

/** Projection writes: short, retried until the database is back (a case must never be lost). */
const projection = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * The same writes as local activities, run by this worker inside the workflow task that made the transition: a
 * command's Update then answers in one workflow task, with no activity task for the server to dispatch and no second
 * workflow task to resume the handler (npm run bench:lifecycle). Retried the same way until the database is back.
 */
const localProjection = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Notifications (inbox tasks, then email): a local activity, run by this worker inside the workflow task that fires
 * the clock step, so an escalation does not wait for the server to dispatch an activity task, and a burst of
 * deadlines costs the server half as much (npm run bench:deadlines). The work is short (a few rows and an SMTP
 * hand-off with 10 s/30 s timeouts); SMTP down means retries with back-off, idempotent by key.
 */
const localMail = proxyLocalActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

/** The same as a regular activity: how cases started before `notify-as-local-activity` replay. */
const mail = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

export interface CaseWorkflowInput {
  registration: CaseRegistration;
  policy: PolicySnapshot;
  /** Present after continue-as-new: everything the case knew, clocks included. */
  carried?: CaseState;
  /** Continue-as-new past this many history events, even before the server suggests it. */
  historyLimit?: number;
}

const DEFAULT_HISTORY_LIMIT = 10_000;

/**
 * The life of one case, from report to a charging decision. One workflow per case, id `case-<uuid>`.
 * Commands arrive as the `caseCommand` Update; the rules live in ./pipeline, the clocks in ./clocks.
 */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<void> {
  const { registration, policy } = input;
  const state: CaseState = input.carried ?? newCaseState();
  state.clocks.forEach(upgradeClock);
  const { workflowId } = workflowInfo();
  const running = new Set<string>();
  let inFlight = 0;
  const now = () => new Date(workflowNow()).toISOString();
  const context = (validating = false, at = now()) => ({ now: at, registration, policy, patched: validating ? () => true : patched });
  /**
   * A command's time: when the API sent it (from `command-time-as-sent` on), never later than the workflow's clock nor
   * earlier than the command before it. A re-applied command (after a reset) then keys its clocks, times its event and
   * meets its rules as it did the first time, and nobody is emailed twice for a clock it re-arms.
   */
  let lastCommandAt = 0;
  const commandTime = (input: CaseCommandInput, validating = false): string => {
    const sent = input.sentAt === undefined ? Number.NaN : Date.parse(input.sentAt);
    if (Number.isNaN(sent) || !(validating || patched('command-time-as-sent'))) return now();
    return new Date(Math.max(lastCommandAt, Math.min(sent, workflowNow()))).toISOString();
  };
  const view = () => caseView(registration, policy, state, workflowNow());
  /**
   * Local activities one at a time, in the order asked for (from `one-local-activity-at-a-time` on). Two in flight at
   * once (a command's projection write and the notice of a clock step the command made due) resolve in one activation
   * or in two depending on timing, and a replay that groups them the other way orders the commands that follow them
   * the other way: a nondeterminism error once the case is replayed (bench:lifecycle replays every history it writes).
   */
  let lane: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    if (!patched('one-local-activity-at-a-time')) return run();
    const turn = lane.then(run, run);
    lane = turn.catch(() => undefined);
    return turn;
  };
  /** Projection writes: local activities from `projection-as-local-activity` on; cases before it replay the activity. */
  const record = () => (patched('projection-as-local-activity') ? localProjection : projection);

  const notice = (key: string, template: string, recipients: string[], extra: Pick<NotifyInput, 'headline' | 'clock' | 'task' | 'caseState'> = {}): NotifyInput =>
    ({ key, caseId: registration.caseId, template, recipients, prosecutorId: currentProsecutor(state), ...extra });
  /** Sends an email without holding up the caller; continue-as-new waits for these to finish. */
  const send = (...args: Parameters<typeof notice>) => {
    inFlight += 1;
    const notify = patched('notify-as-local-activity') ? (input: NotifyInput) => inTurn(() => localMail.notify(input)) : mail.notify;
    return notify(notice(...args))
      .catch((err: Error) => log.error('notification failed', { key: args[0], error: err.message }))
      .finally(() => { inFlight -= 1; });
  };

  const fireClockStep = async (clock: ClockState, step: ClockStep) => {
    const recipients = stepRecipients(clock, step, state, policy);
    // One key per step of one arming of one clock: a breach escalates once, whatever retries or replays do.
    await send(`${workflowId}:clock:${clock.key}:${clock.startedAt}:step-${step.index}`, step.kind === 'reminder' ? 'clock-reminder' : 'clock-escalation', recipients, {
      clock: { name: clock.name, dueAt: clock.dueAt, step: step.index },
      task: { kind: step.kind, clockKey: clock.key, clockName: clock.name, dueAt: clock.dueAt },
      // The step changed the case (fired, to whom): the projection keeps the state the case page reads current.
      caseState: state,
    });
  };
  const runClocks = () => {
    for (const clock of state.clocks) {
      if (clock.stoppedAt || running.has(clock.key)) continue;
      const key = clock.key;
      running.add(key);
      void runClock(() => state.clocks.find((c) => c.key === key), policy, fireClockStep).finally(() => running.delete(key));
    }
  };

  setHandler(caseViewQuery, view);
  setHandler(caseActionsQuery, (actor) => ({ view: view(), actions: availableCommands(state, actor, context(true)) }));
  setHandler(registrationRecordedUpdate, async () => {
    await condition(() => state.registered);
    return view();
  });
  setHandler(caseCommandUpdate, async (command: CaseCommandInput) => {
    if (!state.registered) await condition(() => state.registered);
    const fromStage = state.stage;
    const before = new Map(state.clocks.map((c) => [c.key, { stopped: !!c.stoppedAt, acknowledged: !!c.acknowledged }]));
    const at = commandTime(command);
    lastCommandAt = Math.max(lastCommandAt, Date.parse(at));
    const outcome = decide(state, command, context(false, at));
    const clocksClosed = state.clocks.filter((c) => c.stoppedAt && before.get(c.key)?.stopped === false).map((c) => c.key);
    const clocksAcknowledged = state.clocks.filter((c) => c.acknowledged && before.get(c.key)?.acknowledged === false).map((c) => c.key);
    state.seq += 1;
    const seq = state.seq;
    runClocks();
    const notices = outcome.notices.map((n) => notice(`${workflowId}:event-${seq}:${n.purpose}`, 'case-action-needed', n.recipients, { headline: n.headline }));
    // Queued by the transition's own local activity once it is recorded; cases before this patch replay a local activity each.
    const withTransition = patched('notices-with-transition');
    const transition = record();
    await inTurn(() => transition.recordCaseTransition({
      workflowId, caseId: registration.caseId, seq, snapshot: view(), state, clocksClosed, clocksAcknowledged, ...(withTransition && notices.length ? { notices } : {}),
      event: { type: outcome.eventType, actorId: command.actor.id, actorRole: command.actor.role, fromStage, toStage: state.stage, reason: outcome.reason ?? null, data: outcome.data, documentId: command.documentId, occurredAt: at },
    }));
    if (!withTransition) for (const n of notices) void send(n.key, n.template, n.recipients, { headline: n.headline });
    return view();
  }, {
    // Dry-run on a copy: an illegal command is refused before it reaches history.
    validator: (command: CaseCommandInput) => { decide(copyState(state), command, context(true, commandTime(command, true))); },
  });

  if (!state.registered) {
    state.seq += 1;
    const occurredAt = now();
    for (const name of REGISTRATION_CLOCKS) if (policy.clocks[name]) state.clocks.push(startClock(name, registration.caseId, registration.reportedAt, policy));
    // The state stored is the case as it is once recorded (registered), which is when anyone can read it.
    const registered = record();
    await inTurn(() => registered.recordCaseRegistered({ workflowId, seq: state.seq, registration, policyVersion: policy.version, snapshot: view(), state: { ...state, registered: true }, occurredAt }));
    state.registered = true;
    void send(`${workflowId}:registered`, 'case-registered', ['officer']);
  }
  runClocks();

  // Cases live for months: hand the whole state to a fresh run before history grows large.
  const limit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > limit);
  await condition(() => allHandlersFinished() && inFlight === 0);
  await continueAsNew<typeof caseWorkflow>({ registration, policy, carried: state, historyLimit: input.historyLimit });
}
