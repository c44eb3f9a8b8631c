import { Injectable } from '@nestjs/common';
import { ActionPlansService } from '../../../api/action-plans/action-plans.service';
import type { Principal } from '../../../api/auth/principal';
import { ClinicOutcomeDto } from '../../../api/clinics/clinics.dto';
import { ClinicsService, recordsOutcomes } from '../../../api/clinics/clinics.service';
import type { FieldProblem } from '../../../api/common/api-error';
import { ApiErrorFilter } from '../../../api/common/error.filter';
import { PeopleLookup } from '../../../api/people/people.lookup';
import { type Body, fieldViews, formBody, htmlName, readForm } from '../../common/forms';
import { ukDate, ukDateTime } from '../../common/labels';
import { errorSummary, FormRejected } from '../../common/page-error.filter';
import { actionRows, type OpenAction, outcomeFields, withActionIds } from './clinic-forms';

/** An outcome form the services refused: whose case it was, the answers, and why. */
interface RefusedOutcome { caseId: string; form: Body; problems: FieldProblem[]; message: string }

/**
 * A clinic sitting as its liaison works through it: when and where, then the agenda case by case, each with the reasons
 * it is there in words, its officer, and either the outcome recorded or (for the liaison or a supervisor of the unit)
 * the form to record it in place. Every read and write goes through the API's own services.
 */
@Injectable()
export class ClinicPage {
  private readonly errors = new ApiErrorFilter();

  constructor(private readonly clinics: ClinicsService, private readonly actionPlans: ActionPlansService, private readonly people: PeopleLookup) {}

  async model(principal: Principal, clinicId: string, refused?: RefusedOutcome) {
    const clinic = await this.clinics.getClinic(principal, clinicId);
    const records = recordsOutcomes(principal, clinic) && clinic.status !== 'cancelled';
    const [names, openActions] = await Promise.all([
      this.people.namesOf([clinic.liaisonId, ...clinic.agenda.map((e) => e.officerId)]),
      // Only the cases still to decide need their actions, and only for someone who records outcomes.
      Promise.all(clinic.agenda.map((e) => (records && !e.outcome ? this.openActions(principal, e.caseId) : []))),
    ]);
    let errors: { text: string; href?: string }[] | undefined;
    const agenda = clinic.agenda.map((entry, i) => {
      const prefix = `case-${entry.caseId}-`;
      const mine = refused?.caseId === entry.caseId ? refused : undefined;
      const fields = outcomeFields(openActions[i]);
      if (mine) errors = errorSummary(mine.message, mine.problems, { prefix, labels: new Map(fields.map((f) => [f.path, `Case ${entry.urn}: ${f.label}`])) });
      return {
        ...entry, anchor: `case-${entry.caseId}`, officerName: names.get(entry.officerId)?.name ?? 'Someone no longer in the directory',
        form: records && !entry.outcome ? {
          action: `/clinics/${clinic.id}/cases/${entry.caseId}/outcome`,
          actionIds: openActions[i].map((a, j) => ({ name: htmlName(`actionDueDates.${j}.actionId`), value: a.id })),
          fields: fieldViews(fields, { form: mine?.form, problems: mine?.problems, idPrefix: prefix }),
        } : undefined,
      };
    });
    return {
      pageTitle: `Clinic, ${ukDateTime(clinic.sittingAt)}`,
      clinic, agenda, recordsOutcomes: records, ...(errors ? { errors } : {}),
      endsAt: new Date(Date.parse(clinic.sittingAt) + clinic.durationMinutes * 60_000).toISOString(),
      liaisonName: clinic.liaisonId ? names.get(clinic.liaisonId)?.name ?? 'Someone no longer in the directory' : undefined,
    };
  }

  /**
   * One case's outcome, read into the body of POST /api/clinics/:id/cases/:caseId/outcome and sent to the same service.
   * A refusal the liaison can put right shows the clinic page again with their answers and the problems.
   */
  async recordOutcome(principal: Principal, clinicId: string, caseId: string, form: Body) {
    try {
      const { body, problems } = readForm(outcomeFields(Array.from({ length: actionRows(form) }, () => ({ label: '' }))), form);
      const dto = (await formBody(ClinicOutcomeDto, withActionIds(body, form), problems))!;
      return await this.clinics.recordOutcome(principal, clinicId, caseId, dto);
    } catch (err) {
      const refusal = this.errors.toBody(err);
      if (![400, 409, 422].includes(refusal.statusCode)) throw err;
      // An amended plan with no date is a problem of the list as a whole: on the form it is the first date's to answer.
      const problems = (refusal.details ?? []).map((d) => (d.field === 'actionDueDates' && actionRows(form) ? { field: 'actionDueDates.0.dueAt', problem: 'Enter a new due date for at least one action, or choose another outcome' } : d));
      const model = await this.model(principal, clinicId, { caseId, form, problems, message: refusal.message });
      throw new FormRejected('pages/clinic.njk', model, refusal.statusCode, refusal.message, problems);
    }
  }

  /** The case's open actions, in words, as the case page numbers them. */
  private async openActions(principal: Principal, caseId: string): Promise<OpenAction[]> {
    const plans = await this.actionPlans.list(principal, caseId);
    return plans.flatMap((plan, p) => plan.actions.flatMap((a, i) => (a.status !== 'open' ? [] : [{
      id: a.id, dueAt: a.dueAt ? new Date(a.dueAt).toISOString() : null,
      label: `action ${i + 1}${plans.length > 1 ? ` of plan ${p + 1}` : ''}${a.description ? `: ${a.description}` : ''}${a.dueAt ? ` (due ${ukDate(a.dueAt)})` : ''}`,
    }])));
  }
}
