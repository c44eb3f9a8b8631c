import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { IdempotencyKey } from '../common/idempotency';
import { UuidParam } from '../common/params';
import { RequestReviewDto, ReviewDecisionDto } from './reviews.dto';
import { ReviewsService } from './reviews.service';

/** Victims' Right to Review of a decision not to charge (NPCC and CPS schemes). */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller()
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Post('cases/:id/reviews')
  @Roles('officer', 'supervisor', 'cps')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body returns the first result' })
  request(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: RequestReviewDto, @IdempotencyKey() key?: string) {
    return this.reviews.request(p, caseId, dto, key);
  }

  @Post('reviews/:id/acknowledge')
  @HttpCode(200)
  @Roles('supervisor', 'cps')
  acknowledge(@CurrentPrincipal() p: Principal, @UuidParam() reviewId: string) {
    return this.reviews.acknowledge(p, reviewId);
  }

  @Post('reviews/:id/decision')
  @HttpCode(200)
  @Roles('supervisor', 'cps')
  decide(@CurrentPrincipal() p: Principal, @UuidParam() reviewId: string, @Body() dto: ReviewDecisionDto) {
    return this.reviews.decide(p, reviewId, dto);
  }
}
