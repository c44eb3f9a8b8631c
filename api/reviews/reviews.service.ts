import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { stableId } from '../common/idempotency';
import { CaseCommandsService } from '../cases/case-commands.service';
import type { RequestReviewDto, ReviewDecisionDto } from './reviews.dto';

/** A victim's review request through its life, as case commands on the review's case. */
@Injectable()
export class ReviewsService {
  constructor(private readonly commands: CaseCommandsService) {}

  async request(principal: Principal, caseId: string, dto: RequestReviewDto, key?: string) {
    const reviewId = key ? stableId(principal.id, key, 'review') : randomUUID();
    const view = await this.commands.send(principal, caseId, { type: 'requestVictimReview', reviewId, scheme: dto.scheme }, { document: { kind: 'review-request', body: { ...dto } }, idempotencyKey: key });
    return { reviewId, case: view };
  }

  async acknowledge(principal: Principal, reviewId: string) {
    const caseId = await this.commands.caseOfItem(principal, 'review', reviewId);
    return this.commands.send(principal, caseId, { type: 'acknowledgeVictimReview', reviewId });
  }

  async decide(principal: Principal, reviewId: string, dto: ReviewDecisionDto) {
    const caseId = await this.commands.caseOfItem(principal, 'review', reviewId);
    return this.commands.send(principal, caseId, { type: 'decideVictimReview', reviewId, outcome: dto.outcome }, { document: { kind: 'review-decision', body: { ...dto } } });
  }
}
