import { Controller, Get, HttpCode, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Page, type Principal, Roles } from '../../../api/auth/principal';
import { UuidParam } from '../../../api/common/params';
import { DashboardService } from '../../../api/dashboard/dashboard.service';
import { SubmissionsService } from '../../../api/submissions/submissions.service';

/** The supervisor's unit at a glance, and the gatekeeper's approval one click away. */
@ApiExcludeController()
@Page()
@Controller('dashboard')
export class DashboardPage {
  constructor(private readonly dashboard: DashboardService, private readonly submissions: SubmissionsService) {}

  @Get()
  @Roles('supervisor')
  @Render('pages/dashboard.njk')
  async show(@CurrentPrincipal() principal: Principal) {
    return { pageTitle: 'Supervisor dashboard', board: await this.dashboard.forUnit(principal), now: Date.now() };
  }

  /** Gatekeeper approval from the dashboard: the same service as POST /api/submissions/:id/approve. */
  @Post('submissions/:id/approve')
  @HttpCode(303)
  @Redirect()
  @Roles('supervisor')
  async approve(@CurrentPrincipal() principal: Principal, @UuidParam() submissionId: string, @Req() req: Request) {
    await this.submissions.approve(principal, submissionId);
    req.session.notice = 'File approved and sent to CPS triage.';
    return { url: '/dashboard', statusCode: 303 };
  }
}
