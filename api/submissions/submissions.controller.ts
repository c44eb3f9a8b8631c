import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { toActionPlan } from '../action-plans/action-plan.mapper';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { IdempotencyKey, stableId } from '../common/idempotency';
import { UuidParam } from '../common/params';
import { CaseCommandsService } from '../cases/case-commands.service';
import { PeopleLookup } from '../people/people.lookup';
import { ChargingDecisionDto, ReturnFileDto, SubmitFileDto, TriageFileDto } from './submissions.dto';

/** Charging submissions: the officer submits, a police gatekeeper approves, CPS triage accepts, a prosecutor decides. */
@ApiTags('charging')
@ApiBearerAuth()
@Controller()
export class SubmissionsController {
  constructor(private readonly commands: CaseCommandsService, private readonly people: PeopleLookup) {}

  @Post('cases/:id/submissions')
  @Roles('officer', 'supervisor')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body returns the first result' })
  async submit(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string, @Body() dto: SubmitFileDto, @IdempotencyKey() key?: string) {
    const submissionId = key ? stableId(principal.id, key, 'submission') : randomUUID();
    const { report, ...rest } = dto;
    const view = await this.commands.send(principal, caseId, { type: 'submitFile', submissionId, test: rest.test, category: rest.category, checklist: { ...rest.checklist } },
      { document: { kind: 'charging-submission', body: { report } }, idempotencyKey: key });
    return { submissionId, case: view };
  }

  @Post('submissions/:id/approve')
  @HttpCode(200)
  @Roles('supervisor')
  async approve(@CurrentPrincipal() principal: Principal, @UuidParam() submissionId: string) {
    const caseId = await this.commands.caseOfItem(principal, 'submission', submissionId);
    return this.commands.send(principal, caseId, { type: 'approveSubmission', submissionId });
  }

  @Post('submissions/:id/return')
  @HttpCode(200)
  @Roles('supervisor')
  async return(@CurrentPrincipal() principal: Principal, @UuidParam() submissionId: string, @Body() dto: ReturnFileDto) {
    const caseId = await this.commands.caseOfItem(principal, 'submission', submissionId);
    return this.commands.send(principal, caseId, { type: 'returnSubmission', submissionId, reasons: dto.reasons }, dto.note ? { document: { kind: 'file-return', body: { note: dto.note } } } : {});
  }

  @Post('submissions/:id/triage')
  @HttpCode(200)
  @Roles('cps')
  async triage(@CurrentPrincipal() principal: Principal, @UuidParam() submissionId: string, @Body() dto: TriageFileDto) {
    const caseId = await this.commands.caseOfItem(principal, 'submission', submissionId);
    if (dto.decision === 'accept') {
      await this.people.assertActive(dto.prosecutorId!, 'prosecutorId', 'cps');
      return this.commands.send(principal, caseId, { type: 'triageSubmission', submissionId, decision: 'accept', prosecutorId: dto.prosecutorId! });
    }
    return this.commands.send(principal, caseId, { type: 'triageSubmission', submissionId, decision: 'return', reasons: dto.reasons! });
  }

  @Post('submissions/:id/decision')
  @HttpCode(200)
  @Roles('cps')
  async decide(@CurrentPrincipal() principal: Principal, @UuidParam() submissionId: string, @Body() dto: ChargingDecisionDto) {
    const caseId = await this.commands.caseOfItem(principal, 'submission', submissionId);
    const document = { kind: 'charging-decision', body: { decision: dto.decision, grounds: dto.grounds } as Record<string, unknown> };
    if (dto.decision === 'returned') {
      return this.commands.send(principal, caseId, { type: 'triageSubmission', submissionId, decision: 'return', reasons: dto.reasons! }, { document });
    }
    const plan = dto.decision === 'action-plan' && dto.actionPlan ? toActionPlan(dto.actionPlan) : undefined;
    if (plan) document.body.actionPlan = plan.document;
    if (dto.dcpReviewerId) await this.people.assertActive(dto.dcpReviewerId, 'dcpReviewerId', 'cps');
    return this.commands.send(principal, caseId, {
      type: 'recordChargingDecision', submissionId, decision: dto.decision,
      nfaGround: dto.outcomeCode === 9 ? 'public-interest' : dto.outcomeCode === 15 ? 'evidential' : undefined,
      actionPlan: plan?.plan, preNfaMeetingAt: dto.preNfaMeetingAt && new Date(dto.preNfaMeetingAt).toISOString(), dcpReviewerId: dto.dcpReviewerId,
    }, { document, named: dto.dcpReviewerId ? [dto.dcpReviewerId] : [] });
  }
}
