import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { NoteDto } from '../common/dto';
import { UuidParam } from '../common/params';
import { ReviewPlanDto } from './action-plans.dto';
import { ActionPlansService } from './action-plans.service';

/** Action plans: each action completed by its owner (police or CPS), the plan reviewed by the CPS. */
@ApiTags('action plans')
@ApiBearerAuth()
@Controller()
export class ActionPlansController {
  constructor(private readonly actionPlans: ActionPlansService) {}

  @Get('cases/:id/action-plans')
  @Roles('officer', 'supervisor', 'cps')
  list(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string) {
    return this.actionPlans.list(principal, caseId);
  }

  @Post('actions/:id/complete')
  @HttpCode(200)
  @Roles('officer', 'supervisor', 'cps')
  complete(@CurrentPrincipal() principal: Principal, @UuidParam() actionId: string, @Body() dto: NoteDto) {
    return this.actionPlans.complete(principal, actionId, dto);
  }

  @Post('action-plans/:id/review')
  @HttpCode(200)
  @Roles('cps')
  review(@CurrentPrincipal() principal: Principal, @UuidParam() planId: string, @Body() dto: ReviewPlanDto) {
    return this.actionPlans.review(principal, planId, dto);
  }
}
