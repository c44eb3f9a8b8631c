import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { ChaseClinicOutcomesInput } from '../../activities/clinics/invites';
import { loadPolicy } from '../../policy/load-policy';
import type { clinicWorkflow } from '../../workflows/clinic.workflow';
import { type AgendaSummary, clinicAgendaUpdate, clinicOutcomeRecordedSignal, clinicWorkflowId, TASK_QUEUE } from '../../workflows/contracts';
import { createTimeSkippingEnv, workflowBundle, workflowSinks } from '../support/time-skipping';

const DAY = 86_400_000;
const policy = loadPolicy();

/**
 * One sitting's workflow on Temporal's time-skipping server, its activities recorded: outcomes recorded before the
 * sitting end it quietly; outcomes left unrecorded are chased (the liaison), then escalated (the DI), each step once.
 */
describe('a clinic sitting\'s outcome clock (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const chases: (ChaseClinicOutcomesInput & { at: number })[] = [];
  const invites: string[] = [];
  const agendas = new Map<string, AgendaSummary>();

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    worker = await Worker.create({
      connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: await workflowBundle(), sinks: workflowSinks,
      activities: {
        buildClinicAgenda: async ({ clinicId }: { clinicId: string }) => agendas.get(clinicId)!,
        clinicOutcomesRecorded: async () => [],
        sendClinicInvites: async ({ clinicId }: { clinicId: string }) => { invites.push(clinicId); return { sent: 1, attendees: 1 }; },
        chaseClinicOutcomes: async (input: ChaseClinicOutcomesInput) => { chases.push({ ...input, at: await env.currentTimeMs() }); return { sent: 1 }; },
      },
    });
    running = worker.run();
  }, 60_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  async function sitting(daysAhead: number) {
    const clinicId = randomUUID();
    const cases = [randomUUID(), randomUUID()];
    agendas.set(clinicId, { agendaVersion: policy.agenda!.version, entries: cases.map((caseId) => ({ caseId, officerId: randomUUID(), codes: ['action-overdue'] })) });
    const sittingAt = new Date((await env.currentTimeMs()) + daysAhead * DAY).toISOString();
    const handle = await env.client.workflow.start<typeof clinicWorkflow>('clinicWorkflow', { workflowId: clinicWorkflowId(clinicId), taskQueue: TASK_QUEUE, args: [{ clinicId, sittingAt, policy }] });
    const agenda = await handle.executeUpdate(clinicAgendaUpdate);
    return { clinicId, cases, sittingAt, handle, agenda };
  }

  it('ends without a chase when every outcome is recorded before the sitting', async () => {
    const { clinicId, cases, handle, agenda } = await sitting(2);
    expect(agenda.entries.map((e) => e.caseId)).toEqual(cases);
    for (const caseId of cases) await handle.signal(clinicOutcomeRecordedSignal, { caseId });
    await handle.result();
    expect(invites).toContain(clinicId);
    expect(chases.filter((c) => c.clinicId === clinicId)).toEqual([]);
  });

  it('chases the liaison, then escalates to the DI, each once, and stops when the last outcome is recorded', async () => {
    const { clinicId, cases, sittingAt, handle } = await sitting(1);
    await handle.signal(clinicOutcomeRecordedSignal, { caseId: cases[0] });
    await env.sleep(20 * DAY);
    const fired = chases.filter((c) => c.clinicId === clinicId);
    expect(fired.map(({ step, kind, to }) => ({ step, kind, to }))).toEqual([
      { step: 0, kind: 'escalation', to: ['liaison'] },
      { step: 1, kind: 'escalation', to: ['police:DI'] },
    ]);
    // Two working days after the sitting, then two days later.
    expect(fired[0].at).toBeGreaterThanOrEqual(Date.parse(sittingAt) + 2 * DAY - 1_000);
    expect(fired[1].at - fired[0].at).toBeGreaterThanOrEqual(2 * DAY - 1_000);
    await handle.signal(clinicOutcomeRecordedSignal, { caseId: cases[1] });
    await handle.result();
    await env.sleep(10 * DAY);
    expect(chases.filter((c) => c.clinicId === clinicId)).toHaveLength(2);
  });
});
