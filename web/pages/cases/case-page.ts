import { Injectable } from '@nestjs/common';
import type { FieldProblem } from '../../../api/common/api-error';
import { ActionPlansService } from '../../../api/action-plans/action-plans.service';
import { hasRole, type Principal } from '../../../api/auth/principal';
import { CasesService } from '../../../api/cases/cases.service';
import { PeopleLookup } from '../../../api/people/people.lookup';
import type { AvailableCommand, CaseView, ClockView } from '../../../workflows/contracts';
import { type Body, fieldViews, type PeopleChoices } from '../../common/forms';
import { label } from '../../common/labels';
import { CASE_FORMS, type CaseForm, formRoles } from './case-forms';

/** A form as the case page offers it: for this item, with its fields ready to render. */
export interface OfferedForm {
  key: string;
  title: string;
  button: string;
  warning?: string;
  targetId?: string;
  /** What the item is, in words (`Action 2`, `Suspect 1`, `Bail expiry`). */
  about?: string;
  open: boolean;
  fields: ReturnType<typeof fieldViews>;
}

/** What a refused form brings back to the page: which form, the person's answers and the problems. */
export interface FormState { key: string; targetId?: string; form: Body; problems: FieldProblem[] }

/**
 * The case page's content: the case (stage, who holds it, what it waits for), its clocks with how each due date was
 * computed, the action plans, the timeline, and the forms for exactly the commands the viewer may send now. Every
 * read goes through the API's own services, so access, restriction and audit are theirs.
 */
@Injectable()
export class CasePage {
  constructor(private readonly cases: CasesService, private readonly actionPlans: ActionPlansService, private readonly people: PeopleLookup) {}

  async model(principal: Principal, caseId: string, refused?: FormState) {
    const kase = await this.cases.get(principal, caseId) as Awaited<ReturnType<CasesService['get']>> & Partial<CaseView> & CasePeople;
    const [timeline, plans, { actions }] = await Promise.all([
      this.cases.timeline(principal, caseId), this.actionPlans.list(principal, caseId), this.cases.actions(principal, caseId),
    ]);
    const names = await this.people.namesOf([kase.officerId, kase.prosecutorId, kase.holder?.personId, ...timeline.map((e) => e.actorId)]);
    const nameOf = (id?: string | null) => (id ? names.get(id)?.name ?? 'Someone no longer in the directory' : '');
    const descriptions = new Map(plans.flatMap((p) => p.actions.map((a, i) => [a.id, { text: a.description, n: i + 1 }] as const)));
    const suspects = kase.suspects ?? [];
    const about = (form: CaseForm, targetId?: string): string | undefined => {
      if (!targetId) return undefined;
      if (form.target === 'action') return `Action ${descriptions.get(targetId)?.n ?? ''}: ${descriptions.get(targetId)?.text ?? ''}`;
      if (form.target === 'suspect') return `Suspect ${suspects.findIndex((s) => s.id === targetId) + 1}`;
      if (form.target === 'clock') return label('clock', (kase.clocks ?? []).find((c) => c.key === targetId)?.name);
      return undefined;
    };
    const offered = offeredForms(principal, actions);
    const people = await this.peopleFor(offered.map((o) => o.form));
    const forms: OfferedForm[] = offered.map(({ form, targetId, variants }) => {
      const mine = refused && refused.key === form.key && (refused.targetId ?? '') === (targetId ?? '');
      const fields = form.fields.map((f) => (f.path === form.variantField && f.kind === 'radios' && variants ? { ...f, values: f.values.filter((v) => variants.includes(String(v))) } : f));
      return {
        key: form.key, title: form.title, button: form.button, warning: form.warning, targetId, about: about(form, targetId), open: !!mine,
        fields: fieldViews(fields, { form: mine ? refused.form : undefined, problems: mine ? refused.problems : [], people, idPrefix: formIdPrefix(form.key, targetId) }),
      };
    });
    const byTarget = (target: string) => forms.filter((f) => f.targetId === target);
    return {
      pageTitle: `Case ${kase.urn}`,
      kase,
      now: Date.now(),
      officerName: nameOf(kase.officerId),
      prosecutorName: nameOf(kase.prosecutorId),
      holderName: nameOf(kase.holder?.personId),
      clocks: (kase.clocks ?? []).slice().sort((a: ClockView, b: ClockView) => a.dueAt.localeCompare(b.dueAt)).map((clock) => ({ ...clock, forms: byTarget(clock.key) })),
      plans: plans.map((plan, p) => ({ ...plan, n: p + 1, forms: byTarget(plan.id), actions: plan.actions.map((a) => ({ ...a, forms: byTarget(a.id) })) })),
      suspects: suspects.map((s, i) => ({ ...s, n: i + 1, custody: (kase.custody ?? []).find((c) => c.suspectId === s.id), forms: byTarget(s.id) })),
      // Forms about the case as a whole, or about an item shown only here (a request, a submission, a review).
      forms: forms.filter((f) => !f.targetId || !['clock', 'action', 'action-plan', 'suspect'].includes(CASE_FORMS.find((c) => c.key === f.key)!.target ?? '')),
      timeline: timeline.slice().reverse().map((e) => ({ ...e, actorName: nameOf(e.actorId) })),
      refusedForm: refused?.key,
    };
  }

  /** The directory choices the offered forms need, fetched once per kind. */
  private async peopleFor(forms: CaseForm[]): Promise<PeopleChoices> {
    const kinds = new Set(forms.flatMap((f) => f.fields.flatMap((field) => (field.kind === 'person' ? [field.people] : []))));
    const people: PeopleChoices = {};
    if (kinds.has('prosecutors')) people.prosecutors = await this.people.choices('cps', 'Prosecutor');
    if (kinds.has('dcps')) people.dcps = await this.people.choices('cps', 'DCP');
    if (kinds.has('police')) people.police = await this.people.choices('police');
    if (kinds.has('approvers')) people.approvers = [...await this.people.choices('police', 'DS'), ...await this.people.choices('cps', 'DCP')];
    return people;
  }
}

/** The forms for the commands available to this person, for every item each is about, if their role may use its route. */
export function offeredForms(principal: Principal, actions: AvailableCommand[]) {
  return actions.flatMap((action) => CASE_FORMS.filter((form) => form.command === action.type && hasRole(principal, ...formRoles(form)))
    .map((form) => ({ form, targetId: action.targetId, variants: action.variants })));
}

/** Ids on a page are unique: a form's fields are prefixed by the form and the item it is about. */
export const formIdPrefix = (key: string, targetId?: string) => `${key}${targetId ? `-${targetId.replace(/[^a-z0-9]/gi, '')}` : ''}-`;

interface CasePeople {
  officer?: { id: string; name: string; rank: string } | null;
  victim?: { id: string; name: string; dateOfBirth: string; vulnerable: boolean | null; contactPreference: string | null };
  suspects?: { id: string; name: string; dateOfBirth: string; nationalId: string | null }[];
}
