import { supersedePastSteps } from '../clocks/clock';
import { NFS_CHECKLIST } from '../contracts/commands';
import { openActionPlan, openDecisionCriticalActions } from './action-plans';
import { stopClinicFollowUps } from './clinic';
import type { DecisionContext, Handlers } from './decide';
import { armClock, disarmAll, disarmClock, find, invalid, moveTo, rankAtLeast, refuse, requireDocument, requireOrganisation, requireRank, requireStage } from './decide';
import { anyoneDetained, DETENTION_CLOCKS, endDetention } from './detention';
import type { CaseState } from './state';

const THRESHOLD_TEST_REVIEW = 'thresholdTest.review';

/** The CPS decision clocks a submission may run: hours while a suspect is detained (red), else the 28 days. */
function disarmDecisionClocks(state: CaseState, ctx: DecisionContext, submissionId: string): void {
  disarmClock(state, ctx, 'charging.decision', submissionId);
  disarmClock(state, ctx, DETENTION_CLOCKS.chargingDecision, submissionId);
}

/** Charging submission, gatekeeper, CPS triage and decision (domain.md §2.3, §2.5, S7–S13). */
export const chargingHandlers: Pick<Handlers, 'submitFile' | 'approveSubmission' | 'returnSubmission' | 'triageSubmission' | 'recordChargingDecision' | 'recordFullCodeTestReview'> = {
  submitFile(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Submitting a file for a charging decision');
    requireStage(state, ['investigating', 'action-plan-open', 'file-build'], 'Submitting a file for a charging decision');
    requireDocument(ctx, 'A charging submission (MG3)');
    if (state.submissions.some((s) => s.id === command.submissionId)) refuse('That submission already exists');
    if (state.submissions.some((s) => ['awaiting-gatekeeper', 'awaiting-triage', 'in-review'].includes(s.status))) refuse('A submission is already with the gatekeeper or the CPS');
    const outstanding = openDecisionCriticalActions(state, 'police');
    if (outstanding.length) refuse(`${outstanding.length} decision-critical police action(s) are still open`);
    if (command.test === 'threshold' && command.category !== 'red') invalid('A threshold test submission is for a suspect in custody: category red');
    if (command.test === 'full-code') {
      const missing = NFS_CHECKLIST.filter((item) => !command.checklist[item]);
      if (missing.length) invalid(`The National File Standard checklist is incomplete: ${missing.join(', ')}`);
    }
    state.submissions.push({ id: command.submissionId, test: command.test, category: command.category, status: 'awaiting-gatekeeper', submittedBy: ctx.input.actor.id });
    // The file the clinic found ready is in: its chase to submit ends.
    stopClinicFollowUps(state, ctx, ['clinic.submission']);
    moveTo(state, 'file-build');
    return {
      eventType: 'file-submitted', data: { submissionId: command.submissionId, test: command.test, category: command.category },
      notices: [{ purpose: 'gatekeeper', recipients: ['police:DS'], headline: 'A charging file awaits your gatekeeper review' }],
    };
  },

  approveSubmission(state, command, ctx) {
    const { actor } = ctx.input;
    requireOrganisation(actor, 'police', 'Gatekeeper approval');
    requireRank(actor, 'DS', 'Gatekeeper approval');
    requireStage(state, ['file-build'], 'Gatekeeper approval');
    const submission = find(state.submissions, command.submissionId, 'Submission');
    if (submission.status !== 'awaiting-gatekeeper') refuse('That submission is not awaiting the gatekeeper');
    if (submission.submittedBy === actor.id) refuse('The gatekeeper must not be the person who submitted the file');
    submission.status = 'awaiting-triage';
    submission.approvedBy = actor.id;
    state.referredToCps = true;
    // A red file for a suspect held in custody needs its decision within the detention: the hours-scale clock.
    const custodyDecision = submission.category === 'red' && anyoneDetained(state) && !!ctx.policy.clocks[DETENTION_CLOCKS.chargingDecision];
    armClock(state, ctx, custodyDecision ? DETENTION_CLOCKS.chargingDecision : 'charging.decision', submission.id);
    moveTo(state, 'charging-submitted');
    return {
      eventType: 'submission-approved', data: { submissionId: submission.id, category: submission.category },
      notices: [{ purpose: 'triage-file', recipients: ['cps:DCP'], headline: `A ${submission.category} charging file awaits CPS triage` }],
    };
  },

  returnSubmission(state, command, ctx) {
    const { actor } = ctx.input;
    requireOrganisation(actor, 'police', 'Returning a file to the officer');
    requireRank(actor, 'DS', 'Returning a file to the officer');
    requireStage(state, ['file-build'], 'Returning a file to the officer');
    const submission = find(state.submissions, command.submissionId, 'Submission');
    if (submission.status !== 'awaiting-gatekeeper') refuse('That submission is not awaiting the gatekeeper');
    if (!command.reasons?.length) invalid('Returning a file needs at least one reason');
    submission.status = 'returned';
    return {
      eventType: 'submission-returned', reason: command.reasons.join(', '), data: { submissionId: submission.id, by: 'police', reasons: command.reasons },
      notices: [{ purpose: 'file-returned', recipients: ['officer'], headline: 'Your supervisor returned the charging file' }],
    };
  },

  triageSubmission(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'cps', 'Triage of a charging file');
    // The reviewing prosecutor may also return the file during review.
    requireStage(state, command.decision === 'accept' ? ['charging-submitted'] : ['charging-submitted', 'cps-review'], 'Triage of a charging file');
    const submission = find(state.submissions, command.submissionId, 'Submission');
    if (command.decision === 'accept') {
      if (!command.prosecutorId) invalid('Accepting a file needs the reviewing prosecutor');
      submission.status = 'in-review';
      submission.prosecutorId = command.prosecutorId;
      moveTo(state, 'cps-review');
      return {
        eventType: 'submission-accepted', data: { submissionId: submission.id, prosecutorId: command.prosecutorId },
        notices: [{ purpose: 'review-file', recipients: [`person:${command.prosecutorId}`], headline: 'A charging file has been allocated to you for a decision' }],
      };
    }
    if (!command.reasons?.length) invalid('Returning a file needs at least one reason');
    submission.status = 'returned';
    disarmDecisionClocks(state, ctx, submission.id);
    moveTo(state, 'file-build');
    return {
      eventType: 'submission-returned', reason: command.reasons.join(', '), data: { submissionId: submission.id, by: 'cps', reasons: command.reasons },
      notices: [{ purpose: 'file-returned', recipients: ['officer', 'police:DS'], headline: 'The CPS returned the charging file' }],
    };
  },

  recordChargingDecision(state, command, ctx) {
    const { actor } = ctx.input;
    requireOrganisation(actor, 'cps', 'A charging decision');
    requireStage(state, ['cps-review'], 'A charging decision');
    requireDocument(ctx, 'A charging decision (MG3 decision and rationale)');
    const submission = find(state.submissions, command.submissionId, 'Submission');
    if (submission.status !== 'in-review') refuse('That submission is not under review');
    if (submission.prosecutorId !== actor.id && !rankAtLeast(actor.rank, 'DCP')) refuse('Only the reviewing prosecutor or a DCP may decide');
    if (command.decision === 'charge' && command.fullCodeReviewBy && Date.parse(command.fullCodeReviewBy) <= Date.parse(ctx.now)) invalid('The Full Code Test review date must be in the future');
    disarmDecisionClocks(state, ctx, submission.id);
    submission.status = 'decided';
    submission.decision = command.decision;
    const tellPolice = (headline: string) => [{ purpose: 'decision', recipients: ['officer', 'police:DS'], headline }];

    if (command.decision === 'charge') {
      state.outcomeCode = 1;
      disarmAll(state, ctx);
      // Victims' Code Right 6: the victim hears of the charge within one working day (added after cases were in flight).
      if (ctx.patched('key-event-update-on-charge')) armClock(state, ctx, 'victim.keyEventUpdate', ctx.registration.caseId);
      for (const detention of state.detention ?? []) endDetention(state, ctx, detention.suspectId, 'charge');
      // Code for Crown Prosecutors: a Threshold Test charge is reviewed under the Full Code Test as soon as reasonably
      // practicable, by the date set at charge (added after cases were in flight).
      if (submission.test === 'threshold' && ctx.policy.clocks[THRESHOLD_TEST_REVIEW] && ctx.patched('threshold-test-review')) {
        armClock(state, ctx, THRESHOLD_TEST_REVIEW, submission.id, command.fullCodeReviewBy);
        const clock = state.clocks.at(-1)!;
        supersedePastSteps(clock, ctx.now, ctx.policy);
        submission.fullCodeReview = { dueBy: clock.dueAt };
      }
      moveTo(state, 'charged');
      return { eventType: 'charge-authorised', data: { submissionId: submission.id, test: submission.test, outcomeCode: 1 }, notices: tellPolice('The CPS authorised a charge') };
    }
    if (command.decision === 'nfa') {
      if (!command.nfaGround) invalid('An NFA decision needs its ground: evidential or public-interest');
      // CPS response to the 2021 inspection: no CPS NFA in a rape case without a prior investigator–prosecutor meeting.
      if (ctx.registration.offence.penetrative && !command.preNfaMeetingAt) refuse('A CPS NFA in a rape case needs a recorded pre-NFA meeting with the investigator');
      if (command.preNfaMeetingAt && Date.parse(command.preNfaMeetingAt) > Date.parse(ctx.now)) invalid('The pre-NFA meeting must already have taken place');
      state.outcomeCode = command.nfaGround === 'public-interest' ? 9 : 15;
      disarmAll(state, ctx);
      state.nfaAt = ctx.now;
      armClock(state, ctx, 'nfa.victimNotification', submission.id);
      moveTo(state, 'nfa-confirmed');
      return {
        eventType: 'cps-nfa', reason: command.nfaGround, data: { submissionId: submission.id, outcomeCode: state.outcomeCode, preNfaMeetingAt: command.preNfaMeetingAt },
        notices: tellPolice('The CPS decided no further action: tell the victim within one working day'),
      };
    }
    if (!command.actionPlan) invalid('A further action plan needs its actions');
    const afterFullCode = submission.test === 'full-code';
    // Since March 2021 a DCP reviews every rape case with a second action plan after a full code submission.
    const earlierPlans = state.actionPlans.filter((p) => p.afterFullCodeSubmission).length;
    if (afterFullCode && earlierPlans >= 1) {
      if (!command.dcpReviewerId) refuse('A second action plan after a full code submission needs a recorded DCP review');
      const reviewerRank = ctx.input.namedRanks?.[command.dcpReviewerId];
      if (!reviewerRank || !rankAtLeast(reviewerRank, 'DCP')) refuse('The reviewer of a second action plan must be a DCP or above');
    }
    // The CPS decided on the file: a clinic's pre-NFA review or escalation is overtaken by the new plan.
    stopClinicFollowUps(state, ctx, ['clinic.nfaReview', 'clinic.escalation']);
    openActionPlan(state, ctx, command.actionPlan, 'charging-decision', afterFullCode);
    moveTo(state, 'action-plan-open');
    return {
      eventType: 'further-action-plan', data: { submissionId: submission.id, actionPlanId: command.actionPlan.planId, actions: command.actionPlan.actions.length, dcpReviewerId: command.dcpReviewerId },
      notices: tellPolice('The CPS set a further action plan before a decision'),
    };
  },

  recordFullCodeTestReview(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'cps', 'Recording the Full Code Test review');
    requireStage(state, ['charged'], 'Recording the Full Code Test review');
    const submission = find(state.submissions, command.submissionId, 'Submission');
    if (!submission.fullCodeReview || submission.fullCodeReview.reviewedAt) refuse('That charge awaits no Full Code Test review');
    requireDocument(ctx, 'The Full Code Test review');
    submission.fullCodeReview.reviewedAt = ctx.now;
    disarmClock(state, ctx, THRESHOLD_TEST_REVIEW, submission.id);
    return { eventType: 'full-code-test-review-recorded', data: { submissionId: submission.id, dueBy: submission.fullCodeReview.dueBy }, notices: [] };
  },
};
