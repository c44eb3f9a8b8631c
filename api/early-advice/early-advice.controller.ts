import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ReasonDto } from '../common/dto';
import { IdempotencyKey, stableId } from '../common/idempotency';
import { UuidParam } from '../common/params';
import { toActionPlan } from '../action-plans/action-plan.mapper';
import { CaseCommandsService } from '../cases/case-commands.service';
import { PeopleLookup } from '../people/people.lookup';
import { RecordAdviceDto, RequestEarlyAdviceDto, TriageEarlyAdviceDto } from './early-advice.dto';

/** Early Advice: the officer asks, a supervisor endorses, CPS triage accepts or rejects, the prosecutor advises. */
@ApiTags('early advice')
@ApiBearerAuth()
@Controller()
export class EarlyAdviceController {
  constructor(private readonly commands: CaseCommandsService, private readonly people: PeopleLookup) {}

  @Post('cases/:id/early-advice')
  @Roles('officer', 'supervisor')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body returns the first result' })
  async request(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string, @Body() dto: RequestEarlyAdviceDto, @IdempotencyKey() key?: string) {
    const requestId = key ? stableId(principal.id, key, 'early-advice') : randomUUID();
    const view = await this.commands.send(principal, caseId, { type: 'requestEarlyAdvice', requestId }, { document: { kind: 'early-advice-request', body: { ...dto } }, idempotencyKey: key });
    return { requestId, case: view };
  }

  @Post('cases/:id/early-advice/not-sought')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  notSought(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string, @Body() dto: ReasonDto) {
    return this.commands.send(principal, caseId, { type: 'recordEarlyAdviceNotSought' }, { document: { kind: 'early-advice-not-sought', body: { ...dto } } });
  }

  @Post('early-advice/:id/endorse')
  @HttpCode(200)
  @Roles('supervisor')
  async endorse(@CurrentPrincipal() principal: Principal, @UuidParam() requestId: string) {
    const caseId = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    return this.commands.send(principal, caseId, { type: 'endorseEarlyAdvice', requestId });
  }

  @Post('early-advice/:id/triage')
  @HttpCode(200)
  @Roles('cps')
  async triage(@CurrentPrincipal() principal: Principal, @UuidParam() requestId: string, @Body() dto: TriageEarlyAdviceDto) {
    const caseId = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    if (dto.decision === 'accept') {
      await this.people.assertActive(dto.prosecutorId!, 'prosecutorId', 'cps');
      return this.commands.send(principal, caseId, { type: 'triageEarlyAdvice', requestId, decision: 'accept', prosecutorId: dto.prosecutorId! });
    }
    return this.commands.send(principal, caseId, { type: 'triageEarlyAdvice', requestId, decision: 'reject', reasons: dto.reasons!, respondBy: dto.respondBy && new Date(dto.respondBy).toISOString() },
      dto.note ? { document: { kind: 'early-advice-rejection', body: { note: dto.note } } } : {});
  }

  @Post('early-advice/:id/appeal')
  @HttpCode(200)
  @Roles('supervisor')
  async appeal(@CurrentPrincipal() principal: Principal, @UuidParam() requestId: string, @Body() dto: ReasonDto) {
    const caseId = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    return this.commands.send(principal, caseId, { type: 'appealEarlyAdviceRejection', requestId }, { document: { kind: 'early-advice-appeal', body: { ...dto } } });
  }

  @Post('early-advice/:id/advice')
  @HttpCode(200)
  @Roles('cps')
  async advice(@CurrentPrincipal() principal: Principal, @UuidParam() requestId: string, @Body() dto: RecordAdviceDto) {
    const caseId = await this.commands.caseOfItem(principal, 'early-advice', requestId);
    const plan = dto.actionPlan && toActionPlan(dto.actionPlan);
    return this.commands.send(principal, caseId, { type: 'recordEarlyAdvice', requestId, actionPlan: plan?.plan },
      { document: { kind: 'early-advice', body: { advice: dto.advice, actionPlan: plan?.document } } });
  }
}
