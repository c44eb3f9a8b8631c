import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { actors, DAY, TestCase, withTimeSkippingWorker } from '../support/case-harness';

const { officer, ds, di, prosecutor, dcp } = actors;
const HOUR = 60 * 60 * 1000;
const MINUTE = 60_000;
const superintendent = randomUUID();
const acc = randomUUID();
const custodyOfficer = randomUUID();
const ranks = { [di.id]: 'DI', [ds.id]: 'DS', [superintendent]: 'Superintendent', [acc]: 'ACC' } as const;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const months = (iso: string, n: number) => DateTime.fromISO(iso, { zone: 'Europe/London' }).plus({ months: n }).toUTC().toISO()!;

/** The hours-scale statutory clocks (domain.md §4 T12, T16, T17, T27): each step on time, to the right people, once. */
describe('detention, Threshold Test review and court bail extension clocks (time skipping)', () => {
  const context = withTimeSkippingWorker();
  const { recorded } = context;
  const now = async () => new Date(await context.env.currentTimeMs()).toISOString();
  const fired = (kase: TestCase, clockKey: string) => recorded.notices
    .filter((n) => n.caseId === kase.registration.caseId && n.task?.clockKey === clockKey)
    .map((n) => ({ at: n.at, to: n.recipients, kind: n.task!.kind }));
  const expectSteps = (kase: TestCase, clockKey: string, expected: { at: string; to: string[]; kind: 'reminder' | 'escalation' }[]) => {
    const steps = fired(kase, clockKey);
    expect(steps.map(({ to, kind }) => ({ to, kind }))).toEqual(expected.map(({ to, kind }) => ({ to, kind })));
    steps.forEach((s, i) => expect(Math.abs(s.at - Date.parse(expected[i].at))).toBeLessThan(MINUTE));
  };
  const arrive = async (kase: TestCase, relevantTime: string) => {
    const suspectId = kase.registration.suspectPartyIds[0];
    await kase.send(officer, { type: 'recordArrivalInCustody', suspectId, relevantTime, custodyOfficerId: custodyOfficer }, { withoutDocument: true });
    return suspectId;
  };
  const custody = `person:${custodyOfficer}`;

  it('reviews detention at 6 hours and then every 9, and escalates the 24-hour limit unextended', async () => {
    const kase = await TestCase.start(context.env);
    const t0 = await now();
    const suspectId = await arrive(kase, t0);
    const view = await kase.view();
    expect(view.detention).toEqual([expect.objectContaining({ suspectId, relevantTime: t0, custodyOfficerId: custodyOfficer, limitAt: plus(t0, 24 * HOUR) })]);
    expect(view.clocks.find((c) => c.key === `custody.detention:${suspectId}`)).toMatchObject({ dueAt: plus(t0, 24 * HOUR), explanation: expect.stringMatching(/^PT24H from/) });

    await context.env.sleep(6.5 * HOUR);
    expectSteps(kase, `custody.firstReview:${suspectId}`, [
      { at: plus(t0, 5.5 * HOUR), to: [custody, 'police:DI'], kind: 'reminder' },
      { at: plus(t0, 6 * HOUR), to: [custody, 'police:DI'], kind: 'escalation' },
    ]);
    // The review is an inspector's, and not one directly involved in the investigation.
    expect((await kase.refused(officer, { type: 'recordDetentionReview', suspectId, reviewerId: ds.id }, { namedRanks: ranks })).message).toMatch(/Inspector/);
    expect((await kase.refused(officer, { type: 'recordDetentionReview', suspectId, reviewerId: officer.id }, { namedRanks: { [officer.id]: 'DI' } })).message).toMatch(/not be directly involved/);
    const reviewedAt = await now();
    await kase.send(officer, { type: 'recordDetentionReview', suspectId, reviewerId: di.id }, { namedRanks: ranks, withoutDocument: true });

    // An extension by an inspector is refused whatever the time.
    expect((await kase.refused(officer, { type: 'extendDetention', suspectId, authorisedById: di.id }, { namedRanks: ranks })).message).toMatch(/Superintendent or above/);

    await context.env.sleep(19.5 * HOUR); // to 26 hours
    expectSteps(kase, `custody.furtherReview:${suspectId}`, [
      { at: plus(reviewedAt, 8.5 * HOUR), to: [custody, 'police:DI'], kind: 'reminder' },
      { at: plus(reviewedAt, 9 * HOUR), to: [custody, 'police:DI'], kind: 'escalation' },
      { at: plus(reviewedAt, 10 * HOUR), to: ['police:Superintendent'], kind: 'escalation' },
    ]);
    expectSteps(kase, `custody.detention:${suspectId}`, [
      { at: plus(t0, 21 * HOUR), to: [custody, 'officer', 'police:Superintendent'], kind: 'reminder' },
      { at: plus(t0, 23 * HOUR), to: [custody, 'officer', 'police:Superintendent'], kind: 'reminder' },
      { at: plus(t0, 24 * HOUR), to: [custody, 'police:Superintendent'], kind: 'escalation' },
      { at: plus(t0, 25 * HOUR), to: ['police:ChiefSuperintendent'], kind: 'escalation' },
    ]);
    // Once the 24 hours have run out a superintendent can no longer extend them.
    expect((await kase.refused(officer, { type: 'extendDetention', suspectId, authorisedById: superintendent }, { namedRanks: ranks })).message).toMatch(/run out/);
  });

  it('extends to 36 hours by a superintendent, to 96 by a warrant, and a release on bail hands over to the bail clock', async () => {
    const kase = await TestCase.start(context.env);
    const t0 = await now();
    const suspectId = await arrive(kase, t0);
    await context.env.sleep(20 * HOUR);
    expect((await kase.refused(officer, { type: 'extendDetention', suspectId, authorisedById: superintendent }, { namedRanks: ranks, withoutDocument: true })).type).toBe('InvalidCommand'); // the grounds
    let view = await kase.send(officer, { type: 'extendDetention', suspectId, authorisedById: superintendent }, { namedRanks: ranks });
    expect(view.detention[0]).toMatchObject({ limitAt: plus(t0, 36 * HOUR), extension: { authorisedBy: superintendent } });
    expect(view.clocks.find((c) => c.key === `custody.detention:${suspectId}`)?.dueAt).toBe(plus(t0, 36 * HOUR));
    expect((await kase.refused(officer, { type: 'extendDetention', suspectId, authorisedById: superintendent }, { namedRanks: ranks })).message).toMatch(/court/);

    await context.env.sleep(14 * HOUR); // to 34 hours: the re-armed clock's first reminder (33 h) has fired, with the next authority a court
    expect(fired(kase, `custody.detention:${suspectId}`).map((s) => s.to)).toEqual([[custody, 'officer']]);
    expect((await kase.refused(officer, { type: 'recordWarrantOfFurtherDetention', suspectId, expiresAt: plus(t0, 97 * HOUR) })).message).toMatch(/96h from the relevant time/);
    view = await kase.send(officer, { type: 'recordWarrantOfFurtherDetention', suspectId, expiresAt: plus(t0, 96 * HOUR) }, { withoutDocument: true });
    expect(view.detention[0]).toMatchObject({ limitAt: plus(t0, 96 * HOUR), warrants: [expect.objectContaining({ expiresAt: plus(t0, 96 * HOUR) })] });
    expect(view.clocks.find((c) => c.key === `custody.detention:${suspectId}`)).toMatchObject({ dueAt: plus(t0, 96 * HOUR), explanation: expect.stringMatching(/warrant/) });

    await context.env.sleep(10 * HOUR);
    const releasedAt = await now();
    view = await kase.send(officer, { type: 'recordBail', suspectId, startedAt: releasedAt }, { withoutDocument: true });
    expect(view.detention[0].released).toMatchObject({ outcome: 'bail' });
    expect(view.clocks.filter((c) => c.name.startsWith('custody.'))).toEqual([]);
    expect(view.clocks.find((c) => c.key === `bail.expiry:${suspectId}`)?.dueAt).toBe(months(releasedAt, 3));
    const before = recorded.notices.filter((n) => n.caseId === kase.registration.caseId && n.task?.clockName?.startsWith('custody.')).length;
    await context.env.sleep(3 * DAY);
    expect(recorded.notices.filter((n) => n.caseId === kase.registration.caseId && n.task?.clockName?.startsWith('custody.')).length).toBe(before);
    await kase.saveHistory('detention-extended-warrant-bail');
  });

  it('a release with no further action stops the detention clocks and starts the victim update', async () => {
    const kase = await TestCase.start(context.env);
    const suspectId = await arrive(kase, plus(await now(), -2 * HOUR));
    const view = await kase.send(officer, { type: 'releaseWithNoFurtherAction', suspectId }, { withoutDocument: true });
    expect(view.detention[0].released?.outcome).toBe('nfa');
    expect(view.clocks.filter((c) => c.name.startsWith('custody.'))).toEqual([]);
    expect(view.clocks.map((c) => c.key)).toContain(`victim.keyEventUpdate:${kase.registration.caseId}`);
    expect((await kase.refused(officer, { type: 'releaseWithNoFurtherAction', suspectId })).message).toMatch(/not detained/);
  });

  it('decides a red file for a detained suspect on the custody clock, and reviews a Threshold Test charge weekly until the Full Code Test', async () => {
    const kase = await TestCase.start(context.env);
    await arrive(kase, await now());
    const submissionId = randomUUID();
    await kase.send(officer, { type: 'submitFile', submissionId, test: 'threshold', category: 'red', checklist: {} });
    const approvedAt = await now();
    let view = await kase.send(ds, { type: 'approveSubmission', submissionId }, { withoutDocument: true });
    expect(view.clocks.map((c) => c.key)).toContain(`custody.chargingDecision:${submissionId}`);
    expect(view.clocks.map((c) => c.key)).not.toContain(`charging.decision:${submissionId}`);
    await context.env.sleep(4 * HOUR);
    expectSteps(kase, `custody.chargingDecision:${submissionId}`, [
      { at: plus(approvedAt, 2 * HOUR), to: ['cps:DCP'], kind: 'reminder' },
      { at: plus(approvedAt, 3 * HOUR), to: ['cps:DCP'], kind: 'escalation' },
    ]);
    await kase.send(dcp, { type: 'triageSubmission', submissionId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    const reviewBy = plus(await now(), 30 * DAY);
    expect((await kase.refused(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'charge', fullCodeReviewBy: await now() })).type).toBe('InvalidCommand');
    view = await kase.send(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'charge', fullCodeReviewBy: reviewBy });
    expect(view.stage).toBe('charged');
    expect(view.detention[0].released?.outcome).toBe('charge');
    expect(view.submissions[0].fullCodeReview).toEqual({ dueBy: reviewBy });
    expect(view.clocks.find((c) => c.key === `thresholdTest.review:${submissionId}`)?.dueAt).toBe(reviewBy);

    await context.env.sleep(31 * DAY);
    expectSteps(kase, `thresholdTest.review:${submissionId}`, [
      { at: plus(reviewBy, -21 * DAY), to: ['prosecutor', 'officer'], kind: 'reminder' },
      { at: plus(reviewBy, -14 * DAY), to: ['prosecutor', 'officer'], kind: 'reminder' },
      { at: plus(reviewBy, -7 * DAY), to: ['prosecutor', 'officer'], kind: 'reminder' },
      { at: reviewBy, to: ['cps:DCP'], kind: 'escalation' },
    ]);
    expect((await kase.refused(officer, { type: 'recordFullCodeTestReview', submissionId })).message).toMatch(/CPS/);
    view = await kase.send(prosecutor, { type: 'recordFullCodeTestReview', submissionId });
    expect(view.submissions[0].fullCodeReview?.reviewedAt).toBeDefined();
    expect(view.clocks.map((c) => c.name)).not.toContain('thresholdTest.review');
    expect((await kase.refused(prosecutor, { type: 'recordFullCodeTestReview', submissionId })).message).toMatch(/awaits no Full Code Test review/);
    await kase.saveHistory('custody-threshold-charge-full-code-review');
  });

  it('runs the court application clock from 9 months, flags a late application and records the court extension', async () => {
    const kase = await TestCase.start(context.env);
    const suspectId = kase.registration.suspectPartyIds[0];
    const startedAt = await now();
    await kase.send(officer, { type: 'recordBail', suspectId, startedAt }, { withoutDocument: true });
    expect((await kase.refused(officer, { type: 'applyForCourtBailExtension', suspectId, extendTo: 'P12M' })).message).toMatch(/still be extended by the police/);
    await kase.send(officer, { type: 'extendBail', suspectId, authorisedById: di.id }, { namedRanks: ranks });
    const view = await kase.send(officer, { type: 'extendBail', suspectId, authorisedById: superintendent }, { namedRanks: ranks });
    const nineMonths = months(startedAt, 9);
    const prepareBy = DateTime.fromISO(nineMonths, { zone: 'Europe/London' }).minus({ days: 14 }).toUTC().toISO()!;
    expect(view.clocks.find((c) => c.key === `bail.courtExtension:${suspectId}`)?.dueAt).toBe(prepareBy);

    await context.env.sleep(Date.parse(prepareBy) + 2 * DAY - (await context.env.currentTimeMs()));
    expectSteps(kase, `bail.courtExtension:${suspectId}`, [
      { at: plus(prepareBy, -7 * DAY), to: ['officer', 'police:DS'], kind: 'reminder' },
      { at: prepareBy, to: ['police:DS'], kind: 'escalation' },
    ]);
    expect((await kase.refused(officer, { type: 'applyForCourtBailExtension', suspectId, extendTo: 'P18M' })).message).toMatch(/exceptionally complex/);
    const applied = await kase.send(officer, { type: 'applyForCourtBailExtension', suspectId, extendTo: 'P12M' }, { withoutDocument: true });
    expect(applied.custody[0].courtApplication).toMatchObject({ extendTo: 'P12M', late: true });
    expect(applied.clocks.map((c) => c.name)).not.toContain('bail.courtExtension');
    const late = recorded.transitions.find((t) => t.caseId === kase.registration.caseId && t.event.type === 'court-bail-extension-applied');
    expect(late?.event.reason).toBe('late');

    expect((await kase.refused(officer, { type: 'recordCourtBailDecision', suspectId, decision: 'granted', until: months(startedAt, 13) })).type).toBe('InvalidCommand');
    const twelve = months(startedAt, 12);
    const granted = await kase.send(officer, { type: 'recordCourtBailDecision', suspectId, decision: 'granted', until: twelve }, { withoutDocument: true });
    expect(granted.custody[0]).toMatchObject({ extensions: 3, expiresAt: twelve, courtApplication: { decision: 'granted' } });
    expect(granted.clocks.find((c) => c.key === `bail.expiry:${suspectId}`)?.dueAt).toBe(twelve);
    expect(granted.clocks.find((c) => c.key === `bail.courtExtension:${suspectId}`)?.dueAt).toBe(DateTime.fromISO(twelve, { zone: 'Europe/London' }).minus({ days: 14 }).toUTC().toISO());
    await kase.saveHistory('bail-court-extension-late');
  });

  it('takes a case designated exceptionally complex by an ACC to a court extension of 24 months, applied for in time', async () => {
    const kase = await TestCase.start(context.env);
    const suspectId = kase.registration.suspectPartyIds[0];
    const startedAt = await now();
    await kase.send(officer, { type: 'recordBail', suspectId, startedAt }, { withoutDocument: true });
    await kase.send(officer, { type: 'extendBail', suspectId, authorisedById: di.id }, { namedRanks: ranks });
    await kase.send(officer, { type: 'extendBail', suspectId, authorisedById: superintendent }, { namedRanks: ranks });
    const dppConsultedAt = await now();
    expect((await kase.refused(officer, { type: 'designateExceptionallyComplex', suspectId, authorisedById: superintendent, dppConsultedAt }, { namedRanks: ranks })).message).toMatch(/Commander or Assistant Chief Constable/);
    await kase.send(officer, { type: 'designateExceptionallyComplex', suspectId, authorisedById: acc, dppConsultedAt }, { namedRanks: ranks });
    const applied = await kase.send(officer, { type: 'applyForCourtBailExtension', suspectId, extendTo: 'P24M' }, { withoutDocument: true });
    expect(applied.custody[0].courtApplication).toMatchObject({ extendTo: 'P24M', late: false });
    expect((await kase.refused(officer, { type: 'recordCourtBailDecision', suspectId, decision: 'granted', until: months(startedAt, 25) })).type).toBe('InvalidCommand');
    const refused = await kase.send(officer, { type: 'recordCourtBailDecision', suspectId, decision: 'refused' }, { withoutDocument: true });
    expect(refused.custody[0].courtApplication?.decision).toBe('refused');
    expect(fired(kase, `bail.courtExtension:${suspectId}`)).toEqual([]);
  });
});
