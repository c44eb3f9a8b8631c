import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { toActionPlan } from '../action-plans/action-plan.mapper';
import type { Principal } from '../auth/principal';
import { stableId } from '../common/idempotency';
import { CaseCommandsService } from '../cases/case-commands.service';
import { PeopleLookup } from '../people/people.lookup';
import type { NoteDto } from '../common/dto';
import type { ChargingDecisionDto, ReturnFileDto, SubmitFileDto, TriageFileDto } from './submissions.dto';

/** A charging submission through its life, as case commands on the submission's case. */
@Injectable()
export class SubmissionsService {
  constructor(private readonly commands: CaseCommandsService, private readonly people: PeopleLookup) {}

  async submit(principal: Principal, caseId: string, dto: SubmitFileDto, key?: string) {
    const submissionId = key ? stableId(principal.id, key, 'submission') : randomUUID();
    const { report, ...rest } = dto;
    const view = await this.commands.send(principal, caseId, { type: 'submitFile', submissionId, test: rest.test, category: rest.category, checklist: { ...rest.checklist } },
      { document: { kind: 'charging-submission', body: { report } }, idempotencyKey: key });
    return { submissionId, case: view };
  }

  async approve(principal: Principal, submissionId: string) {
    const caseId = await this.commands.caseOfItem(principal, 'submission', submissionId);
    return this.commands.send(principal, caseId, { type: 'approveSubmission', submissionId });
  }

  async returnFile(principal: Principal, submissionId: string, dto: ReturnFileDto) {
    const caseId = await this.commands.caseOfItem(principal, 'submission', submissionId);
    return this.commands.send(principal, caseId, { type: 'returnSubmission', submissionId, reasons: dto.reasons }, dto.note ? { document: { kind: 'file-return', body: { note: dto.note } } } : {});
  }

  async triage(principal: Principal, submissionId: string, dto: TriageFileDto) {
    const caseId = await this.commands.caseOfItem(principal, 'submission', submissionId);
    if (dto.decision === 'accept') {
      await this.people.assertActive(dto.prosecutorId!, 'prosecutorId', 'cps', caseId);
      return this.commands.send(principal, caseId, { type: 'triageSubmission', submissionId, decision: 'accept', prosecutorId: dto.prosecutorId! });
    }
    return this.commands.send(principal, caseId, { type: 'triageSubmission', submissionId, decision: 'return', reasons: dto.reasons! });
  }

  async decide(principal: Principal, submissionId: string, dto: ChargingDecisionDto) {
    const caseId = await this.commands.caseOfItem(principal, 'submission', submissionId);
    const document = { kind: 'charging-decision', body: { decision: dto.decision, grounds: dto.grounds } as Record<string, unknown> };
    if (dto.decision === 'returned') {
      return this.commands.send(principal, caseId, { type: 'triageSubmission', submissionId, decision: 'return', reasons: dto.reasons! }, { document });
    }
    const plan = dto.decision === 'action-plan' && dto.actionPlan ? toActionPlan(dto.actionPlan) : undefined;
    if (plan) document.body.actionPlan = plan.document;
    if (dto.dcpReviewerId) await this.people.assertActive(dto.dcpReviewerId, 'dcpReviewerId', 'cps', caseId);
    return this.commands.send(principal, caseId, {
      type: 'recordChargingDecision', submissionId, decision: dto.decision,
      nfaGround: dto.outcomeCode === 9 ? 'public-interest' : dto.outcomeCode === 15 ? 'evidential' : undefined,
      actionPlan: plan?.plan, preNfaMeetingAt: dto.preNfaMeetingAt && new Date(dto.preNfaMeetingAt).toISOString(), dcpReviewerId: dto.dcpReviewerId,
      ...(dto.fullCodeReviewBy ? { fullCodeReviewBy: new Date(dto.fullCodeReviewBy).toISOString() } : {}),
    }, { document, named: dto.dcpReviewerId ? [dto.dcpReviewerId] : [] });
  }

  /** The Full Code Test applied to a Threshold Test charge: the review recorded closes its clock (T12). */
  async fullCodeTestReview(principal: Principal, submissionId: string, dto: NoteDto) {
    const caseId = await this.commands.caseOfItem(principal, 'submission', submissionId);
    return this.commands.send(principal, caseId, { type: 'recordFullCodeTestReview', submissionId }, { document: { kind: 'full-code-test-review', body: { note: dto.note } } });
  }
}
