import { randomUUID } from 'node:crypto';
import { NFS_CHECKLIST } from '../../workflows/contracts';
import { actors, DAY, futureDays, TestCase, withTimeSkippingWorker } from '../support/case-harness';

const fullChecklist = Object.fromEntries(NFS_CHECKLIST.map((item) => [item, true]));
const { officer, ds, prosecutor, dcp } = actors;

/**
 * A clinic's follow-up clocks end when the case does what the clinic asked or moves past it: the file submitted ends
 * the chase to submit; a charging decision ends the pre-NFA review and the escalation. Time skipping, activities
 * recorded: after the stop, weeks pass and no chase of those clocks fires.
 */
describe('clinic follow-up clocks stop when the case moves on (time skipping)', () => {
  const context = withTimeSkippingWorker();
  const { recorded } = context;
  const firings = (kase: TestCase, name: string) => recorded.notices.filter((n) => n.caseId === kase.registration.caseId && n.clock?.name === name);

  it('stops the ready-to-submit clock when the file is submitted, and nothing chases the submission after', async () => {
    const kase = await TestCase.start(context.env);
    const ready = await kase.send(prosecutor, { type: 'recordClinicOutcome', clinicId: randomUUID(), outcome: 'ready-to-submit' });
    expect(ready.clocks.map((c) => c.name)).toContain('clinic.submission');
    // Its first step (a reminder at once) is the officer's task to build and submit the file.
    await context.env.sleep(DAY);
    expect(firings(kase, 'clinic.submission').map((n) => n.clock!.step)).toEqual([0]);

    const submitted = await kase.send(officer, { type: 'submitFile', submissionId: randomUUID(), test: 'full-code', category: 'green', checklist: fullChecklist });
    expect(submitted.clocks.map((c) => c.name)).not.toContain('clinic.submission');
    const closed = recorded.transitions.find((t) => t.caseId === kase.registration.caseId && t.event.type === 'file-submitted')!;
    expect(closed.clocksClosed).toEqual([`clinic.submission:${kase.registration.caseId}`]);
    // Past the clock's due time (14 days) and its DS step: no chase.
    await context.env.sleep(20 * DAY);
    expect(firings(kase, 'clinic.submission').map((n) => n.clock!.step)).toEqual([0]);
    await kase.saveHistory('clinic-ready-to-submit-submitted');
  });

  it('stops the pre-NFA review and the escalation when the CPS decides on the file, and neither climbs after', async () => {
    const kase = await TestCase.start(context.env);
    await kase.send(ds, { type: 'recordClinicOutcome', clinicId: randomUUID(), outcome: 'consider-nfa' });
    const escalated = await kase.send(prosecutor, { type: 'recordClinicOutcome', clinicId: randomUUID(), outcome: 'escalate' });
    expect(escalated.clocks.map((c) => c.name)).toEqual(expect.arrayContaining(['clinic.nfaReview', 'clinic.escalation']));

    const submissionId = randomUUID();
    await kase.send(officer, { type: 'submitFile', submissionId, test: 'full-code', category: 'green', checklist: fullChecklist });
    await kase.send(ds, { type: 'approveSubmission', submissionId }, { withoutDocument: true });
    await kase.send(dcp, { type: 'triageSubmission', submissionId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    // Submitting the file does not answer the clinic's review or escalation: both still run.
    expect((await kase.view()).clocks.map((c) => c.name)).toEqual(expect.arrayContaining(['clinic.nfaReview', 'clinic.escalation']));
    const actionPlan = { planId: randomUUID(), actions: [{ actionId: randomUUID(), owner: 'police' as const, decisionCritical: true, dueAt: await futureDays(context.env, 30) }] };
    const decided = await kase.send(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'action-plan', actionPlan });
    expect(decided.clocks.map((c) => c.name).filter((n) => n.startsWith('clinic.'))).toEqual([]);

    const before = { review: firings(kase, 'clinic.nfaReview').length, escalation: firings(kase, 'clinic.escalation').length };
    // Past both clocks' due times (7 days) and their DI and DCI steps.
    await context.env.sleep(10 * DAY);
    expect(firings(kase, 'clinic.nfaReview')).toHaveLength(before.review);
    expect(firings(kase, 'clinic.escalation')).toHaveLength(before.escalation);
    expect([...firings(kase, 'clinic.nfaReview'), ...firings(kase, 'clinic.escalation')].every((n) => n.clock!.step === 0)).toBe(true);
    await kase.saveHistory('clinic-review-escalation-further-plan');
  });

  it('stops every clinic follow-up at a charge', async () => {
    const kase = await TestCase.start(context.env);
    await kase.send(prosecutor, { type: 'recordClinicOutcome', clinicId: randomUUID(), outcome: 'escalate' });
    const submissionId = randomUUID();
    await kase.send(officer, { type: 'submitFile', submissionId, test: 'full-code', category: 'green', checklist: fullChecklist });
    await kase.send(ds, { type: 'approveSubmission', submissionId }, { withoutDocument: true });
    await kase.send(dcp, { type: 'triageSubmission', submissionId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    const charged = await kase.send(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'charge' });
    expect(charged.clocks.map((c) => c.name).filter((n) => n.startsWith('clinic.'))).toEqual([]);
    await context.env.sleep(10 * DAY);
    expect(firings(kase, 'clinic.escalation').every((n) => n.clock!.step === 0)).toBe(true);
  });
});
