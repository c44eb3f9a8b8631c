import { Body, Controller, Get, HttpCode, Param, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Page, type Principal, Roles } from '../../../api/auth/principal';
import { UuidParam } from '../../../api/common/params';
import { PanelsService } from '../../../api/panels/panels.service';
import type { Body as FormBody } from '../../common/forms';
import { PanelPage } from './panel-page';

/**
 * NFA scrutiny panels for their members (and the convenors the API lets list them): the panels, a panel's sample by
 * pseudonymous label, each anonymised pack with the review form, and the report. The routes' roles are the API's.
 */
@ApiExcludeController()
@Page()
@Controller('panels')
export class PanelsPages {
  constructor(private readonly panels: PanelsService, private readonly panelPage: PanelPage) {}

  @Get()
  @Roles('supervisor', 'cps', 'panel')
  @Render('pages/panels.njk')
  async list(@CurrentPrincipal() principal: Principal) {
    const panels = await this.panels.list(principal);
    return { pageTitle: 'Scrutiny panels', panels: panels.map((p) => ({ ...p, sits: p.members.includes(principal.id) })) };
  }

  @Get(':id')
  @Roles('supervisor', 'cps', 'panel')
  @Render('pages/panel.njk')
  show(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.panelPage.panel(principal, id);
  }

  @Get(':id/report')
  @Roles('supervisor', 'cps')
  @Render('pages/panel-report.njk')
  report(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.panelPage.report(principal, id);
  }

  @Get(':id/cases/:label')
  @Roles('supervisor', 'cps', 'panel')
  @Render('pages/panel-case.njk')
  pack(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Param('label') label: string) {
    return this.panelPage.pack(principal, id, label);
  }

  /** A member's review, in place: the same service as POST /api/panels/:id/cases/:label/review. */
  @Post(':id/cases/:label/review')
  @HttpCode(303)
  @Redirect()
  @Roles('panel', 'supervisor', 'cps')
  async review(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Param('label') label: string, @Body() form: FormBody, @Req() req: Request) {
    const recorded = await this.panelPage.review(principal, id, label, form);
    req.session.notice = `Review of ${recorded.label} recorded${recorded.referralRecommended ? ': your recommended referral has gone to the unit\'s DCI' : ''}.`;
    return { url: `/panels/${id}`, statusCode: 303 };
  }
}
