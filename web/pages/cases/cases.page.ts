import { Body, Controller, Get, HttpCode, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { isUUID } from 'class-validator';
import { CurrentPrincipal, hasRole, Page, type Principal, Roles } from '../../../api/auth/principal';
import { CasesService } from '../../../api/cases/cases.service';
import { PeopleLookup } from '../../../api/people/people.lookup';
import { ListCasesQuery } from '../../../api/cases/dto/list-cases.query';
import { ApiError } from '../../../api/common/api-error';
import { ApiErrorFilter } from '../../../api/common/error.filter';
import { UuidParam } from '../../../api/common/params';
import { CASE_STAGES } from '../../../workflows/contracts';
import { type Body as FormBody, filtersAs, formBody, readForm } from '../../common/forms';
import { choices } from '../../common/labels';
import { pagination } from '../../common/pagination';
import { FormRejected, errorSummary } from '../../common/page-error.filter';
import { type CaseForm, caseForm, formRoles } from './case-forms';
import { CasePage } from './case-page';
import { RegisterCasePage } from './register-case';

/** Statuses a person can put right by changing what they sent; anything else is an error page. */
const FIXABLE = [400, 409, 422];

/** Cases: the filterable list, the case page with the forms for what the viewer may do now, and registration. */
@ApiExcludeController()
@Page()
@Controller('cases')
export class CasesPages {
  private readonly errors = new ApiErrorFilter();

  constructor(
    private readonly cases: CasesService, private readonly people: PeopleLookup, private readonly casePage: CasePage, private readonly register: RegisterCasePage, private readonly services: ModuleRef,
  ) {}

  @Get()
  @Roles('officer', 'supervisor', 'cps')
  @Render('pages/cases.njk')
  async list(@CurrentPrincipal() principal: Principal, @Query() filters: Record<string, string>) {
    const query = await filtersAs(ListCasesQuery, filters);
    const [result, officers] = await Promise.all([
      this.cases.list(principal, query),
      // The police see their unit's officers; the CPS, officers of the units its area serves.
      this.people.choices('police', undefined, hasRole(principal, 'officer', 'supervisor') ? { unit: principal.unit } : { units: principal.servedUnits }),
    ]);
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const link = (page: number) => `/cases?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => typeof v === 'string' && v !== '')), page: String(page) }).toString()}`;
    return {
      pageTitle: 'Cases', result, query, pages,
      officers: [{ value: '', text: 'Any officer', selected: !query.officerId }, ...officers.map((o) => ({ ...o, selected: o.value === query.officerId }))],
      stages: [{ value: '', text: 'Any stage', selected: !query.stage }, ...choices('stage', CASE_STAGES, [query.stage ?? '']).map((c) => ({ ...c, selected: c.checked }))],
      pagination: pagination(result.page, result.pageSize, result.total, link),
    };
  }

  @Get('new')
  @Roles('officer', 'supervisor')
  @Render('pages/register-case.njk')
  registerForm(@CurrentPrincipal() principal: Principal) {
    return this.register.model(principal);
  }

  /** Registration: the same body, validation and service as POST /api/cases. */
  @Post()
  @HttpCode(303)
  @Redirect()
  @Roles('officer', 'supervisor')
  async registerCase(@CurrentPrincipal() principal: Principal, @Body() form: FormBody, @Req() req: Request) {
    const registered = await this.register.submit(principal, form);
    req.session.notice = `Case ${registered.urn} registered.`;
    return { url: `/cases/${registered.id}`, statusCode: 303, id: registered.id };
  }

  @Get(':id')
  @Roles('officer', 'supervisor', 'cps')
  @Render('pages/case.njk')
  show(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string) {
    return this.casePage.model(principal, caseId);
  }

  /** A form's own page (a form that asks nothing is a button on the case page). */
  @Get(':id/forms/:form')
  @Roles('officer', 'supervisor', 'cps')
  @Render('pages/case-form.njk')
  formPage(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string, @Param('form') key: string, @Query('target') target?: string) {
    const spec = this.formFor(principal, key);
    return this.casePage.formModel(principal, caseId, spec, this.target(spec, target));
  }

  /**
   * One form posted. Offered only when the rules allow it, it is still checked as the API checks it: the route's roles,
   * the same DTO, the same service (the workflow's validator has the last word). A refusal the person can fix shows
   * the form again with their answers and the problems.
   */
  @Post(':id/forms/:form')
  @HttpCode(303)
  @Redirect()
  @Roles('officer', 'supervisor', 'cps')
  async submit(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string, @Param('form') key: string, @Body() form: FormBody, @Req() req: Request) {
    const spec = this.formFor(principal, key);
    const targetId = this.target(spec, form.targetId);
    try {
      const { body, problems } = readForm(spec.fields, form);
      const dto = await formBody(spec.dto, body, problems, spec.fields);
      await spec.submit({ get: (type) => this.services.get(type, { strict: false }) }, principal, caseId, targetId ?? '', dto as never);
    } catch (err) {
      const refusal = this.errors.toBody(err);
      if (!FIXABLE.includes(refusal.statusCode)) throw err;
      const model = await this.casePage.formModel(principal, caseId, spec, targetId, { form, problems: refusal.details ?? [] }).catch(() => undefined);
      // The form is no longer offered (someone else acted first): the case page says where things stand.
      if (!model) throw err;
      const labels = new Map(spec.fields.map((f) => [f.path, f.label]));
      throw new FormRejected('pages/case-form.njk', { ...model, errors: errorSummary(refusal.message, refusal.details, { labels }) }, refusal.statusCode, refusal.message, refusal.details);
    }
    req.session.notice = spec.done;
    return { url: `/cases/${caseId}`, statusCode: 303 };
  }

  private formFor(principal: Principal, key: string): CaseForm {
    const spec = caseForm(key);
    if (!spec) throw ApiError.notFound('That form');
    if (!hasRole(principal, ...formRoles(spec))) throw ApiError.forbidden();
    return spec;
  }

  /** The item a form is about, checked for its shape (a clock key or a UUID), or undefined for a form about the case. */
  private target(spec: CaseForm, value: unknown): string | undefined {
    if (!spec.target) return undefined;
    const id = typeof value === 'string' ? value : '';
    if (spec.target === 'clock' ? !/^[a-zA-Z.]+:[0-9a-f-]{36}$/.test(id) : !isUUID(id)) {
      throw ApiError.badRequest('The form does not say what it is about.', [{ field: 'target', problem: 'missing or malformed' }]);
    }
    return id;
  }
}
