import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { VICTIM_CONTACT_KINDS, type VictimContactKind } from '../../workflows/contracts';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ReasonDto, TEXT_MAX } from '../common/dto';
import { UuidParam } from '../common/params';
import { CaseCommandsService } from '../cases/case-commands.service';

export class VictimContactDto {
  @ApiProperty({ enum: VICTIM_CONTACT_KINDS }) @IsIn(VICTIM_CONTACT_KINDS)
  kind!: VictimContactKind;

  @ApiProperty({ description: 'What was said or agreed (stored, never emailed)' }) @IsString() @Length(1, TEXT_MAX)
  note!: string;
}

export class WithdrawalReviewDto {
  @ApiProperty({ enum: ['re-engaged', 'evidence-led', 'nfa'], description: "'nfa' finalises as outcome 16" }) @IsIn(['re-engaged', 'evidence-led', 'nfa'])
  decision!: 're-engaged' | 'evidence-led' | 'nfa';

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  rationale!: string;
}

export class PoliceNfaDto {
  @ApiProperty({ enum: [10, 12, 13, 14, 15, 16], description: 'Home Office outcome code' }) @IsIn([10, 12, 13, 14, 15, 16])
  outcomeCode!: 10 | 12 | 13 | 14 | 15 | 16;

  @ApiProperty() @IsString() @Length(20, TEXT_MAX)
  rationale!: string;
}

export class ReopenDto {
  @ApiProperty({ enum: ['new-evidence', 'review-upheld'] }) @IsIn(['new-evidence', 'review-upheld'])
  ground!: 'new-evidence' | 'review-upheld';

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  reason!: string;
}

/** Victims' Code contacts, withdrawal (outcome 16), police NFA, administrative finalisation, closure, reopening. */
@ApiTags('case outcomes')
@ApiBearerAuth()
@Controller('cases/:id')
export class CaseOutcomesController {
  constructor(private readonly commands: CaseCommandsService) {}

  @Post('victim-contacts')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  contact(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: VictimContactDto) {
    return this.commands.send(p, caseId, { type: 'recordVictimContact', kind: dto.kind }, { document: { kind: 'victim-contact', body: { ...dto } } });
  }

  @Post('victim-withdrawal')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  withdrawal(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: ReasonDto) {
    return this.commands.send(p, caseId, { type: 'recordVictimWithdrawal' }, { document: { kind: 'victim-withdrawal', body: { ...dto } } });
  }

  @Post('victim-withdrawal/review')
  @HttpCode(200)
  @Roles('supervisor')
  reviewWithdrawal(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: WithdrawalReviewDto) {
    return this.commands.send(p, caseId, { type: 'reviewVictimWithdrawal', decision: dto.decision }, { document: { kind: 'withdrawal-review', body: { ...dto } } });
  }

  @Post('police-nfa')
  @HttpCode(200)
  @Roles('supervisor')
  policeNfa(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: PoliceNfaDto) {
    return this.commands.send(p, caseId, { type: 'recordPoliceNfa', outcomeCode: dto.outcomeCode }, { document: { kind: 'police-nfa', body: { ...dto } } });
  }

  @Post('admin-finalise')
  @HttpCode(200)
  @Roles('cps')
  adminFinalise(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: ReasonDto) {
    return this.commands.send(p, caseId, { type: 'adminFinalise' }, { document: { kind: 'admin-finalisation', body: { ...dto } } });
  }

  @Post('close')
  @HttpCode(200)
  @Roles('supervisor', 'cps')
  close(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string) {
    return this.commands.send(p, caseId, { type: 'closeCase' });
  }

  @Post('reopen')
  @HttpCode(200)
  @Roles('supervisor', 'cps')
  reopen(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @Body() dto: ReopenDto) {
    return this.commands.send(p, caseId, { type: 'reopenCase', ground: dto.ground }, { document: { kind: 'reopening', body: { ...dto } } });
  }
}
