import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { TEXT_MAX } from '../common/dto';
import { IdempotencyKey, stableId } from '../common/idempotency';
import { UuidParam } from '../common/params';
import { CaseCommandsService } from '../cases/case-commands.service';

export class RequestReviewDto {
  @ApiProperty({ enum: ['police', 'cps'], description: 'Police scheme for police NFA decisions, CPS scheme for CPS decisions' }) @IsIn(['police', 'cps'])
  scheme!: 'police' | 'cps';

  @ApiProperty({ description: "The victim's request as received" }) @IsString() @Length(1, TEXT_MAX)
  request!: string;
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: ['upheld', 'overturned'] }) @IsIn(['upheld', 'overturned'])
  outcome!: 'upheld' | 'overturned';

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  reasons!: string;
}

/** Victims' Right to Review of a decision not to charge (NPCC and CPS schemes). */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller()
export class ReviewsController {
  constructor(private readonly commands: CaseCommandsService) {}

  @Post('cases/:id/reviews')
  @Roles('officer', 'supervisor', 'cps')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body returns the first result' })
  async request(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: RequestReviewDto, @IdempotencyKey() key?: string) {
    const reviewId = key ? stableId(p.id, key, 'review') : randomUUID();
    const view = await this.commands.send(p, caseId, { type: 'requestVictimReview', reviewId, scheme: dto.scheme }, { document: { kind: 'review-request', body: { ...dto } }, idempotencyKey: key });
    return { reviewId, case: view };
  }

  @Post('reviews/:id/acknowledge')
  @HttpCode(200)
  @Roles('supervisor', 'cps')
  async acknowledge(@CurrentPrincipal() p: Principal, @UuidParam() reviewId: string) {
    const caseId = await this.commands.caseOfItem(p, 'review', reviewId);
    return this.commands.send(p, caseId, { type: 'acknowledgeVictimReview', reviewId });
  }

  @Post('reviews/:id/decision')
  @HttpCode(200)
  @Roles('supervisor', 'cps')
  async decide(@CurrentPrincipal() p: Principal, @UuidParam() reviewId: string, @Body() dto: ReviewDecisionDto) {
    const caseId = await this.commands.caseOfItem(p, 'review', reviewId);
    return this.commands.send(p, caseId, { type: 'decideVictimReview', reviewId, outcome: dto.outcome }, { document: { kind: 'review-decision', body: { ...dto } } });
  }
}
