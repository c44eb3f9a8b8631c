import { Injectable } from '@nestjs/common';
import { ApiError, type FieldProblem } from '../../../api/common/api-error';
import { ActionPlansService } from '../../../api/action-plans/action-plans.service';
import { hasRole, type Principal } from '../../../api/auth/principal';
import { CasesService } from '../../../api/cases/cases.service';
import { PeopleLookup } from '../../../api/people/people.lookup';
import type { AvailableCommand, CaseView, ClockView } from '../../../workflows/contracts';
import { type Body, fieldViews, type PeopleChoices } from '../../common/forms';
import { label } from '../../common/labels';
import { CASE_FORMS, type CaseForm, formRoles } from './case-forms';

/** A form as the case page offers it: a one-click button when it asks nothing, else a link to its own page. */
export interface OfferedForm {
  key: string;
  title: string;
  button: string;
  targetId?: string;
  /** What the item is, in words (`Action 2: …`, `Suspect 1`, `Bail expiry`). */
  about?: string;
  /** Its own page (a form with questions); absent for a one-click form. */
  href?: string;
}

/** What a refused form brings back: the person's answers and the problems. */
export interface FormState { form: Body; problems: FieldProblem[] }

type CaseDetail = Awaited<ReturnType<CasesService['get']>> & Partial<CaseView> & CasePeople & { availableActions?: AvailableCommand[] };

/**
 * The case page's content: the case (stage, who holds it, what it waits for), its clocks with how each due date was
 * computed, the action plans, the timeline, and what the viewer may do now (the commands the rules accept from
 * them). Every read goes through the API's own services, so access, restriction and audit are theirs; they run side
 * by side.
 */
@Injectable()
export class CasePage {
  constructor(private readonly cases: CasesService, private readonly actionPlans: ActionPlansService, private readonly people: PeopleLookup) {}

  async model(principal: Principal, caseId: string) {
    const [kase, timeline, plans] = await Promise.all([
      this.cases.get(principal, caseId, { actions: true }) as Promise<CaseDetail>, this.cases.timeline(principal, caseId), this.actionPlans.list(principal, caseId),
    ]);
    const actions = kase.availableActions ?? [];
    const names = await this.people.namesOf([kase.officerId, kase.prosecutorId, kase.holder?.personId, ...timeline.map((e) => e.actorId)]);
    const nameOf = (id?: string | null) => (id ? names.get(id)?.name ?? 'Someone no longer in the directory' : '');
    const about = describeTargets(kase, plans);
    const forms: OfferedForm[] = offeredForms(principal, actions).map(({ form, targetId }) => ({
      key: form.key, title: form.title, button: form.button, targetId, about: about(form, targetId),
      href: form.fields.length ? formHref(caseId, form.key, targetId) : undefined,
    }));
    const byTarget = (target: string) => forms.filter((f) => f.targetId === target);
    const suspects = kase.suspects ?? [];
    return {
      pageTitle: `Case ${kase.urn}`,
      kase,
      ...repeatSuspectOf(kase, principal),
      now: Date.now(),
      officerName: nameOf(kase.officerId),
      prosecutorName: nameOf(kase.prosecutorId),
      holderName: nameOf(kase.holder?.personId),
      clocks: (kase.clocks ?? []).slice().sort((a: ClockView, b: ClockView) => a.dueAt.localeCompare(b.dueAt)).map((clock) => ({ ...clock, forms: byTarget(clock.key) })),
      plans: plans.map((plan, p) => ({ ...plan, n: p + 1, forms: byTarget(plan.id), actions: plan.actions.map((a) => ({ ...a, forms: byTarget(a.id) })) })),
      suspects: suspects.map((s, i) => ({
        ...s, n: i + 1, custody: (kase.custody ?? []).find((c) => c.suspectId === s.id), detention: (kase.detention ?? []).findLast((d) => d.suspectId === s.id), forms: byTarget(s.id),
      })),
      // Forms about the case as a whole, or about an item shown only here (a request, a submission, a review).
      forms: forms.filter((f) => !f.targetId || !['clock', 'action', 'action-plan', 'suspect'].includes(CASE_FORMS.find((c) => c.key === f.key)!.target ?? '')),
      timeline: timeline.slice().reverse().map((e) => ({ ...e, actorName: nameOf(e.actorId) })),
      /** Forms shown with their item (a clock, an action, a plan, a suspect) rather than in the list at the top. */
      formsWithItems: forms.filter((f) => f.targetId && ['clock', 'action', 'action-plan', 'suspect'].includes(CASE_FORMS.find((c) => c.key === f.key)!.target ?? '')).length,
      // Without the workflow's word on what may be done now, the page offers nothing rather than guess.
      actionsUnavailable: !kase.availableActions,
    };
  }

  /**
   * One form's own page: the case it is on, the item it is about, and its questions (with the person's answers and
   * the problems after a refusal). A form the rules do not offer this person now is not found, like an unknown one.
   */
  async formModel(principal: Principal, caseId: string, form: CaseForm, targetId: string | undefined, refused?: FormState) {
    const [kase, plans] = await Promise.all([this.cases.get(principal, caseId, { actions: true }) as Promise<CaseDetail>, this.actionPlans.list(principal, caseId)]);
    const actions = kase.availableActions ?? [];
    const offer = offeredForms(principal, actions).find((o) => o.form.key === form.key && (o.targetId ?? '') === (targetId ?? ''));
    if (!offer) throw ApiError.notFound('That form');
    const fields = form.fields.map((f) => (f.path === form.variantField && f.kind === 'radios' && offer.variants ? { ...f, values: f.values.filter((v) => offer.variants!.includes(String(v))) } : f));
    return {
      pageTitle: `${form.title} – case ${kase.urn}`,
      kase,
      // An Early Advice request is asked for, triaged and answered with the flag in view.
      ...(form.command === 'requestEarlyAdvice' || form.target === 'early-advice' ? repeatSuspectOf(kase, principal) : {}),
      form: { key: form.key, title: form.title, button: form.button, warning: form.warning, targetId, about: describeTargets(kase, plans)(form, targetId), action: `/cases/${caseId}/forms/${form.key}` },
      fields: fieldViews(fields, { form: refused?.form, problems: refused?.problems, people: await this.peopleFor([form], caseId) }),
    };
  }

  /** The directory choices the offered forms need, fetched once per kind. */
  private async peopleFor(forms: CaseForm[], caseId: string): Promise<PeopleChoices> {
    const kinds = new Set(forms.flatMap((f) => f.fields.flatMap((field) => (field.kind === 'person' ? [field.people] : []))));
    const people: PeopleChoices = {};
    // Only people the case may be shown to: its force's staff and the CPS teams serving its unit.
    const within = { caseId };
    if (kinds.has('prosecutors')) people.prosecutors = await this.people.choices('cps', 'Prosecutor', within);
    if (kinds.has('dcps')) people.dcps = await this.people.choices('cps', 'DCP', within);
    if (kinds.has('police')) people.police = await this.people.choices('police', undefined, within);
    if (kinds.has('approvers')) people.approvers = [...await this.people.choices('police', 'DS', within), ...await this.people.choices('cps', 'DCP', within)];
    return people;
  }
}

/** The forms for the commands available to this person, for every item each is about, if their role may use its route. */
export function offeredForms(principal: Principal, actions: AvailableCommand[]) {
  return actions.flatMap((action) => CASE_FORMS.filter((form) => form.command === action.type && hasRole(principal, ...formRoles(form)))
    .map((form) => ({ form, targetId: action.targetId, variants: action.variants })));
}

/** A form's own page, for one item when it is about one (the item's id is no personal data). */
const formHref = (caseId: string, key: string, targetId?: string) => `/cases/${caseId}/forms/${key}${targetId ? `?target=${encodeURIComponent(targetId)}` : ''}`;

/** The case's repeat-suspect flags for its banner, each suspect by their number on the case (no name). */
function repeatSuspectOf(kase: CaseDetail, principal: Principal) {
  const suspects = kase.suspects ?? [];
  return {
    repeatSuspect: kase.flags.repeatSuspect.map((flag) => {
      const n = suspects.findIndex((s) => s.id === flag.suspectId);
      return { ...flag, suspect: n >= 0 ? `Suspect ${n + 1}` : 'A suspect' };
    }),
    viewerForce: principal.forceId,
  };
}

/** Words for the item a form is about: `Action 2: obtain the download`, `Suspect 1`, a clock's name. */
function describeTargets(kase: CaseDetail, plans: { actions: { id: string; description?: string }[] }[]) {
  const actions = new Map(plans.flatMap((p) => p.actions.map((a, i) => [a.id, `Action ${i + 1}: ${a.description ?? ''}`] as const)));
  return (form: CaseForm, targetId?: string): string | undefined => {
    if (!targetId) return undefined;
    if (form.target === 'action') return actions.get(targetId);
    if (form.target === 'suspect') return `Suspect ${(kase.suspects ?? []).findIndex((s) => s.id === targetId) + 1}`;
    if (form.target === 'clock') return label('clock', (kase.clocks ?? []).find((c) => c.key === targetId)?.name);
    return undefined;
  };
}

interface CasePeople {
  officer?: { id: string; name: string; rank: string } | null;
  victim?: { id: string; name: string; dateOfBirth: string; vulnerable: boolean | null; contactPreference: string | null };
  suspects?: { id: string; name: string; dateOfBirth: string; nationalId: string | null }[];
}
