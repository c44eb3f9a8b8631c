import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import type { ReasonDto } from '../common/dto';
import { CaseCommandsService } from '../cases/case-commands.service';
import type { PoliceNfaDto, ReopenDto, VictimContactDto, WithdrawalReviewDto } from './case-outcomes.dto';

/** How a case ends (or restarts), as case commands; each keeps what was said or decided as a document. */
@Injectable()
export class CaseOutcomesService {
  constructor(private readonly commands: CaseCommandsService) {}

  victimContact(principal: Principal, caseId: string, dto: VictimContactDto) {
    return this.commands.send(principal, caseId, { type: 'recordVictimContact', kind: dto.kind }, { document: { kind: 'victim-contact', body: { ...dto } } });
  }

  withdrawal(principal: Principal, caseId: string, dto: ReasonDto) {
    return this.commands.send(principal, caseId, { type: 'recordVictimWithdrawal' }, { document: { kind: 'victim-withdrawal', body: { ...dto } } });
  }

  reviewWithdrawal(principal: Principal, caseId: string, dto: WithdrawalReviewDto) {
    return this.commands.send(principal, caseId, { type: 'reviewVictimWithdrawal', decision: dto.decision }, { document: { kind: 'withdrawal-review', body: { ...dto } } });
  }

  policeNfa(principal: Principal, caseId: string, dto: PoliceNfaDto) {
    return this.commands.send(principal, caseId, { type: 'recordPoliceNfa', outcomeCode: dto.outcomeCode }, { document: { kind: 'police-nfa', body: { ...dto } } });
  }

  adminFinalise(principal: Principal, caseId: string, dto: ReasonDto) {
    return this.commands.send(principal, caseId, { type: 'adminFinalise' }, { document: { kind: 'admin-finalisation', body: { ...dto } } });
  }

  close(principal: Principal, caseId: string) {
    return this.commands.send(principal, caseId, { type: 'closeCase' });
  }

  reopen(principal: Principal, caseId: string, dto: ReopenDto) {
    return this.commands.send(principal, caseId, { type: 'reopenCase', ground: dto.ground }, { document: { kind: 'reopening', body: { ...dto } } });
  }
}
