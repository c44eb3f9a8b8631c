import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ReasonDto } from '../common/dto';
import { IdempotencyKey } from '../common/idempotency';
import { UuidParam } from '../common/params';
import { RecordAdviceDto, RequestEarlyAdviceDto, TriageEarlyAdviceDto } from './early-advice.dto';
import { EarlyAdviceService } from './early-advice.service';

/** Early Advice: the officer asks, a supervisor endorses, CPS triage accepts or rejects, the prosecutor advises. */
@ApiTags('early advice')
@ApiBearerAuth()
@Controller()
export class EarlyAdviceController {
  constructor(private readonly earlyAdvice: EarlyAdviceService) {}

  @Post('cases/:id/early-advice')
  @Roles('officer', 'supervisor')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body returns the first result' })
  request(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string, @Body() dto: RequestEarlyAdviceDto, @IdempotencyKey() key?: string) {
    return this.earlyAdvice.request(principal, caseId, dto, key);
  }

  @Post('cases/:id/early-advice/not-sought')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  notSought(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string, @Body() dto: ReasonDto) {
    return this.earlyAdvice.notSought(principal, caseId, dto);
  }

  @Post('early-advice/:id/endorse')
  @HttpCode(200)
  @Roles('supervisor')
  endorse(@CurrentPrincipal() principal: Principal, @UuidParam() requestId: string) {
    return this.earlyAdvice.endorse(principal, requestId);
  }

  @Post('early-advice/:id/triage')
  @HttpCode(200)
  @Roles('cps')
  triage(@CurrentPrincipal() principal: Principal, @UuidParam() requestId: string, @Body() dto: TriageEarlyAdviceDto) {
    return this.earlyAdvice.triage(principal, requestId, dto);
  }

  @Post('early-advice/:id/appeal')
  @HttpCode(200)
  @Roles('supervisor')
  appeal(@CurrentPrincipal() principal: Principal, @UuidParam() requestId: string, @Body() dto: ReasonDto) {
    return this.earlyAdvice.appeal(principal, requestId, dto);
  }

  @Post('early-advice/:id/advice')
  @HttpCode(200)
  @Roles('cps')
  advice(@CurrentPrincipal() principal: Principal, @UuidParam() requestId: string, @Body() dto: RecordAdviceDto) {
    return this.earlyAdvice.advise(principal, requestId, dto);
  }
}
