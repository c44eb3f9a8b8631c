import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import type { ReasonDto } from '../common/dto';
import { stableId } from '../common/idempotency';
import { buildCommand } from '../cases/case-command-builders';
import { CaseCommandsService } from '../cases/case-commands.service';
import { PeopleLookup } from '../people/people.lookup';
import type { RecordAdviceDto, RequestEarlyAdviceDto, TriageEarlyAdviceDto } from './early-advice.dto';

/** An Early Advice request through its life, as case commands on the request's case. */
@Injectable()
export class EarlyAdviceService {
  constructor(private readonly commands: CaseCommandsService, private readonly people: PeopleLookup) {}

  async request(principal: Principal, caseId: string, dto: RequestEarlyAdviceDto, key?: string) {
    const requestId = key ? stableId(principal.id, key, 'early-advice') : randomUUID();
    const [command, opts] = buildCommand.requestEarlyAdvice(requestId, dto);
    const view = await this.commands.send(principal, caseId, command, { ...opts, idempotencyKey: key });
    return { requestId, case: view };
  }

  notSought(principal: Principal, caseId: string, dto: ReasonDto) {
    return this.commands.send(principal, caseId, ...buildCommand.earlyAdviceNotSought(dto));
  }

  async endorse(principal: Principal, requestId: string) {
    const kase = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    return this.commands.send(principal, kase, ...buildCommand.endorseEarlyAdvice(requestId));
  }

  async triage(principal: Principal, requestId: string, dto: TriageEarlyAdviceDto) {
    const kase = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    if (dto.decision === 'accept') await this.people.assertActive(dto.prosecutorId!, 'prosecutorId', 'cps', kase.id);
    return this.commands.send(principal, kase, ...buildCommand.triageEarlyAdvice(requestId, dto));
  }

  async appeal(principal: Principal, requestId: string, dto: ReasonDto) {
    const kase = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    return this.commands.send(principal, kase, ...buildCommand.appealEarlyAdviceRejection(requestId, dto));
  }

  async advise(principal: Principal, requestId: string, dto: RecordAdviceDto) {
    const kase = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    return this.commands.send(principal, kase, ...buildCommand.recordEarlyAdvice(requestId, dto));
  }
}
