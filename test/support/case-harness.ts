import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { NotifyInput } from '../../activities';
import type { RecordCaseTransitionInput } from '../../activities/case-projection';
import { loadPolicy } from '../../policy/load-policy';
import { caseWorkflow } from '../../workflows';
import {
  type CaseCommand, caseCommandUpdate, type CaseRegistration, type CaseView, caseViewQuery, caseWorkflowId, type CommandActor,
  type PolicySnapshot, type Rank, registrationRecordedUpdate, TASK_QUEUE,
} from '../../workflows/contracts';
import { createTimeSkippingEnv, saveHistory, workflowBundle, workflowSinks } from './time-skipping';

export const DAY = 24 * 60 * 60 * 1000;

const person = (organisation: 'police' | 'cps', rank: Rank, role: CommandActor['role']): CommandActor => ({ id: randomUUID(), organisation, rank, role });
export const actors = {
  officer: person('police', 'DC', 'officer'),
  ds: person('police', 'DS', 'supervisor'),
  di: person('police', 'DI', 'supervisor'),
  prosecutor: person('cps', 'Prosecutor', 'cps'),
  dcp: person('cps', 'DCP', 'cps'),
};

/** What the mocked activities saw: timeline writes and emails, with the (skipped) time they were scheduled. */
export interface Recorded {
  transitions: RecordCaseTransitionInput[];
  notices: (NotifyInput & { at: number })[];
}

/** `now` is the test server's (skipped) time: notify runs as a local activity, whose own timestamps are the worker's clock. */
export function recordingActivities(recorded: Recorded, now: () => Promise<number>) {
  return {
    async recordCaseRegistered() {},
    async recordCaseTransition(input: RecordCaseTransitionInput) {
      recorded.transitions.push(input);
      // A transition's notices are queued by its own activity (patch notices-with-transition).
      for (const notice of input.notices ?? []) recorded.notices.push({ ...notice, at: await now() });
    },
    async notify(input: NotifyInput) {
      recorded.notices.push({ ...input, at: await now() });
      return { sent: input.recipients.length, skipped: 0 };
    },
  };
}

export async function createTestWorker(env: TestWorkflowEnvironment, recorded: Recorded): Promise<Worker> {
  return Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: await workflowBundle(), sinks: workflowSinks, activities: recordingActivities(recorded, () => env.currentTimeMs()) });
}

/** A case on the time-skipping server, driven by commands the way the API sends them. */
export class TestCase {
  private constructor(readonly env: TestWorkflowEnvironment, readonly handle: WorkflowHandle<typeof caseWorkflow>, readonly registration: CaseRegistration) {}

  static async start(env: TestWorkflowEnvironment, opts: { policy?: PolicySnapshot; penetrative?: boolean; historyLimit?: number } = {}): Promise<TestCase> {
    const caseId = randomUUID();
    const registration: CaseRegistration = {
      caseId, urn: '45XY1234526', unit: 'unit-a', officerId: actors.officer.id,
      offence: { type: 'rape', penetrative: opts.penetrative ?? true, committedFrom: '2026-10-01' },
      reportedAt: new Date(await env.currentTimeMs()).toISOString(),
      victim: { partyId: randomUUID(), vulnerable: true }, suspectPartyIds: [randomUUID()], registeredBy: { id: actors.officer.id, role: 'officer' },
    };
    const handle = await env.client.workflow.start(caseWorkflow, {
      workflowId: caseWorkflowId(caseId), taskQueue: TASK_QUEUE,
      args: [{ registration, policy: opts.policy ?? loadPolicy(), historyLimit: opts.historyLimit }],
    });
    await handle.executeUpdate(registrationRecordedUpdate);
    return new TestCase(env, handle, registration);
  }

  /**
   * Sends a command, stamped with the (skipped) time it is sent unless `sentAt` says otherwise; free text is
   * represented by a document id unless `withoutDocument`.
   */
  async send(actor: CommandActor, command: CaseCommand, opts: { withoutDocument?: boolean; namedRanks?: Record<string, Rank>; sentAt?: string } = {}): Promise<CaseView> {
    const sentAt = opts.sentAt ?? new Date(await this.env.currentTimeMs()).toISOString();
    return this.handle.executeUpdate(caseCommandUpdate, { args: [{ command, actor, documentId: opts.withoutDocument ? undefined : randomUUID(), namedRanks: opts.namedRanks, sentAt }] });
  }

  /** The refusal's failure type and message, or throws if the command was accepted. */
  async refused(actor: CommandActor, command: CaseCommand, opts: { withoutDocument?: boolean; namedRanks?: Record<string, Rank> } = {}): Promise<{ type: string; message: string }> {
    try {
      await this.send(actor, command, opts);
    } catch (err) {
      const cause = (err as { cause?: { type?: string; message: string } }).cause;
      if (cause?.type) return { type: cause.type, message: cause.message };
      throw err;
    }
    throw new Error(`${command.type} was accepted`);
  }

  view(): Promise<CaseView> {
    return this.handle.query(caseViewQuery);
  }

  /** Saves this case's history for the replay suite when RECORD_HISTORIES is set (to 1, or to a tag for the file name). */
  async saveHistory(name: string): Promise<void> {
    await saveHistory(this.handle, name);
  }
}

export const futureDays = async (env: TestWorkflowEnvironment, days: number) => new Date((await env.currentTimeMs()) + days * DAY).toISOString();

/** A time-skipping server and a worker with recording activities, for one describe block. */
export function withTimeSkippingWorker(): { env: TestWorkflowEnvironment; recorded: Recorded } {
  const context = { recorded: { transitions: [], notices: [] } as Recorded } as { env: TestWorkflowEnvironment; recorded: Recorded };
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    context.env = await createTimeSkippingEnv();
    worker = await createTestWorker(context.env, context.recorded);
    running = worker.run();
  }, 60_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await context.env?.teardown();
  });
  return context;
}
