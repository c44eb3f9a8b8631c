import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { NoteDto } from '../common/dto';
import { IdempotencyKey } from '../common/idempotency';
import { UuidParam } from '../common/params';
import { ChargingDecisionDto, ReturnFileDto, SubmitFileDto, TriageFileDto } from './submissions.dto';
import { SubmissionsService } from './submissions.service';

/** Charging submissions: the officer submits, a police gatekeeper approves, CPS triage accepts, a prosecutor decides. */
@ApiTags('charging')
@ApiBearerAuth()
@Controller()
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Post('cases/:id/submissions')
  @Roles('officer', 'supervisor')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body returns the first result' })
  submit(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string, @Body() dto: SubmitFileDto, @IdempotencyKey() key?: string) {
    return this.submissions.submit(principal, caseId, dto, key);
  }

  @Post('submissions/:id/approve')
  @HttpCode(200)
  @Roles('supervisor')
  approve(@CurrentPrincipal() principal: Principal, @UuidParam() submissionId: string) {
    return this.submissions.approve(principal, submissionId);
  }

  @Post('submissions/:id/return')
  @HttpCode(200)
  @Roles('supervisor')
  return(@CurrentPrincipal() principal: Principal, @UuidParam() submissionId: string, @Body() dto: ReturnFileDto) {
    return this.submissions.returnFile(principal, submissionId, dto);
  }

  @Post('submissions/:id/triage')
  @HttpCode(200)
  @Roles('cps')
  triage(@CurrentPrincipal() principal: Principal, @UuidParam() submissionId: string, @Body() dto: TriageFileDto) {
    return this.submissions.triage(principal, submissionId, dto);
  }

  @Post('submissions/:id/decision')
  @HttpCode(200)
  @Roles('cps')
  decide(@CurrentPrincipal() principal: Principal, @UuidParam() submissionId: string, @Body() dto: ChargingDecisionDto) {
    return this.submissions.decide(principal, submissionId, dto);
  }

  @Post('submissions/:id/full-code-test-review')
  @HttpCode(200)
  @Roles('cps')
  @ApiOperation({ summary: 'Record the Full Code Test review of a Threshold Test charge (closes thresholdTest.review)' })
  fullCodeTestReview(@CurrentPrincipal() principal: Principal, @UuidParam() submissionId: string, @Body() dto: NoteDto) {
    return this.submissions.fullCodeTestReview(principal, submissionId, dto);
  }
}
