import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import type { ReasonDto } from '../common/dto';
import { stableId } from '../common/idempotency';
import { toActionPlan } from '../action-plans/action-plan.mapper';
import { CaseCommandsService } from '../cases/case-commands.service';
import { PeopleLookup } from '../people/people.lookup';
import type { RecordAdviceDto, RequestEarlyAdviceDto, TriageEarlyAdviceDto } from './early-advice.dto';

/** An Early Advice request through its life, as case commands on the request's case. */
@Injectable()
export class EarlyAdviceService {
  constructor(private readonly commands: CaseCommandsService, private readonly people: PeopleLookup) {}

  async request(principal: Principal, caseId: string, dto: RequestEarlyAdviceDto, key?: string) {
    const requestId = key ? stableId(principal.id, key, 'early-advice') : randomUUID();
    const view = await this.commands.send(principal, caseId, { type: 'requestEarlyAdvice', requestId }, { document: { kind: 'early-advice-request', body: { ...dto } }, idempotencyKey: key });
    return { requestId, case: view };
  }

  notSought(principal: Principal, caseId: string, dto: ReasonDto) {
    return this.commands.send(principal, caseId, { type: 'recordEarlyAdviceNotSought' }, { document: { kind: 'early-advice-not-sought', body: { ...dto } } });
  }

  async endorse(principal: Principal, requestId: string) {
    const caseId = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    return this.commands.send(principal, caseId, { type: 'endorseEarlyAdvice', requestId });
  }

  async triage(principal: Principal, requestId: string, dto: TriageEarlyAdviceDto) {
    const caseId = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    if (dto.decision === 'accept') {
      await this.people.assertActive(dto.prosecutorId!, 'prosecutorId', 'cps', caseId);
      return this.commands.send(principal, caseId, { type: 'triageEarlyAdvice', requestId, decision: 'accept', prosecutorId: dto.prosecutorId! });
    }
    return this.commands.send(principal, caseId, { type: 'triageEarlyAdvice', requestId, decision: 'reject', reasons: dto.reasons!, respondBy: dto.respondBy && new Date(dto.respondBy).toISOString() },
      dto.note ? { document: { kind: 'early-advice-rejection', body: { note: dto.note } } } : {});
  }

  async appeal(principal: Principal, requestId: string, dto: ReasonDto) {
    const caseId = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    return this.commands.send(principal, caseId, { type: 'appealEarlyAdviceRejection', requestId }, { document: { kind: 'early-advice-appeal', body: { ...dto } } });
  }

  async advise(principal: Principal, requestId: string, dto: RecordAdviceDto) {
    const caseId = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    const plan = dto.actionPlan && toActionPlan(dto.actionPlan);
    return this.commands.send(principal, caseId, { type: 'recordEarlyAdvice', requestId, actionPlan: plan?.plan },
      { document: { kind: 'early-advice', body: { advice: dto.advice, actionPlan: plan?.document } } });
  }
}
