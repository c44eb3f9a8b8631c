import { randomUUID } from 'node:crypto';
import { DateTime, Duration } from 'luxon';
import { loadPolicy, loadRegionPolicies } from '../../policy/load-policy';
import type { ClockPolicy, PolicySnapshot } from '../../workflows/contracts';
import { actors, DAY, futureDays, TestCase, withTimeSkippingWorker } from '../support/case-harness';
import { policyFile } from '../support/policy-files';

const { officer, ds, di, prosecutor, dcp } = actors;
const policy = loadPolicy();
const MINUTE = 60_000;

/** The steps a clock should fire, computed here independently of workflows/clocks (luxon + a plain day loop). */
function expectedSteps(clock: ClockPolicy, startedAt: string, owner: string[], agreedDueAt?: string, calendar: PolicySnapshot = policy) {
  const zone = calendar.timezone;
  const plus = (from: DateTime, spec: string) => {
    const wd = /^(\d+)wd$/.exec(spec);
    if (!wd) return spec.startsWith('-') ? from.minus(Duration.fromISO(spec.slice(1))) : from.plus(Duration.fromISO(spec));
    let day = from;
    for (let n = Number(wd[1]); n > 0;) {
      day = day.plus({ days: 1 });
      if (day.weekday <= 5 && !calendar.nonWorkingDays.includes(day.toISODate()!)) n -= 1;
    }
    return day;
  };
  const due = agreedDueAt ? DateTime.fromISO(agreedDueAt, { zone }) : plus(DateTime.fromISO(startedAt, { zone }), clock.due);
  return [
    ...(clock.remind ?? []).map((r) => ({ at: plus(due, r).toMillis(), to: owner })),
    ...(clock.ladder ?? []).map((l) => ({ at: plus(due, l.after).toMillis(), to: Array.isArray(l.to) ? l.to : [l.to] })),
  ].sort((a, b) => a.at - b.at);
}

/** Deadlines (domain.md §4): every clock fires each step once, on time, to the right people; people can hold and move them. */
describe('deadlines and escalations (time skipping)', () => {
  const context = withTimeSkippingWorker();
  const { recorded } = context;
  const firedFor = (kase: TestCase, clockKey: string) => recorded.notices
    .filter((n) => n.caseId === kase.registration.caseId && n.task?.clockKey === clockKey)
    .map((n) => ({ at: n.at, to: n.recipients }));
  const expectFired = (kase: TestCase, clockKey: string, expected: { at: number; to: string[] }[]) => {
    const fired = firedFor(kase, clockKey);
    expect(fired.map((f) => f.to)).toEqual(expected.map((e) => e.to));
    fired.forEach((f, i) => expect(Math.abs(f.at - expected[i].at)).toBeLessThan(MINUTE));
  };


  it('fires every registration clock on its (working-day) schedule to the right people, exactly once', async () => {
    const kase = await TestCase.start(context.env);
    const start = kase.registration.reportedAt;
    await context.env.sleep(40 * DAY);
    const id = kase.registration.caseId;
    expectFired(kase, `victim.supportReferral:${id}`, expectedSteps(policy.clocks['victim.supportReferral'], start, ['officer']));
    expectFired(kase, `earlyAdvice.consider:${id}`, expectedSteps(policy.clocks['earlyAdvice.consider'], start, ['officer']));
    expectFired(kase, `victim.routineUpdate:${id}`, expectedSteps(policy.clocks['victim.routineUpdate'], start, ['officer']));
    expect(firedFor(kase, `victim.routineUpdate:${id}`)).toHaveLength(2); // reminder, then DS: never twice

    // Steps notify through a local activity (a marker in the history), never a dispatched activity task: the
    // deadline benchmark's lesson, kept here so a refactor cannot quietly put the queue back.
    const events = (await kase.handle.fetchHistory()).events ?? [];
    const scheduled = events.flatMap((e) => (e.activityTaskScheduledEventAttributes?.activityType?.name ? [e.activityTaskScheduledEventAttributes.activityType.name] : []));
    expect(scheduled).not.toContain('notify');
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBeGreaterThanOrEqual(firedFor(kase, `victim.routineUpdate:${id}`).length);
  });

  it('fires the Early Advice, action plan and charging clocks on schedule', async () => {
    const kase = await TestCase.start(context.env);
    const requestId = randomUUID();
    const endorsedAt = new Date(await context.env.currentTimeMs()).toISOString();
    await kase.send(ds, { type: 'requestEarlyAdvice', requestId });
    await context.env.sleep(30 * DAY);
    expectFired(kase, `earlyAdvice.triage:${requestId}`, expectedSteps(policy.clocks['earlyAdvice.triage'], endorsedAt, ['cps:DCP']));
    expectFired(kase, `earlyAdvice.advice:${requestId}`, expectedSteps(policy.clocks['earlyAdvice.advice'], endorsedAt, ['cps:DCP']));

    await kase.send(dcp, { type: 'triageEarlyAdvice', requestId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    const dueAt = await futureDays(context.env, 10);
    const planId = randomUUID();
    const actionId = randomUUID();
    await kase.send(prosecutor, { type: 'recordEarlyAdvice', requestId, actionPlan: { planId, actions: [{ actionId, owner: 'police', dueAt, decisionCritical: true }] } });
    await context.env.sleep(60 * DAY);
    expectFired(kase, `actionPlan.item:${actionId}`, expectedSteps(policy.clocks['actionPlan.item'], dueAt, ['officer'], dueAt));
    expect(firedFor(kase, `actionPlan.item:${actionId}`).map((f) => f.to)).toEqual([['officer'], ['police:DS'], ['police:DI', 'prosecutor'], ['clinic', 'cps:DCP']]);
    const unansweredDue = DateTime.fromISO(dueAt).plus({ days: 28 }).toISO()!;
    expectFired(kase, `actionPlan.unanswered:${planId}`, expectedSteps(policy.clocks['actionPlan.unanswered'], dueAt, [], unansweredDue));

    await kase.send(officer, { type: 'completeAction', actionId });
    await kase.send(prosecutor, { type: 'reviewActionPlan', planId, outcome: 'ready-to-submit' }, { withoutDocument: true });
    const submissionId = randomUUID();
    await kase.send(officer, { type: 'submitFile', submissionId, test: 'threshold', category: 'red', checklist: {} });
    const approvedAt = new Date(await context.env.currentTimeMs()).toISOString();
    await kase.send(ds, { type: 'approveSubmission', submissionId }, { withoutDocument: true });
    await context.env.sleep(45 * DAY);
    expectFired(kase, `charging.decision:${submissionId}`, expectedSteps(policy.clocks['charging.decision'], approvedAt, ['cps:DCP']));
  });

  it('alerts whoever may authorise the next bail extension, and refuses an extension by too low a rank', async () => {
    const kase = await TestCase.start(context.env);
    const suspectId = kase.registration.suspectPartyIds[0];
    const startedAt = new Date(await context.env.currentTimeMs()).toISOString();
    await kase.send(officer, { type: 'recordBail', suspectId, startedAt }, { withoutDocument: true });
    const view = await kase.view();
    expect(view.custody).toEqual([{ suspectId, status: 'bail', startedAt, extensions: 0, expiresAt: DateTime.fromISO(startedAt, { zone: 'Europe/London' }).plus({ months: 3 }).toUTC().toISO() }]);

    expect((await kase.refused(officer, { type: 'extendBail', suspectId, authorisedById: ds.id }, { namedRanks: { [ds.id]: 'DS' } })).message).toMatch(/DI \(Inspector\) or above/);
    await kase.send(officer, { type: 'extendBail', suspectId, authorisedById: di.id }, { namedRanks: { [di.id]: 'DI' } });
    expect((await kase.refused(officer, { type: 'extendBail', suspectId, authorisedById: di.id }, { namedRanks: { [di.id]: 'DI' } })).message).toMatch(/Superintendent or above/);
    const sixMonths = DateTime.fromISO(startedAt, { zone: 'Europe/London' }).plus({ months: 6 }).toUTC().toISO()!;
    expect((await kase.view()).custody[0]).toMatchObject({ extensions: 1, expiresAt: sixMonths });

    await context.env.sleep(200 * DAY);
    // After the Inspector's extension, the alerts go to whoever authorises the next: a Superintendent.
    expectFired(kase, `bail.expiry:${suspectId}`, expectedSteps(policy.clocks['bail.expiry'], startedAt, ['officer', 'police:Superintendent'], sixMonths));
    expectFired(kase, `victim.keyEventUpdate:${kase.registration.caseId}`, expectedSteps(policy.clocks['victim.keyEventUpdate'], startedAt, ['officer']));
  });

  it('runs the bail clock from the bail start, which may be days before it is recorded', async () => {
    const kase = await TestCase.start(context.env);
    const suspectId = kase.registration.suspectPartyIds[0];
    const startedAt = new Date(await context.env.currentTimeMs() - 75 * DAY).toISOString();
    await kase.send(officer, { type: 'recordBail', suspectId, startedAt }, { withoutDocument: true });
    const expiresAt = DateTime.fromISO(startedAt, { zone: 'Europe/London' }).plus({ months: 3 }).toUTC().toISO();
    const view = await kase.view();
    expect(view.custody[0].expiresAt).toBe(expiresAt);
    expect(view.clocks.find((c) => c.key === `bail.expiry:${suspectId}`)?.dueAt).toBe(expiresAt);
  });

  it('runs the RUI review, NFA notification, Early Advice response and CPS review clocks on schedule', async () => {
    const rui = await TestCase.start(context.env);
    const suspectId = rui.registration.suspectPartyIds[0];
    const releasedAt = new Date(await context.env.currentTimeMs()).toISOString();
    await rui.send(officer, { type: 'recordReleaseUnderInvestigation', suspectId }, { withoutDocument: true });
    expect((await rui.view()).custody).toEqual([expect.objectContaining({ suspectId, status: 'rui' })]);

    const rejected = await TestCase.start(context.env);
    const requestId = randomUUID();
    await rejected.send(ds, { type: 'requestEarlyAdvice', requestId });
    const rejectedAt = new Date(await context.env.currentTimeMs()).toISOString();
    await rejected.send(dcp, { type: 'triageEarlyAdvice', requestId, decision: 'reject', reasons: ['no-mg3'] }, { withoutDocument: true });

    const cpsNfa = await TestCase.start(context.env);
    const submissionId = randomUUID();
    await cpsNfa.send(officer, { type: 'submitFile', submissionId, test: 'threshold', category: 'red', checklist: {} });
    await cpsNfa.send(ds, { type: 'approveSubmission', submissionId }, { withoutDocument: true });
    await cpsNfa.send(dcp, { type: 'triageSubmission', submissionId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    const decidedAt = new Date(await context.env.currentTimeMs()).toISOString();
    await cpsNfa.send(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'nfa', nfaGround: 'public-interest', preNfaMeetingAt: new Date(Date.parse(decidedAt) - DAY).toISOString() });
    await context.env.sleep(5 * DAY);
    await cpsNfa.send(officer, { type: 'recordVictimContact', kind: 'nfa-notification' });
    const reviewId = randomUUID();
    const requestedAt = new Date(await context.env.currentTimeMs()).toISOString();
    await cpsNfa.send(officer, { type: 'requestVictimReview', reviewId, scheme: 'cps' });

    await context.env.sleep(100 * DAY);
    expectFired(rui, `rui.review:${suspectId}`, expectedSteps(policy.clocks['rui.review'], releasedAt, ['officer']));
    expectFired(rejected, `earlyAdvice.policeResponse:${requestId}`, expectedSteps(policy.clocks['earlyAdvice.policeResponse'], rejectedAt, ['officer']));
    expectFired(cpsNfa, `nfa.victimNotification:${submissionId}`, expectedSteps(policy.clocks['nfa.victimNotification'], decidedAt, ['officer']));
    expectFired(cpsNfa, `vrr.cps.decision:${reviewId}`, expectedSteps(policy.clocks['vrr.cps.decision'], requestedAt, ['officer']));
  });

  it('shifts the due time by a paused span, and fires nothing while paused', async () => {
    const kase = await TestCase.start(context.env);
    const key = `victim.routineUpdate:${kase.registration.caseId}`;
    const start = kase.registration.reportedAt;
    await context.env.sleep(5 * DAY);
    expect((await kase.refused(officer, { type: 'pauseClock', clockKey: key, heldBy: 'third-party' })).message).toMatch(/DS or a CPS prosecutor/);
    await kase.send(ds, { type: 'pauseClock', clockKey: key, heldBy: 'third-party' });
    await context.env.sleep(30 * DAY); // past the original due time: nothing fires
    expect(firedFor(kase, key)).toEqual([]);
    expect((await kase.view()).clocks.find((c) => c.key === key)).toMatchObject({ paused: { heldBy: 'third-party' }, overdue: false });
    await kase.send(ds, { type: 'resumeClock', clockKey: key });
    const view = (await kase.view()).clocks.find((c) => c.key === key)!;
    // The original due time (28 local days: a clock change may make that 28 days ± 1 hour), moved by the paused span.
    const originalDue = expectedSteps(policy.clocks['victim.routineUpdate'], start, ['officer']).at(-1)!.at;
    expect(view.pausedMs).toBeGreaterThanOrEqual(30 * DAY - MINUTE);
    expect(Math.abs(Date.parse(view.dueAt) - (originalDue + view.pausedMs))).toBeLessThan(MINUTE);
    await context.env.sleep(30 * DAY);
    expectFired(kase, key, expectedSteps(policy.clocks['victim.routineUpdate'], start, ['officer'], view.dueAt));
  });

  it('re-arms on an approved due-date change, refuses an unapproved one, and cancels everything on completion', async () => {
    const kase = await TestCase.start(context.env);
    const requestId = randomUUID();
    await kase.send(ds, { type: 'requestEarlyAdvice', requestId });
    await kase.send(dcp, { type: 'triageEarlyAdvice', requestId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    const [moved, completed] = [randomUUID(), randomUUID()];
    const dueAt = await futureDays(context.env, 10);
    await kase.send(prosecutor, { type: 'recordEarlyAdvice', requestId, actionPlan: { planId: randomUUID(), actions: [
      { actionId: moved, owner: 'police', dueAt, decisionCritical: true },
      { actionId: completed, owner: 'police', dueAt, decisionCritical: false },
    ] } });
    const newDue = await futureDays(context.env, 20);
    const change = { type: 'changeDueDate', clockKey: `actionPlan.item:${moved}`, dueAt: newDue, approverId: ds.id } as const;
    expect((await kase.refused(ds, change, { namedRanks: { [ds.id]: 'DS' } })).message).toMatch(/someone else to approve/);
    expect((await kase.refused(officer, { ...change, approverId: officer.id + 'x' }, { namedRanks: { [officer.id + 'x']: 'DC' } })).message).toMatch(/approved by a police DS or a DCP/);
    await kase.send(officer, change, { namedRanks: { [ds.id]: 'DS' } });
    await context.env.sleep(DAY);
    await kase.send(officer, { type: 'completeAction', actionId: completed });

    await context.env.sleep(40 * DAY);
    expect(firedFor(kase, `actionPlan.item:${completed}`)).toEqual([]);
    expectFired(kase, `actionPlan.item:${moved}`, expectedSteps(policy.clocks['actionPlan.item'], newDue, ['officer'], newDue));
  });

  it('stops the climb when an escalation is acknowledged', async () => {
    const kase = await TestCase.start(context.env);
    const key = `victim.routineUpdate:${kase.registration.caseId}`;
    expect((await kase.refused(ds, { type: 'acknowledgeEscalation', clockKey: key }, { withoutDocument: true })).message).toMatch(/not escalated/);
    const laddered = await TestCase.start(context.env, { policy: { ...policy, clocks: { ...policy.clocks, 'victim.routineUpdate': { due: 'P28D', ladder: [{ after: 'P0D', to: 'police:DS' }, { after: 'P7D', to: 'police:DI' }, { after: 'P14D', to: 'police:DCI' }] } } } });
    const ladderKey = `victim.routineUpdate:${laddered.registration.caseId}`;
    await context.env.sleep(29 * DAY);
    expect(firedFor(laddered, ladderKey).map((f) => f.to)).toEqual([['police:DS']]);
    await laddered.send(ds, { type: 'acknowledgeEscalation', clockKey: ladderKey }, { withoutDocument: true });
    await context.env.sleep(30 * DAY);
    expect(firedFor(laddered, ladderKey).map((f) => f.to)).toEqual([['police:DS']]);
    const clock = (await laddered.view()).clocks.find((c) => c.key === ladderKey);
    expect(clock).toMatchObject({ acknowledged: { by: ds.id }, overdue: true });
    expect(clock?.nextStepAt).toBeUndefined();
    expect(firedFor(kase, key).length).toBeGreaterThan(0);
  });

  it("counts a force's working days over its own local closures, never another force's", async () => {
    const startedAt = new Date(await context.env.currentTimeMs()).toISOString();
    // Force A closes the first working day after the report, force B the third: each closure would move the other
    // force's two-working-day clock, were it counted there.
    const workingDays: string[] = [];
    for (let day = DateTime.fromISO(startedAt, { zone: policy.timezone }); workingDays.length < 3;) {
      day = day.plus({ days: 1 });
      if (day.weekday <= 5 && !policy.nonWorkingDays.includes(day.toISODate()!)) workingDays.push(day.toISODate()!);
    }
    const closes = (name: string, day: string) => policyFile({ name, extends: 'region', nonWorkingDays: { extra: [day] } });
    const policies = loadRegionPolicies(undefined, new Map([['force-a', closes('force-a', workingDays[0])], ['force-b', closes('force-b', workingDays[2])]]));
    const [forceA, forceB] = [policies.forForce('force-a'), policies.forForce('force-b')];
    const [inA, inB] = [await TestCase.start(context.env, { policy: forceA }), await TestCase.start(context.env, { policy: forceB })];
    await context.env.sleep(10 * DAY);

    const clock = policy.clocks['victim.supportReferral'];
    const [expectedA, expectedB] = [expectedSteps(clock, inA.registration.reportedAt, ['officer'], undefined, forceA), expectedSteps(clock, inB.registration.reportedAt, ['officer'], undefined, forceB)];
    // Due on the third working day in force A (its closure skipped), on the second in force B.
    expect([expectedA, expectedB].map((steps) => DateTime.fromMillis(steps[0].at, { zone: policy.timezone }).toISODate())).toEqual([workingDays[2], workingDays[1]]);
    expect(Date.parse((await inB.view()).clocks.find((c) => c.name === 'victim.supportReferral')!.dueAt)).toBe(expectedB[0].at);
    expect(Date.parse((await inA.view()).clocks.find((c) => c.name === 'victim.supportReferral')!.dueAt)).toBe(expectedA[0].at);
    expectFired(inA, `victim.supportReferral:${inA.registration.caseId}`, expectedA);
    expectFired(inB, `victim.supportReferral:${inB.registration.caseId}`, expectedB);
    expect([(await inA.view()).policyVersion, (await inB.view()).policyVersion]).toEqual([forceA.version, forceB.version]);
  });

  it('runs the Right to Review clocks after a police NFA, and refuses the police scheme after a withdrawal', async () => {
    const kase = await TestCase.start(context.env);
    await kase.send(ds, { type: 'recordPoliceNfa', outcomeCode: 15 });
    await kase.send(officer, { type: 'recordVictimContact', kind: 'nfa-notification' });
    const reviewId = randomUUID();
    const requestedAt = new Date(await context.env.currentTimeMs()).toISOString();
    expect((await kase.refused(officer, { type: 'requestVictimReview', reviewId, scheme: 'cps' })).message).toMatch(/police decision/);
    expect((await kase.send(officer, { type: 'requestVictimReview', reviewId, scheme: 'police' })).stage).toBe('vrr-review');
    await context.env.sleep(50 * DAY);
    expectFired(kase, `vrr.police.acknowledge:${reviewId}`, expectedSteps(policy.clocks['vrr.police.acknowledge'], requestedAt, ['officer']));
    expectFired(kase, `vrr.police.decision:${reviewId}`, expectedSteps(policy.clocks['vrr.police.decision'], requestedAt, ['officer']));
    expect((await kase.refused(ds, { type: 'decideVictimReview', reviewId, outcome: 'overturned' })).message).toMatch(/DI or above/);
    expect((await kase.send(di, { type: 'decideVictimReview', reviewId, outcome: 'overturned' })).stage).toBe('investigating');

    const withdrawn = await TestCase.start(context.env);
    await withdrawn.send(officer, { type: 'recordVictimWithdrawal' });
    await withdrawn.send(ds, { type: 'reviewVictimWithdrawal', decision: 'nfa' });
    expect((await withdrawn.refused(officer, { type: 'requestVictimReview', reviewId: randomUUID(), scheme: 'police' })).message).toMatch(/outcome 16/);
  });
});
