import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { buildCommand } from '../cases/case-command-builders';
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
    const [command, opts] = buildCommand.submitFile(submissionId, dto);
    const view = await this.commands.send(principal, caseId, command, { ...opts, idempotencyKey: key });
    return { submissionId, case: view };
  }

  async approve(principal: Principal, submissionId: string) {
    const kase = await this.commands.caseOfItem(principal, 'submission', submissionId);
    return this.commands.send(principal, kase, ...buildCommand.approveSubmission(submissionId));
  }

  async returnFile(principal: Principal, submissionId: string, dto: ReturnFileDto) {
    const kase = await this.commands.caseOfItem(principal, 'submission', submissionId);
    return this.commands.send(principal, kase, ...buildCommand.returnSubmission(submissionId, dto));
  }

  async triage(principal: Principal, submissionId: string, dto: TriageFileDto) {
    const kase = await this.commands.caseOfItem(principal, 'submission', submissionId);
    if (dto.decision === 'accept') await this.people.assertActive(dto.prosecutorId!, 'prosecutorId', 'cps', kase.id);
    return this.commands.send(principal, kase, ...buildCommand.triageSubmission(submissionId, dto));
  }

  async decide(principal: Principal, submissionId: string, dto: ChargingDecisionDto) {
    const kase = await this.commands.caseOfItem(principal, 'submission', submissionId);
    const built = buildCommand.chargingDecision(submissionId, dto);
    if (dto.decision !== 'returned' && dto.dcpReviewerId) await this.people.assertActive(dto.dcpReviewerId, 'dcpReviewerId', 'cps', kase.id);
    return this.commands.send(principal, kase, ...built);
  }

  /** The Full Code Test applied to a Threshold Test charge: the review recorded closes its clock (T12). */
  async fullCodeTestReview(principal: Principal, submissionId: string, dto: NoteDto) {
    const kase = await this.commands.caseOfItem(principal, 'submission', submissionId);
    return this.commands.send(principal, kase, { type: 'recordFullCodeTestReview', submissionId }, { document: { kind: 'full-code-test-review', body: { note: dto.note } } });
  }
}
