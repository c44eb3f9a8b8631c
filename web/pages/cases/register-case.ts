import { Injectable } from '@nestjs/common';
import { hasRole, type Principal } from '../../../api/auth/principal';
import { CasesService } from '../../../api/cases/cases.service';
import { CONTACT_PREFERENCES, RegisterCaseDto } from '../../../api/cases/dto/register-case.dto';
import { ApiErrorFilter } from '../../../api/common/error.filter';
import { PeopleLookup } from '../../../api/people/people.lookup';
import { OFFENCE_TYPES } from '../../../workflows/contracts';
import { type Body, type Field, fieldViews, formBody, readForm } from '../../common/forms';
import { errorSummary, FormRejected } from '../../common/page-error.filter';

const SUSPECT_ROWS = 3;

/** The registration form: the body of POST /api/cases, question by question. */
export const REGISTER_FIELDS: Field[] = [
  { kind: 'text', path: 'urn', label: 'URN', hint: '2-digit force code, 2-character station, 5-digit serial, 2-digit year, for example 45XY1234526', width: 'govuk-input--width-20' },
  { kind: 'text', path: 'unit', label: 'Unit', hint: 'The team id; the allocation rules may place the case in another unit', width: 'govuk-input--width-20' },
  { kind: 'person', path: 'officerId', label: 'Officer in case', people: 'officers' },
  { kind: 'date', path: 'reportedAt', label: 'Date reported', at: '09:00' },
  { kind: 'radios', path: 'offence.type', label: 'Offence', labels: 'offence', values: OFFENCE_TYPES },
  { kind: 'yesno', path: 'offence.penetrative', label: 'Was the offence penetrative?' },
  { kind: 'date', path: 'offence.committedFrom', label: 'Committed on or from', at: 'date' },
  { kind: 'date', path: 'offence.committedTo', label: 'Committed to (optional)', at: 'date', optional: true },
  { kind: 'text', path: 'victim.name', label: "Victim's name" },
  { kind: 'date', path: 'victim.dateOfBirth', label: "Victim's date of birth", at: 'date' },
  { kind: 'yesno', path: 'victim.vulnerable', label: 'Is the victim vulnerable or intimidated?' },
  { kind: 'radios', path: 'victim.contactPreference', label: 'How the victim wants to be contacted', labels: 'contactPreference', values: CONTACT_PREFERENCES },
  { kind: 'text', path: 'victim.address', label: "Victim's address (optional)" },
  { kind: 'text', path: 'victim.phone', label: "Victim's phone number (optional)", width: 'govuk-input--width-20' },
  { kind: 'text', path: 'victim.email', label: "Victim's email address (optional)", width: 'govuk-input--width-30' },
  ...Array.from({ length: SUSPECT_ROWS }, (_, i) => [
    { kind: 'text', path: `suspects.${i}.name`, label: `Suspect ${i + 1}: name${i ? ' (optional)' : ''}` } as Field,
    { kind: 'date', path: `suspects.${i}.dateOfBirth`, label: `Suspect ${i + 1}: date of birth`, at: 'date', optional: true } as Field,
    { kind: 'text', path: `suspects.${i}.nationalId`, label: `Suspect ${i + 1}: PNC id (optional)`, width: 'govuk-input--width-10' } as Field,
  ]).flat(),
];

/** Registering a case from the web: the same DTO and the same service as POST /api/cases. */
@Injectable()
export class RegisterCasePage {
  private readonly errors = new ApiErrorFilter();

  constructor(private readonly cases: CasesService, private readonly people: PeopleLookup) {}

  async model(principal: Principal, refused?: { form: Body; problems: { field: string; problem: string }[] }) {
    const officers = await this.people.choices('police', undefined, { forceId: principal.forceId });
    const form = refused?.form ?? { unit: principal.unit, officerId: hasRole(principal, 'officer') ? principal.id : '' };
    return { pageTitle: 'Register a case', fields: fieldViews(REGISTER_FIELDS, { form, problems: refused?.problems, people: { officers } }) };
  }

  async submit(principal: Principal, form: Body) {
    try {
      const { body, problems } = readForm(REGISTER_FIELDS, form);
      // Suspect rows left blank are not suspects.
      body.suspects = ((body.suspects as Record<string, unknown>[] | undefined) ?? []).filter((s) => s && Object.values(s).some((v) => v !== undefined));
      return await this.cases.register(principal, (await formBody(RegisterCaseDto, body, problems, REGISTER_FIELDS))!);
    } catch (err) {
      const refusal = this.errors.toBody(err);
      if (![400, 409, 422].includes(refusal.statusCode)) throw err;
      const labels = new Map(REGISTER_FIELDS.map((f) => [f.path, f.label]));
      throw new FormRejected('pages/register-case.njk', { ...await this.model(principal, { form, problems: refusal.details ?? [] }), errors: errorSummary(refusal.message, refusal.details, { labels }) },
        refusal.statusCode, refusal.message, refusal.details);
    }
  }
}
