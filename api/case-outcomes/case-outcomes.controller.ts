import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ReasonDto } from '../common/dto';
import { IdempotencyKey } from '../common/idempotency';
import { UuidParam } from '../common/params';
import { PoliceNfaDto, ReopenDto, VictimContactDto, WithdrawalReviewDto } from './case-outcomes.dto';
import { CaseOutcomesService } from './case-outcomes.service';

/** Victims' Code contacts, withdrawal (outcome 16), police NFA, administrative finalisation, closure, reopening. */
@ApiTags('case outcomes')
@ApiBearerAuth()
@Controller('cases/:id')
export class CaseOutcomesController {
  constructor(private readonly outcomes: CaseOutcomesService) {}

  @Post('victim-contacts')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key: the contact is recorded once, a retry answers with the case' })
  contact(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: VictimContactDto, @IdempotencyKey() key?: string) {
    return this.outcomes.victimContact(p, caseId, dto, key);
  }

  @Post('victim-withdrawal')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  withdrawal(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: ReasonDto) {
    return this.outcomes.withdrawal(p, caseId, dto);
  }

  @Post('victim-withdrawal/review')
  @HttpCode(200)
  @Roles('supervisor')
  reviewWithdrawal(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: WithdrawalReviewDto) {
    return this.outcomes.reviewWithdrawal(p, caseId, dto);
  }

  @Post('police-nfa')
  @HttpCode(200)
  @Roles('supervisor')
  policeNfa(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: PoliceNfaDto) {
    return this.outcomes.policeNfa(p, caseId, dto);
  }

  @Post('admin-finalise')
  @HttpCode(200)
  @Roles('cps')
  adminFinalise(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: ReasonDto) {
    return this.outcomes.adminFinalise(p, caseId, dto);
  }

  @Post('close')
  @HttpCode(200)
  @Roles('supervisor', 'cps')
  close(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string) {
    return this.outcomes.close(p, caseId);
  }

  @Post('reopen')
  @HttpCode(200)
  @Roles('supervisor', 'cps')
  reopen(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: ReopenDto) {
    return this.outcomes.reopen(p, caseId, dto);
  }
}
