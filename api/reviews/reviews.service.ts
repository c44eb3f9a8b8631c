import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { stableId } from '../common/idempotency';
import { buildCommand } from '../cases/case-command-builders';
import { CaseCommandsService } from '../cases/case-commands.service';
import type { RequestReviewDto, ReviewDecisionDto } from './reviews.dto';

/** A victim's review request through its life, as case commands on the review's case. */
@Injectable()
export class ReviewsService {
  constructor(private readonly commands: CaseCommandsService) {}

  async request(principal: Principal, caseId: string, dto: RequestReviewDto, key?: string) {
    const reviewId = key ? stableId(principal.id, key, 'review') : randomUUID();
    const [command, opts] = buildCommand.requestVictimReview(reviewId, dto);
    const view = await this.commands.send(principal, caseId, command, { ...opts, idempotencyKey: key });
    return { reviewId, case: view };
  }

  async acknowledge(principal: Principal, reviewId: string) {
    const kase = await this.commands.caseOfItem(principal, 'review', reviewId);
    return this.commands.send(principal, kase, ...buildCommand.acknowledgeVictimReview(reviewId));
  }

  async decide(principal: Principal, reviewId: string, dto: ReviewDecisionDto) {
    const kase = await this.commands.caseOfItem(principal, 'review', reviewId);
    return this.commands.send(principal, kase, ...buildCommand.decideVictimReview(reviewId, dto));
  }
}
