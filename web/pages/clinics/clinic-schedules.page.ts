import { Body, Controller, Get, HttpCode, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Page, type Principal, Roles } from '../../../api/auth/principal';
import { CreateClinicDto, CreateClinicScheduleDto, UpdateClinicScheduleDto } from '../../../api/clinics/clinics.dto';
import { type ClinicScheduleView, ClinicsService } from '../../../api/clinics/clinics.service';
import type { FieldProblem } from '../../../api/common/api-error';
import { ApiErrorFilter } from '../../../api/common/error.filter';
import { UuidParam } from '../../../api/common/params';
import { PeopleLookup } from '../../../api/people/people.lookup';
import { type Body as FormBody, type Field, fieldViews, formBody, readForm } from '../../common/forms';
import { ukDateTime } from '../../common/labels';
import { errorSummary, FormRejected } from '../../common/page-error.filter';
import { CONVENE_FIELDS, SCHEDULE_CHANGE_FIELDS, SCHEDULE_FIELDS } from './clinic-forms';

const ZONE = 'Europe/London';

/** Which of the page's forms was refused: a new schedule, an extra sitting, or a change to one schedule (its id). */
interface Refused { form: 'new-schedule' | 'convene' | string; answers: FormBody; problems: FieldProblem[]; message: string }

/**
 * A unit's clinic schedules for its supervisors (the DI above all): each with its next sittings in UK time, a change,
 * pause or resume, a form for a new schedule and one to convene an extra clinic. Each form posts the body of its API
 * route to the same ClinicsService method.
 */
@ApiExcludeController()
@Page()
@Controller()
export class ClinicSchedulesPages {
  private readonly errors = new ApiErrorFilter();

  constructor(private readonly clinics: ClinicsService, private readonly people: PeopleLookup) {}

  @Get('clinic-schedules')
  @Roles('supervisor')
  @Render('pages/clinic-schedules.njk')
  show(@CurrentPrincipal() principal: Principal) {
    return this.model(principal);
  }

  /** A new schedule for the supervisor's own unit: POST /api/clinic-schedules. */
  @Post('clinic-schedules')
  @HttpCode(303)
  @Redirect()
  @Roles('supervisor')
  async create(@CurrentPrincipal() principal: Principal, @Body() form: FormBody, @Req() req: Request) {
    const schedule = await this.submit(principal, 'new-schedule', form, SCHEDULE_FIELDS, async (body, problems) => {
      const dto = (await formBody(CreateClinicScheduleDto, { ...body, unit: principal.unit, timezone: ZONE }, problems))!;
      return this.clinics.createSchedule(principal, dto);
    });
    req.session.notice = `Clinic schedule created: the first sitting is ${ukDateTime(schedule.nextSittings[0]) || 'not yet due'}.`;
    return { url: '/clinic-schedules', statusCode: 303, id: schedule.id };
  }

  /** A change of cadence, time, liaison or place: PATCH /api/clinic-schedules/:id. Past sittings are kept. */
  @Post('clinic-schedules/:id')
  @HttpCode(303)
  @Redirect()
  @Roles('supervisor')
  async change(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() form: FormBody, @Req() req: Request) {
    await this.submit(principal, id, form, SCHEDULE_CHANGE_FIELDS, async (body, problems) => this.clinics.updateSchedule(principal, id, (await formBody(UpdateClinicScheduleDto, body, problems))!));
    req.session.notice = 'Clinic schedule changed. Sittings already made keep their time and record.';
    return { url: '/clinic-schedules', statusCode: 303 };
  }

  @Post('clinic-schedules/:id/pause')
  @HttpCode(303)
  @Redirect()
  @Roles('supervisor')
  pause(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Req() req: Request) {
    return this.setStatus(principal, id, 'paused', req);
  }

  @Post('clinic-schedules/:id/resume')
  @HttpCode(303)
  @Redirect()
  @Roles('supervisor')
  resume(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Req() req: Request) {
    return this.setStatus(principal, id, 'active', req);
  }

  /** An extra clinic convened now, its agenda built at once: POST /api/clinics. */
  @Post('clinics')
  @HttpCode(303)
  @Redirect()
  @Roles('supervisor')
  async convene(@CurrentPrincipal() principal: Principal, @Body() form: FormBody, @Req() req: Request) {
    const clinic = await this.submit(principal, 'convene', form, CONVENE_FIELDS, async (body, problems) => this.clinics.createClinic(principal, (await formBody(CreateClinicDto, { ...body, unit: principal.unit }, problems))!));
    req.session.notice = `Extra clinic convened: ${clinic.agenda.length} case${clinic.agenda.length === 1 ? '' : 's'} on its agenda.`;
    return { url: `/clinics/${clinic.id}`, statusCode: 303, id: clinic.id };
  }

  /** Pause or resume: PATCH /api/clinic-schedules/:id with the status alone. Past sittings are kept either way. */
  private async setStatus(principal: Principal, id: string, status: 'active' | 'paused', req: Request) {
    await this.clinics.updateSchedule(principal, id, (await formBody(UpdateClinicScheduleDto, { status }, []))!);
    req.session.notice = status === 'paused' ? 'Clinic schedule paused: no sitting is made until it resumes. Past sittings are kept.' : 'Clinic schedule resumed.';
    return { url: '/clinic-schedules', statusCode: 303 };
  }

  /** Reads one of the page's forms and sends it; a refusal the supervisor can put right shows the page again. */
  private async submit<T>(principal: Principal, which: string, form: FormBody, fields: Field[], send: (body: FormBody, problems: FieldProblem[]) => Promise<T>): Promise<T> {
    try {
      const { body, problems } = readForm(fields, form);
      return await send(body, problems);
    } catch (err) {
      const refusal = this.errors.toBody(err);
      if (![400, 409, 422].includes(refusal.statusCode)) throw err;
      const model = await this.model(principal, { form: which, answers: form, problems: refusal.details ?? [], message: refusal.message });
      throw new FormRejected('pages/clinic-schedules.njk', model, refusal.statusCode, refusal.message, refusal.details);
    }
  }

  private async model(principal: Principal, refused?: Refused) {
    const [schedules, liaisons] = await Promise.all([
      this.clinics.listSchedules(principal, { unit: principal.unit }),
      // As the service checks: active CPS staff of a team serving the unit.
      this.people.choices('cps', undefined, { servingUnit: principal.unit }),
    ]);
    const names = await this.people.namesOf(schedules.map((s) => s.liaisonId));
    const formOf = (which: string, fields: Field[], answers: FormBody, prefix = `${which}-`) => {
      const mine = refused?.form === which ? refused : undefined;
      return {
        prefix, open: !!mine,
        fields: fieldViews(fields, { form: mine?.answers ?? answers, problems: mine?.problems, people: { liaisons }, idPrefix: prefix }),
        errors: mine && errorSummary(mine.message, mine.problems, { prefix, labels: new Map(fields.map((f) => [f.path, f.label])) }),
      };
    };
    const forms = {
      newSchedule: formOf('new-schedule', SCHEDULE_FIELDS, { rrule: 'FREQ=WEEKLY;INTERVAL=2', durationMinutes: '60', agendaLeadTime: 'P2D' }),
      convene: formOf('convene', CONVENE_FIELDS, { durationMinutes: '60' }),
    };
    const rows = schedules.map((s) => ({
      ...s, liaisonName: s.liaisonId ? names.get(s.liaisonId)?.name : undefined,
      // Each coming sitting in UK time, with the day it moved from when a non-working day moved it.
      nextSittings: s.nextSittings.map((at) => ({ at, movedFrom: s.moved.find((m) => m.sittingAt === at)?.movedFrom })),
      change: formOf(s.id, SCHEDULE_CHANGE_FIELDS, answersOf(s), `schedule-${s.id}-`),
    }));
    const errors = [forms.newSchedule, forms.convene, ...rows.map((r) => r.change)].find((f) => f.errors)?.errors;
    return { pageTitle: 'Clinic schedules', unit: principal.unit, schedules: rows, forms, ...(errors ? { errors } : {}) };
  }
}

/** A schedule as its change form's answers, in the browser's shape (a date input's parts, radio values as text). */
function answersOf(s: ClinicScheduleView): FormBody {
  const [date, time] = s.firstSittingAt.split('T');
  const [year, month, day] = date.split('-');
  const [hour, minute] = time.split(':');
  return {
    firstSittingAt: { day: String(Number(day)), month: String(Number(month)), year, hour, minute },
    rrule: s.rrule, durationMinutes: String(s.durationMinutes), agendaLeadTime: s.agendaLeadTime, liaisonId: s.liaisonId ?? '', location: s.location ?? '',
  };
}
