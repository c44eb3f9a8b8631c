import { Body, Controller, Get, HttpCode, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, hasRole, Page, type Principal, Roles } from '../../../api/auth/principal';
import { ClinicsService } from '../../../api/clinics/clinics.service';
import { UuidParam } from '../../../api/common/params';
import { PeopleLookup } from '../../../api/people/people.lookup';
import type { Body as FormBody } from '../../common/forms';
import { label } from '../../common/labels';
import { ClinicPage } from './clinic-page';

/** How far back the list reaches: the sittings whose outcomes may still be being recorded and chased. */
const RECENT_DAYS = 35;

/** Case progression clinics: the sittings a person attends, and a sitting's agenda with its outcomes recorded in place. */
@ApiExcludeController()
@Page()
@Controller('clinics')
export class ClinicsPages {
  constructor(private readonly clinics: ClinicsService, private readonly people: PeopleLookup, private readonly clinicPage: ClinicPage) {}

  /** Coming and recent sittings: a liaison's own, the unit's for its police staff (the service's reach decides). */
  @Get()
  @Roles('officer', 'supervisor', 'cps')
  @Render('pages/clinics.njk')
  async list(@CurrentPrincipal() principal: Principal) {
    const now = Date.now();
    const reached = await this.clinics.listClinics(principal, { from: new Date(now - RECENT_DAYS * 86_400_000).toISOString() });
    // The CPS reaches every unit its area serves; a prosecutor's clinics are the ones they sit at as liaison.
    const sittings = hasRole(principal, 'cps') ? reached.filter((k) => k.liaisonId === principal.id) : reached;
    const names = await this.people.namesOf(sittings.map((k) => k.liaisonId));
    const rows = sittings.map((k) => ({ ...k, liaisonName: k.liaisonId ? names.get(k.liaisonId)?.name : undefined }));
    const ended = (k: { sittingAt: string; durationMinutes: number }) => Date.parse(k.sittingAt) + k.durationMinutes * 60_000 < now;
    return {
      pageTitle: 'Clinics',
      coming: rows.filter((k) => !ended(k)),
      recent: rows.filter(ended).reverse(),
      schedulesLink: hasRole(principal, 'supervisor'),
      recentDays: RECENT_DAYS,
    };
  }

  @Get(':id')
  @Roles('officer', 'supervisor', 'cps')
  @Render('pages/clinic.njk')
  show(@CurrentPrincipal() principal: Principal, @UuidParam() clinicId: string) {
    return this.clinicPage.model(principal, clinicId);
  }

  /** One case's outcome, recorded in place: the same service as POST /api/clinics/:id/cases/:caseId/outcome. */
  @Post(':id/cases/:caseId/outcome')
  @HttpCode(303)
  @Redirect()
  @Roles('supervisor', 'cps')
  async recordOutcome(@CurrentPrincipal() principal: Principal, @UuidParam() clinicId: string, @UuidParam('caseId') caseId: string, @Body() form: FormBody, @Req() req: Request) {
    const recorded = await this.clinicPage.recordOutcome(principal, clinicId, caseId, form);
    req.session.notice = `Outcome recorded: ${label('clinicOutcome', recorded.outcome)}.`;
    return { url: `/clinics/${clinicId}#case-${caseId}`, statusCode: 303 };
  }
}
