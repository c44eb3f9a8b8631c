import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import type { ReasonDto } from '../common/dto';
import { buildCommand } from '../cases/case-command-builders';
import { CaseCommandsService } from '../cases/case-commands.service';
import type { PoliceNfaDto, ReopenDto, VictimContactDto, WithdrawalReviewDto } from './case-outcomes.dto';

/** How a case ends (or restarts), as case commands; each keeps what was said or decided as a document. */
@Injectable()
export class CaseOutcomesService {
  constructor(private readonly commands: CaseCommandsService) {}

  victimContact(principal: Principal, caseId: string, dto: VictimContactDto, idempotencyKey?: string) {
    const [command, opts] = buildCommand.victimContact(dto);
    return this.commands.send(principal, caseId, command, { ...opts, idempotencyKey });
  }

  withdrawal(principal: Principal, caseId: string, dto: ReasonDto) {
    return this.commands.send(principal, caseId, ...buildCommand.victimWithdrawal(dto));
  }

  reviewWithdrawal(principal: Principal, caseId: string, dto: WithdrawalReviewDto) {
    return this.commands.send(principal, caseId, ...buildCommand.reviewVictimWithdrawal(dto));
  }

  policeNfa(principal: Principal, caseId: string, dto: PoliceNfaDto) {
    return this.commands.send(principal, caseId, ...buildCommand.policeNfa(dto));
  }

  adminFinalise(principal: Principal, caseId: string, dto: ReasonDto) {
    return this.commands.send(principal, caseId, ...buildCommand.adminFinalise(dto));
  }

  close(principal: Principal, caseId: string) {
    return this.commands.send(principal, caseId, ...buildCommand.closeCase());
  }

  reopen(principal: Principal, caseId: string, dto: ReopenDto) {
    return this.commands.send(principal, caseId, ...buildCommand.reopenCase(dto));
  }
}
