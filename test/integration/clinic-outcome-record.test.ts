import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities';
import { caseProjectionActivities, type RecordCaseTransitionInput } from '../../activities/case-projection';
import { createLogger } from '../../infra/logger';
import { caseCommandUpdate, caseViewQuery, caseWorkflowId } from '../../workflows/contracts';
import { caseWithOneAction, createTeam, type Team } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';

/**
 * The worker's projection write of a transition. A clinic's outcome lands on its agenda entry from the worker, with the
 * case's event: an outcome the case accepts is recorded there even when no API is left to write it (the Update sent
 * straight to the case, as if the API had died once it was accepted), and a repeated projection write changes nothing.
 * The transition's notices are queued by the same write, once.
 */
describe('the projection write of a transition', () => {
  let system: RunningSystem;
  let team: Team;

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
  });
  afterAll(() => system?.stop());

  it('writes the outcome, who and when on the agenda entry from the case\'s projection write, once', async () => {
    const { caseId } = await caseWithOneAction(system.baseUrl, team, 30 * 86_400_000);
    expect((await api(system.baseUrl, 'POST', `/cases/${caseId}/clinic-referral`, { token: team.ds.token, body: { reason: 'Synthetic: stuck.' } })).status).toBe(201);
    const clinic = await api(system.baseUrl, 'POST', '/clinics', { token: team.di.token, body: { unit: team.unit, sittingAt: new Date(Date.now() + 86_400_000).toISOString() } });
    expect(clinic.body.agenda.map((e: { caseId: string }) => e.caseId)).toContain(caseId);

    const documentId = randomUUID();
    await system.client.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(caseCommandUpdate, {
      args: [{ command: { type: 'recordClinicOutcome', clinicId: clinic.body.id, outcome: 'continue' }, actor: { id: team.prosecutor.id, organisation: 'cps', rank: 'Prosecutor', role: 'cps' }, documentId }],
    });
    const entry = async () => ((await system.dataSource.query(
      `SELECT outcome, outcome_by, outcome_at, outcome_document_id FROM clinic_agenda_items WHERE clinic_id = $1 AND case_id = $2`, [clinic.body.id, caseId],
    )) as { outcome: string; outcome_by: string; outcome_at: Date; outcome_document_id: string }[])[0];
    const recorded = await entry();
    expect(recorded).toMatchObject({ outcome: 'continue', outcome_by: team.prosecutor.id, outcome_document_id: documentId });
    const [event] = (await system.dataSource.query(`SELECT seq, occurred_at FROM case_events WHERE case_id = $1 AND type = 'clinic-outcome-recorded'`, [caseId])) as { seq: number; occurred_at: Date }[];
    expect(recorded.outcome_at.toISOString()).toBe(event.occurred_at.toISOString());

    // The API reads it back, and refuses a second outcome for the case at this sitting.
    const read = await api(system.baseUrl, 'GET', `/clinics/${clinic.body.id}`, { token: team.di.token });
    expect(read.body.agenda.find((e: { caseId: string }) => e.caseId === caseId).outcome).toBe('continue');
    expect((await api(system.baseUrl, 'POST', `/clinics/${clinic.body.id}/cases/${caseId}/outcome`, { token: team.prosecutor.token, body: { outcome: 'escalate', note: 'Again' } })).status).toBe(409);

    // The projection write retried, even carrying another outcome, leaves the first one standing.
    await caseProjectionActivities(system.dataSource).recordCaseTransition({
      workflowId: caseWorkflowId(caseId), caseId, seq: event.seq, snapshot: await system.client.workflow.getHandle(caseWorkflowId(caseId)).query(caseViewQuery),
      event: { type: 'clinic-outcome-recorded', actorId: team.ds.id, actorRole: 'supervisor', fromStage: 'action-plan-open', toStage: 'action-plan-open', reason: 'escalate', data: { clinicId: clinic.body.id, outcome: 'escalate' }, documentId: randomUUID(), occurredAt: new Date().toISOString() },
    });
    expect(await entry()).toEqual(recorded);
  });

  it("queues a transition's notices once it is recorded, each once however often it is retried; a notice refused for good never undoes it", async () => {
    const { caseId } = await caseWithOneAction(system.baseUrl, team, 30 * 86_400_000);
    const handle = system.client.workflow.getHandle(caseWorkflowId(caseId));
    const [last] = (await system.dataSource.query('SELECT seq, type, to_stage, occurred_at FROM case_events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1', [caseId])) as { seq: number; type: string; to_stage: string; occurred_at: Date }[];
    const key = `${caseWorkflowId(caseId)}:event-${last.seq}:synthetic-retry`;
    // The last transition written again (a retry of its local activity), this time with a notice for the officer.
    const retry: RecordCaseTransitionInput = {
      workflowId: caseWorkflowId(caseId), caseId, seq: last.seq, snapshot: await handle.query(caseViewQuery),
      event: { type: last.type, actorId: team.officer.id, actorRole: 'officer', fromStage: last.to_stage, toStage: last.to_stage, reason: null, data: {}, occurredAt: last.occurred_at.toISOString() },
      notices: [{ key, caseId, template: 'case-action-needed', recipients: ['officer'], headline: 'Synthetic: check the file.' }],
    };
    const activities = createActivities({ dataSource: system.dataSource, publicUrl: 'http://localhost:3000', logger: createLogger('test', 'silent') });
    await activities.recordCaseTransition(retry);
    await activities.recordCaseTransition(retry);
    expect(await system.dataSource.query('SELECT recipient_id, template FROM outbound_emails WHERE key LIKE $1', [`${key}:%`])).toEqual([{ recipient_id: team.officer.id, template: 'case-action-needed' }]);
    expect(await system.dataSource.query('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND seq = $2', [caseId, last.seq])).toEqual([{ n: 1 }]);

    const failing = (err: Error) => caseProjectionActivities(system.dataSource, { notify: () => Promise.reject(err), logger: createLogger('test', 'silent') });
    await expect(failing(ApplicationFailure.nonRetryable('Synthetic: refused for good')).recordCaseTransition(retry)).resolves.toBeUndefined();
    await expect(failing(new Error('Synthetic: database away')).recordCaseTransition(retry)).rejects.toThrow('database away');
  });
});
