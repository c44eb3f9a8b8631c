import { EA_REJECTION_REASONS, FILE_RETURN_REASONS, NFS_CHECKLIST, type CaseStage } from '../../workflows/contracts';
import { OPEN_STAGES } from '../../workflows/pipeline/state';
import type { Draw } from './draw';
import { DAY, HOUR, instant, MINUTE, type WorkingTime } from './working-time';

/** The people who act on synthetic cases, by directory email (or id). */
export interface CasePeople {
  officers: string[];
  ds: string;
  di: string;
  /** Authorises bail to 9 months; without one, bail ends in release under investigation at 6 months. */
  superintendent?: string;
  dcp: string;
  prosecutor: string;
}

/** Synthetic free text: short, plainly invented, naming nobody. */
const TEXT = {
  referral: 'Synthetic: referred to the ISVA service and to Victim Support.',
  routine: 'Synthetic: updated on progress; support needs unchanged.',
  bail: "Synthetic: told of the suspect's release on bail and its conditions.",
  rui: 'Synthetic: told the suspect was released under investigation.',
  charged: 'Synthetic: told of the charge and of the first hearing.',
  nfaNotice: 'Synthetic: told of the decision, its reasons and the Right to Review.',
  bailConditions: 'Synthetic: not to contact the victim directly or indirectly; not to enter the victim\u2019s town.',
  advice: 'Synthetic advice: the lines of inquiry below are needed before a charging decision; no further third-party material.',
  adviceOnly: 'Synthetic advice: the investigation may proceed to a charging file on the material described.',
  grounds: {
    charge: 'Synthetic: both stages of the Full Code Test are met.',
    nfa: 'Synthetic: the evidential stage is not met; discussed with the investigator at the pre-NFA meeting.',
    plan: 'Synthetic: a decision needs the further material in the action plan.',
  },
};
const EA_SUMMARIES = [
  'Synthetic summary: reported days after the event; the suspect is known to the victim and denies it in interview.',
  'Synthetic summary: reported the next morning; the suspect gave a no-comment interview; first-account witness identified.',
  'Synthetic summary: historic report; the suspect is a family member; the victim gave an ABE interview.',
  'Synthetic summary: met the suspect on a night out; intoxication and consent are in issue; CCTV requested.',
];
const LINES_OF_INQUIRY = ['Phone download requested, results due in 14 days', 'CCTV from the venue requested', 'Forensic results awaited from the SARC', 'First-account witness to be interviewed'];
const ISSUES = ['Consent disputed', 'Delay in reporting', 'Intoxication of the victim', 'Identification'];
const QUESTIONS = ['Is the phone download needed before a charging request?', 'Is the counselling material relevant and proportionate to seek?', 'Is the first-account evidence admissible?'];
const POLICE_ACTIONS = [
  "Obtain and review the download of the suspect's phone", 'Obtain CCTV from the venue and the taxi firm', 'Take a statement from the first-account witness',
  'Obtain the forensic results from the SARC examination', 'Trace and interview the taxi driver', 'Re-interview the suspect on the new material', 'Obtain the 999 call recording',
];
const CPS_ACTIONS = ['Confirm the disclosure strategy', 'Advise on the relevance of the counselling notes', 'Review the bad character application'];
const WITHDRAWAL_REASONS = ['Synthetic: the victim no longer wishes to support a prosecution.', 'Synthetic: the victim wants to move on and withdrew her statement.', 'Synthetic: the victim fears the court process.'];
const NFA_RATIONALE: Record<number, string> = {
  10: 'Synthetic: formal action is not in the public interest on the facts recorded.',
  12: 'Synthetic: the named suspect is too ill to be prosecuted; medical evidence on file.',
  13: 'Synthetic: a key witness has died; the remaining evidence cannot support a prosecution.',
  14: 'Synthetic: the victim declined to support action to identify the suspect.',
  15: 'Synthetic: the download and CCTV do not corroborate the account; evidential difficulties.',
  16: 'Synthetic: the victim does not support further action; an evidence-led case was considered.',
};
const REPORTS = [
  "Synthetic MG3: the victim's ABE account, the first-account witness, the phone download and the CCTV.",
  'Synthetic MG3: the admissions in interview and the forensic results.',
  "Synthetic MG3: the victim's account, the messages sent the next day and the SARC findings.",
];
const CHECKLIST = Object.fromEntries(NFS_CHECKLIST.map((item) => [item, true]));

/** Outcome codes of a DS's police NFA (Home Office): evidential difficulties (15) most often. */
const POLICE_NFA_CODES: [number, number][] = [[15, 52], [16, 20], [14, 10], [10, 8], [12, 5], [13, 5]];
/** Part-way through an action plan: the evidence fell short, or it is not in the public interest. */
const MID_PLAN_NFA_CODES: [number, number][] = [[15, 75], [14, 10], [10, 15]];

/** A case's Home Office outcome code, and whose decision it was. */
export interface Outcome { code: number; by: 'cps' | 'police' | 'withdrawal' }

interface Planned { at: number; order: number; event: Record<string, unknown>; after?: { stage: CaseStage; outcome?: Outcome } }

/** How a run of the pipeline ended: a decision at `at`, or (no `ending`) carrying on from `at`. */
type Ending = { at: number; ending: 'charged' | 'police-nfa' | 'cps-nfa' | 'withdrawal' | 'admin-finalised' };
type Step = Ending | { at: number; ending?: undefined };

interface DraftPlan { ref: string; actions: { ref: string; description: string; owner: 'police' | 'cps'; dueAt: number; decisionCritical: boolean }[] }

/** What a case's history came to by the file's end. */
export interface JourneyEnd {
  events: Record<string, unknown>[];
  stage: CaseStage;
  outcome?: Outcome;
  bail: boolean;
  rui: boolean;
}

/**
 * One synthetic case's history, drawn step by step the way the pipeline's rules allow it (each step at a time after
 * the one it follows), then cut at the file's end: a case reported recently is caught part-way, at whatever stage
 * its steps so far put it. Beside the pipeline run the victim's routine updates (while the case is open), and each
 * suspect's bail or release under investigation (until the case is decided).
 */
export class Journey {
  private readonly planned: Planned[] = [];
  private order = 0;
  private readonly counters = new Map<string, number>();
  private stage: CaseStage = 'investigating';
  private outcome?: Outcome;
  private openSince?: number;
  private readonly openSpans: [number, number][] = [];
  /** When the case was first decided (charge, NFA, finalisation): bail and release under investigation end there. */
  private decidedAt = Infinity;
  reopened = false;
  reviewed = false;
  /** Action plans the CPS set on full code files: from the second on, a DCP reviews each. */
  plansAfterFile = 0;
  /** Actions of the case's plans not yet done, by reference. */
  readonly openActions = new Map<string, { owner: 'police' | 'cps'; decisionCritical: boolean }>();

  constructor(
    readonly draw: Draw, readonly time: WorkingTime, readonly people: CasePeople, readonly officer: string,
    readonly reportedAt: number, readonly suspects: number,
  ) {
    this.openSince = reportedAt;
  }

  /** The file's own name for something the case creates: `ea1`, `file2`. */
  ref(kind: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}${n}`;
  }

  /** A step of the pipeline, moving the case to `stage` if given (`outcomeCode` null clears it). */
  step(at: number, type: string, by: string, fields: Record<string, unknown> = {}, stage?: CaseStage, outcomeCode?: number | null): void {
    if (stage) {
      const open = OPEN_STAGES.includes(stage) || stage === 'victim-disengaging';
      if (!open && this.openSince !== undefined) {
        this.openSpans.push([this.openSince, at]);
        this.openSince = undefined;
        this.decidedAt = Math.min(this.decidedAt, at);
      } else if (open && this.openSince === undefined) {
        this.openSince = at;
      }
      this.stage = stage;
      if (outcomeCode === null) this.outcome = undefined;
      else if (outcomeCode !== undefined) this.outcome = { code: outcomeCode, by: type === 'decision.made' ? 'cps' : type === 'police-nfa.recorded' ? 'police' : 'withdrawal' };
    }
    this.planned.push({ at, order: this.order++, event: { type, at: instant(at), by, ...fields }, after: stage ? { stage, outcome: this.outcome } : undefined });
  }

  /** An action of a plan done, by its owner's side: the officer or the prosecutor. */
  completeAction(at: number, ref: string): void {
    const action = this.openActions.get(ref)!;
    this.step(at, 'action.completed', action.owner === 'police' ? this.officer : this.people.prosecutor, { action: ref, note: 'Synthetic: done and the result recorded on the file.' });
    this.openActions.delete(ref);
  }

  get currentStage(): CaseStage {
    return this.stage;
  }

  get outcomeCode(): number | undefined {
    return this.outcome?.code;
  }

  /** The history up to `until`, in time order, and the stage it leaves the case at. */
  finish(until: number): JourneyEnd {
    if (this.openSince !== undefined) this.openSpans.push([this.openSince, Infinity]);
    this.routineUpdates(until);
    for (let suspect = 1; suspect <= this.suspects; suspect += 1) this.custody(suspect, until);
    const kept = this.planned.filter((p) => p.at <= until).sort((a, b) => a.at - b.at || a.order - b.order);
    const last = kept.findLast((p) => p.after)?.after;
    const events = kept.map((p) => p.event);
    return { events, stage: last?.stage ?? 'investigating', outcome: last?.outcome, bail: events.some((e) => e.type === 'bail.started'), rui: events.some((e) => e.type === 'rui.recorded') };
  }

  /** Victims' Code Right 6: an update about every 28 days while the case is open, now and then late. */
  private routineUpdates(until: number): void {
    for (const [from, to] of this.openSpans) {
      const end = Math.min(to, until) - HOUR;
      for (let at = this.time.after(from, 18, 29); at < end; at = this.draw.chance(0.93) ? this.time.after(at, 18, 29) : this.time.after(at, 30, 50)) {
        this.step(at, 'victim.contacted', this.officer, { kind: 'routine-update', note: TEXT.routine });
      }
    }
  }

  /** The victim told of a key event within a working day (Victims' Code Right 6), if before `end`. */
  private keyEventUpdate(after: number, end: number, note: string): void {
    const at = this.time.within(after, '1wd', 0.9);
    if (at < end) this.step(at, 'victim.contacted', this.officer, { kind: 'key-event-update', note });
  }

  /**
   * A suspect arrested within three weeks of the report and bailed or released under investigation, or not arrested.
   * Bail runs 3 months from its start, extended before it expires by a DI to 6 and a Superintendent to 9, then by a
   * magistrates' court to 12 (on an application made in time), else the suspect is released under investigation as
   * it runs out. Nothing of it after the case is decided.
   */
  private custody(suspect: number, until: number): void {
    const { draw, time, people } = this;
    const end = Math.min(this.decidedAt, until) - HOUR;
    const arrest = time.after(this.reportedAt, 0, 21);
    const kind = draw.weighted<'bail' | 'rui' | 'none'>([['bail', 45], ['rui', 40], ['none', 15]]);
    const recorded = arrest + draw.int(30, 480) * MINUTE;
    if (kind === 'none' || recorded >= end) return;
    const releaseUnderInvestigation = (at: number) => {
      this.step(at, 'rui.recorded', this.officer, { suspect });
      this.keyEventUpdate(at, end, TEXT.rui);
    };
    if (kind === 'rui') return releaseUnderInvestigation(recorded);
    this.step(recorded, 'bail.started', this.officer, { suspect, startedAt: instant(arrest), authorisedBy: people.ds, conditions: TEXT.bailConditions });
    this.keyEventUpdate(recorded, end, TEXT.bail);
    let limit = 3;
    let expires = time.plus(arrest, 'P3M');
    let last = recorded;
    while (expires < end) {
      const authoriser = limit === 3 ? people.di : limit === 6 ? people.superintendent : undefined;
      if (authoriser && draw.chance(limit === 3 ? 0.75 : 0.5)) {
        last = time.between(Math.max(last, expires - 20 * DAY), expires - 2 * DAY);
        if (last >= end) break;
        this.step(last, 'bail.extended', this.officer, { suspect, authorisedBy: authoriser });
        limit += 3;
        expires = time.plus(arrest, `P${limit}M`);
      } else if (limit === 9 && draw.chance(0.3)) {
        // Beyond 9 months only a magistrates' court extends bail, on an application made before it expires.
        const applied = time.between(Math.max(last, expires - 30 * DAY), expires - 15 * DAY);
        last = time.between(applied, expires - DAY);
        if (applied >= end) break;
        this.step(applied, 'bail.court-application', this.officer, { suspect, extendTo: 'P12M' });
        if (last >= end) break;
        limit = 12;
        expires = time.plus(arrest, 'P12M');
        this.step(last, 'bail.court-decision', this.officer, { suspect, decision: 'granted', until: instant(expires) });
      } else {
        const released = time.between(Math.max(last, expires - 4 * DAY), expires - HOUR);
        if (released < end) releaseUnderInvestigation(released);
        break;
      }
    }
  }
}

/**
 * The case's pipeline from its report: the support referral, then Early Advice (sought, not sought, or not recorded),
 * action plans, charging files and decisions, police NFA or the victim's withdrawal, and what follows a decision.
 */
export function caseJourney(j: Journey): void {
  let at = j.time.within(j.reportedAt, '2wd', 0.9);
  j.step(at, 'victim.contacted', j.officer, { kind: 'support-referral', note: TEXT.referral });
  if (j.draw.chance(0.12)) {
    const withdrawn = withdrawal(j, j.time.after(at, 4, 60), 0.75);
    if (withdrawn.ending) return conclude(j, withdrawn);
    at = withdrawn.at;
  }
  const route = j.draw.weighted([['early-advice', 62], ['not-sought', 20], ['neither', 18]]);
  if (route === 'not-sought') {
    at = j.time.after(at, 1, 9);
    j.step(at, 'early-advice.not-sought', j.people.ds, { reason: 'Synthetic: the suspect admitted the offence in interview; advice is not needed.' });
  }
  if (route === 'early-advice') {
    const advised = earlyAdvice(j, at);
    if (advised.plan) {
      const planned = followPlan(j, advised.at, advised.plan);
      return conclude(j, planned.ending ? planned : charging(j, j.time.after(planned.at, 7, 45)));
    }
    at = advised.at;
  }
  // Investigating without a plan: months on, the victim withdraws, or a police NFA, or a charging file.
  if (j.draw.chance(0.08)) {
    const withdrawn = withdrawal(j, j.time.after(at, 14, 120), 0.85);
    if (withdrawn.ending) return conclude(j, withdrawn);
    at = withdrawn.at;
  }
  if (j.draw.chance(0.45)) return conclude(j, policeNfa(j, j.time.after(at, 20, 300), POLICE_NFA_CODES));
  return conclude(j, charging(j, j.time.after(at, 30, 240)));
}

/** The victim withdraws support; the DS decides within two weeks: NFA as outcome 16, or the case carries on. */
function withdrawal(j: Journey, at: number, nfaShare: number): Step {
  const before = j.currentStage;
  j.step(at, 'victim.withdrew', j.officer, { reason: j.draw.pick(WITHDRAWAL_REASONS) }, 'victim-disengaging');
  const reviewed = j.time.after(at, 1, 14);
  if (j.draw.chance(nfaShare)) {
    j.step(reviewed, 'victim.withdrawal-reviewed', j.people.ds, { decision: 'nfa', rationale: NFA_RATIONALE[16] }, 'nfa-confirmed', 16);
    return { at: reviewed, ending: 'withdrawal' };
  }
  const decision = j.draw.chance(0.6) ? 're-engaged' : 'evidence-led';
  j.step(reviewed, 'victim.withdrawal-reviewed', j.people.ds, { decision, rationale: `Synthetic: ${decision === 're-engaged' ? 'the victim re-engaged after ISVA support' : 'an evidence-led case is viable on the 999 call and the injuries'}.` }, before);
  return { at: reviewed };
}

function policeNfa(j: Journey, at: number, codes: [number, number][]): Ending {
  const outcomeCode = j.draw.weighted(codes);
  j.step(at, 'police-nfa.recorded', j.people.ds, { outcomeCode, rationale: NFA_RATIONALE[outcomeCode] }, 'nfa-confirmed', outcomeCode);
  return { at, ending: 'police-nfa' };
}

/**
 * Early Advice: requested by the DS (straight to CPS triage) or by the officer (the DS endorses it), triaged within
 * two working days mostly; a rejection is appealed by the DI or answered with a fresh request. The advice comes in
 * about three weeks, mostly with an action plan.
 */
function earlyAdvice(j: Journey, from: number): { at: number; plan?: DraftPlan } {
  const { ds, di, dcp, prosecutor } = j.people;
  const request = () => ({ summary: j.draw.pick(EA_SUMMARIES), linesOfInquiry: [j.draw.pick(LINES_OF_INQUIRY)], issues: [j.draw.pick(ISSUES)], questions: [j.draw.pick(QUESTIONS)] });
  let at = j.time.after(from, 14, 120);
  let ref = j.ref('ea');
  const bySupervisor = j.draw.chance(0.55);
  j.step(at, 'early-advice.requested', bySupervisor ? ds : j.officer, { ref, ...request() }, bySupervisor ? 'ea-triage' : 'ea-requested');
  if (!bySupervisor) {
    at = j.time.after(at, 0.1, 10);
    j.step(at, 'early-advice.endorsed', ds, { request: ref }, 'ea-triage');
  }
  at = j.time.within(at, '2wd', 0.85);
  if (j.draw.chance(0.1)) {
    j.step(at, 'early-advice.triaged', dcp, { request: ref, decision: 'reject', reasons: [j.draw.pick(EA_REJECTION_REASONS)] }, 'investigating');
    if (j.draw.chance(0.5)) {
      at = j.time.after(at, 1, 12);
      j.step(at, 'early-advice.appealed', di, { request: ref, reason: 'Synthetic: the material the CPS asked for was supplied with the request.' }, 'ea-triage');
    } else {
      at = j.time.after(at, 10, 40);
      ref = j.ref('ea');
      j.step(at, 'early-advice.requested', ds, { ref, ...request() }, 'ea-triage');
    }
    at = j.time.within(at, '2wd', 0.85);
  }
  j.step(at, 'early-advice.triaged', dcp, { request: ref, decision: 'accept', prosecutorId: prosecutor }, 'ea-in-progress');
  at = j.time.after(at, 4, 40);
  if (!j.draw.chance(0.85)) {
    j.step(at, 'early-advice.given', prosecutor, { request: ref, advice: TEXT.adviceOnly }, 'investigating');
    return { at };
  }
  const plan = draftPlan(j, at);
  j.step(at, 'early-advice.given', prosecutor, { request: ref, ref: plan.ref, advice: TEXT.advice, actionPlan: planField(plan) }, 'action-plan-open');
  return { at, plan };
}

/** One to four actions, mostly the police's and decision-critical, each due on a working day 3 to 17 weeks on. */
function draftPlan(j: Journey, at: number): DraftPlan {
  const ref = j.ref('plan');
  const count = j.draw.weighted([[1, 20], [2, 35], [3, 30], [4, 15]]);
  const actions = Array.from({ length: count }, () => {
    const owner = j.draw.chance(0.82) ? 'police' as const : 'cps' as const;
    return {
      ref: j.ref('action'), owner, description: j.draw.pick(owner === 'police' ? POLICE_ACTIONS : CPS_ACTIONS),
      dueAt: j.time.agreedDate(at, 21, 120), decisionCritical: j.draw.chance(owner === 'police' ? 0.8 : 0.3),
    };
  });
  for (const action of actions) j.openActions.set(action.ref, action);
  return { ref, actions };
}

const planField = (plan: DraftPlan) => ({ actions: plan.actions.map((a) => ({ ref: a.ref, description: a.description, owner: a.owner, dueAt: instant(a.dueAt), decisionCritical: a.decisionCritical })) });

/**
 * The work on a plan: its actions done (a few re-dated first, a quarter late) and the plan reviewed, so the file is
 * built; or the work stops short, at a police NFA or the victim's withdrawal, or never gets done and the DCP
 * administratively finalises the case weeks after the last due date.
 */
function followPlan(j: Journey, plannedAt: number, plan: DraftPlan): Step {
  const lastDue = Math.max(...plan.actions.map((a) => a.dueAt));
  const fate = j.draw.weighted([['completed', 74], ['stalled', 9], ['police-nfa', 10], ['withdrawal', 7]]);
  const stop = fate === 'stalled' ? j.time.after(lastDue, 28, 56) : fate === 'completed' ? Infinity : j.time.between(plannedAt + DAY, lastDue + 30 * DAY);
  let finished = plannedAt;
  for (const action of plan.actions) {
    // Stalled: the police's decision-critical work is never done. Completed: a non-critical action may be left.
    if (fate === 'stalled' && ((action.owner === 'police' && action.decisionCritical) || j.draw.chance(0.6))) continue;
    if (fate === 'completed' && !action.decisionCritical && j.draw.chance(0.1)) continue;
    let due = action.dueAt;
    let since = plannedAt;
    if (action.owner === 'police' && j.draw.chance(0.12)) {
      const redated = j.time.between(Math.max(since, due - 7 * DAY), due);
      if (redated >= stop) continue;
      due = j.time.agreedDate(due, 14, 42);
      since = redated;
      j.step(redated, 'action.re-dated', j.officer, { action: action.ref, dueAt: instant(due), reason: 'Synthetic: the laboratory needs more time.', approverId: j.people.ds });
    }
    const done = j.draw.chance(0.75) ? j.time.between(since, due) : j.time.after(due, 1, 45);
    if (done >= stop) continue;
    j.completeAction(done, action.ref);
    finished = Math.max(finished, done);
  }
  switch (fate) {
    case 'completed': {
      const at = j.time.after(finished, 1, 21);
      j.step(at, 'action-plan.reviewed', j.people.prosecutor, { plan: plan.ref, outcome: 'ready-to-submit', note: 'Synthetic: the plan is complete; submit the file.' }, 'file-build');
      return { at };
    }
    case 'stalled':
      j.step(stop, 'case.admin-finalised', j.people.dcp, { reason: 'Synthetic: the action plan went unanswered for weeks after its last due date.' }, 'admin-finalised');
      return { at: stop, ending: 'admin-finalised' };
    case 'police-nfa':
      return policeNfa(j, stop, MID_PLAN_NFA_CODES);
    default:
      return withdrawal(j, stop, 1);
  }
}

/**
 * A full code file: the DS approves it (or returns it to be resubmitted), the DCP accepts it for a prosecutor (or
 * returns it), who decides within one to eight weeks: a charge, an NFA after the pre-NFA meeting, or a further action plan
 * (a second one after a full code file with a DCP's review), after which a new file goes in.
 */
function charging(j: Journey, from: number): Ending {
  const { ds, dcp, prosecutor } = j.people;
  let at = from;
  // Police work an earlier plan left undone (a case reopened, an NFA overturned) is done before a file can go in.
  for (const [ref, action] of j.openActions) {
    if (action.owner !== 'police' || !action.decisionCritical) continue;
    j.completeAction(at, ref);
    at = j.time.after(at, 1, 21);
  }
  for (let attempt = 1; ; attempt += 1) {
    const submission = j.ref('file');
    j.step(at, 'file.submitted', j.officer, {
      ref: submission, test: 'full-code', category: j.draw.chance(0.8) ? 'green' : 'green-priority', checklist: CHECKLIST, report: j.draw.pick(REPORTS),
    }, 'file-build');
    at = j.time.after(at, 0.1, 10);
    if (attempt < 3 && j.draw.chance(0.13)) {
      j.step(at, 'file.returned', ds, { submission, reasons: [j.draw.pick(FILE_RETURN_REASONS)], note: 'Synthetic: see the reasons; resubmit when done.' });
      at = j.time.after(at, 5, 28);
      continue;
    }
    j.step(at, 'file.approved', ds, { submission }, 'charging-submitted');
    at = j.time.after(at, 0.2, 7);
    if (attempt < 3 && j.draw.chance(0.07)) {
      j.step(at, 'file.triaged', dcp, { submission, decision: 'return', reasons: [j.draw.pick(FILE_RETURN_REASONS)] }, 'file-build');
      at = j.time.after(at, 7, 35);
      continue;
    }
    j.step(at, 'file.triaged', dcp, { submission, decision: 'accept', prosecutorId: prosecutor }, 'cps-review');
    const accepted = at;
    at = j.time.after(at, 5, 60);
    const decision = j.draw.weighted(j.plansAfterFile < 2 ? [['charge', 36], ['nfa', 34], ['action-plan', 30]] : [['charge', 50], ['nfa', 50]]);
    if (decision === 'charge') {
      j.step(at, 'decision.made', prosecutor, { submission, decision, grounds: TEXT.grounds.charge }, 'charged', 1);
      return { at, ending: 'charged' };
    }
    if (decision === 'nfa') {
      const outcomeCode = j.draw.chance(0.8) ? 15 : 9;
      j.step(at, 'decision.made', prosecutor, { submission, decision, outcomeCode, grounds: TEXT.grounds.nfa, preNfaMeetingAt: instant(j.time.between(accepted, at)) }, 'nfa-confirmed', outcomeCode);
      return { at, ending: 'cps-nfa' };
    }
    const plan = draftPlan(j, at);
    j.step(at, 'decision.made', prosecutor, {
      submission, ref: plan.ref, decision, grounds: TEXT.grounds.plan, actionPlan: planField(plan), ...(j.plansAfterFile >= 1 ? { dcpReviewerId: dcp } : {}),
    }, 'action-plan-open');
    j.plansAfterFile += 1;
    const planned = followPlan(j, at, plan);
    return planned.ending ? planned : charging(j, j.time.after(planned.at, 7, 45));
  }
}

/**
 * After a decision. A charge: the victim told within a working day, the case closed later in about half. An NFA:
 * the victim told within a working day (mostly), then one in ten asks for a review (the police's or the CPS's scheme,
 * as the decision was), which mostly upholds it; else the DS closes most. An administrative finalisation: closed,
 * left, or reopened on new material.
 */
function conclude(j: Journey, end: Ending): void {
  const { ds, di, dcp } = j.people;
  if (end.ending === 'charged') {
    const told = j.time.within(end.at, '1wd', 0.92);
    j.step(told, 'victim.contacted', j.officer, { kind: 'key-event-update', note: TEXT.charged });
    if (j.draw.chance(0.45)) j.step(j.time.after(told, 14, 180), 'case.closed', ds, {}, 'closed');
    return;
  }
  if (end.ending === 'admin-finalised') {
    const next = j.draw.weighted([['closed', 35], ['reopened', 12], ['left', 53]]);
    if (next === 'closed') j.step(j.time.after(end.at, 7, 60), 'case.closed', dcp, {}, 'closed');
    if (next === 'reopened' && !j.reopened) {
      j.reopened = true;
      const at = j.time.after(end.at, 30, 240);
      j.step(at, 'case.reopened', ds, { ground: 'new-evidence', reason: 'Synthetic: a new witness came forward.' }, 'investigating', null);
      conclude(j, j.draw.chance(0.6) ? policeNfa(j, j.time.after(at, 20, 150), POLICE_NFA_CODES) : charging(j, j.time.after(at, 14, 120)));
    }
    return;
  }
  const told = j.time.within(end.at, '1wd', 0.88);
  j.step(told, 'victim.contacted', j.officer, { kind: 'nfa-notification', note: TEXT.nfaNotice });
  if (end.ending !== 'withdrawal' && j.outcomeCode !== 16 && !j.reviewed && j.draw.chance(0.1)) {
    j.reviewed = true;
    const scheme = end.ending === 'cps-nfa' ? 'cps' : 'police';
    const review = j.ref('review');
    const asked = j.time.after(told, 5, 70);
    j.step(asked, 'review.requested', j.officer, { ref: review, scheme, request: 'Synthetic: the victim asks for the decision not to charge to be reviewed.' }, 'vrr-review');
    let at = asked;
    if (scheme === 'police') {
      at = j.time.within(asked, '10wd', 0.9);
      j.step(at, 'review.acknowledged', ds, { review });
    }
    at = j.time.after(at, 5, 35);
    if (j.draw.chance(0.85)) {
      j.step(at, 'review.decided', scheme === 'police' ? di : dcp, { review, outcome: 'upheld', reasons: 'Synthetic: the decision was right on the material available.' }, 'closed');
      return;
    }
    j.step(at, 'review.decided', scheme === 'police' ? di : dcp, { review, outcome: 'overturned', reasons: 'Synthetic: the material supports a charging file.' }, 'investigating', null);
    conclude(j, scheme === 'police' && j.draw.chance(0.5) ? policeNfa(j, j.time.after(at, 20, 120), POLICE_NFA_CODES) : charging(j, j.time.after(at, 14, 60)));
    return;
  }
  if (j.draw.chance(0.72)) j.step(j.time.after(told, 3, 60), 'case.closed', ds, {}, 'closed');
}
