import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import type { NotifyInput } from '../../activities';
import type { RecordCaseRegisteredInput } from '../../activities/case-projection';
import { loadPolicy } from '../../policy/load-policy';
import { caseWorkflow } from '../../workflows';
import { type CaseRegistration, caseViewQuery, caseWorkflowId, registrationRecordedUpdate, TASK_QUEUE } from '../../workflows/contracts';
import { createTimeSkippingEnv, workflowBundle, workflowSinks } from '../support/time-skipping';

const DAY = 24 * 60 * 60 * 1000;

/** Case workflow on the time-skipping server, activities mocked at the boundary. */
describe('caseWorkflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await createTimeSkippingEnv(); }, 60_000);
  afterAll(() => env?.teardown());

  function registration(reportedAt: string): CaseRegistration {
    const caseId = randomUUID();
    return {
      caseId, urn: '45XY1234526', unit: 'unit-a', officerId: randomUUID(),
      offence: { type: 'rape', penetrative: true, committedFrom: '2026-10-01' }, reportedAt,
      victim: { partyId: randomUUID(), vulnerable: true }, suspectPartyIds: [randomUUID()], registeredBy: { id: randomUUID(), role: 'officer' },
    };
  }

  it('records the case, emails the officer, then waits 28 policy days for the routine victim update and escalates on time', async () => {
    const policy = loadPolicy();
    const recorded: RecordCaseRegisteredInput[] = [];
    const notified: (NotifyInput & { at: number })[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await workflowBundle(), sinks: workflowSinks,
      activities: {
        async recordCaseRegistered(input: RecordCaseRegisteredInput) { recorded.push(input); },
        async recordCaseTransition() {},
        async notify(input: NotifyInput) {
          notified.push({ ...input, at: await env.currentTimeMs() }); // a local activity: the test server's time, not the worker's
          return { sent: input.recipients.length, skipped: 0 };
        },
      },
    });

    await worker.runUntil(async () => {
      const reportedAt = new Date(await env.currentTimeMs()).toISOString();
      const reg = registration(reportedAt);
      const handle = await env.client.workflow.start(caseWorkflow, {
        workflowId: caseWorkflowId(reg.caseId), taskQueue: TASK_QUEUE, args: [{ registration: reg, policy }],
      });
      const view = await handle.executeUpdate(registrationRecordedUpdate);
      expect(view).toMatchObject({ stage: 'investigating', registered: true, policyVersion: policy.version });
      expect(recorded).toHaveLength(1);
      await env.sleep(60_000); // the officer's email follows the registration, asynchronously
      expect(notified.map((n) => n.template)).toEqual(['case-registered']);

      const routine = () => notified.filter((n) => n.clock?.name === 'victim.routineUpdate');
      await env.sleep(24 * DAY);
      expect(routine()).toEqual([]);

      const realStart = Date.now();
      await env.sleep(5 * DAY);
      expect(Date.now() - realStart).toBeLessThan(30_000); // five simulated days, not five real ones

      const start = Date.parse(reportedAt);
      const steps = routine().map((n) => ({ template: n.template, to: n.recipients, afterDays: Math.round((n.at - start) / DAY) }));
      expect(steps).toEqual([
        { template: 'clock-reminder', to: ['officer'], afterDays: 25 },
        { template: 'clock-escalation', to: ['police:DS'], afterDays: 28 },
      ]);
      const after = await handle.query(caseViewQuery);
      expect(after.clocks.find((c) => c.name === 'victim.routineUpdate')).toMatchObject({
        key: `victim.routineUpdate:${reg.caseId}`, name: 'victim.routineUpdate', subjectId: reg.caseId, dueAt: DateTime.fromISO(reportedAt, { zone: 'Europe/London' }).plus({ days: 28 }).toUTC().toISO(), stepsFired: 2,
        overdue: true, firings: [expect.objectContaining({ step: 0, kind: 'reminder' }), expect.objectContaining({ step: 1, kind: 'escalation', to: ['police:DS'] })],
      });
      await handle.terminate('test finished');
    });
  });
});
