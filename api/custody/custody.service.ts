import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { buildCommand } from '../cases/case-command-builders';
import { CaseCommandsService } from '../cases/case-commands.service';
import { ApiError } from '../common/api-error';
import { PeopleLookup } from '../people/people.lookup';
import type {
  ArrivalInCustodyDto, BailDto, CourtBailApplicationDto, CourtBailDecisionDto, DetentionReviewDto, ExceptionallyComplexDto, ExtendBailDto, ExtendDetentionDto,
  WarrantOfFurtherDetentionDto,
} from './custody.dto';

const instant = (value: string) => new Date(value).toISOString();

/**
 * A suspect's detention, bail or release under investigation, as case commands. Whoever is named as having authorised
 * or reviewed must be active police reaching the case; their rank is checked by the case's rules.
 */
@Injectable()
export class CustodyService {
  constructor(private readonly commands: CaseCommandsService, private readonly people: PeopleLookup) {}

  async bail(principal: Principal, caseId: string, suspectId: string, dto: BailDto) {
    // The case first: who authorised is checked against it, and a case the caller cannot open answers as such.
    await this.commands.openable(principal, caseId);
    await this.people.assertActive(dto.authorisedBy, 'authorisedBy', 'police', caseId);
    return this.commands.send(principal, caseId, ...buildCommand.recordBail(suspectId, dto));
  }

  async extendBail(principal: Principal, caseId: string, suspectId: string, dto: ExtendBailDto) {
    await this.named(principal, caseId, dto.authorisedBy, 'authorisedBy');
    return this.commands.send(principal, caseId, ...buildCommand.extendBail(suspectId, dto));
  }

  rui(principal: Principal, caseId: string, suspectId: string) {
    return this.commands.send(principal, caseId, ...buildCommand.releaseUnderInvestigation(suspectId));
  }

  async designateExceptionallyComplex(principal: Principal, caseId: string, suspectId: string, dto: ExceptionallyComplexDto) {
    await this.named(principal, caseId, dto.authorisedBy, 'authorisedBy');
    return this.commands.send(principal, caseId, { type: 'designateExceptionallyComplex', suspectId, authorisedById: dto.authorisedBy, dppConsultedAt: instant(dto.dppConsultedAt) }, { named: [dto.authorisedBy] });
  }

  applyForCourtExtension(principal: Principal, caseId: string, suspectId: string, dto: CourtBailApplicationDto) {
    return this.commands.send(principal, caseId, ...buildCommand.applyForCourtBailExtension(suspectId, dto));
  }

  courtDecision(principal: Principal, caseId: string, suspectId: string, dto: CourtBailDecisionDto) {
    return this.commands.send(principal, caseId, ...buildCommand.courtBailDecision(suspectId, dto));
  }

  /** The custody officer must hold the directory's `custody` role: the detention clock's reminders reach them. */
  async arrival(principal: Principal, caseId: string, suspectId: string, dto: ArrivalInCustodyDto) {
    await this.commands.openable(principal, caseId);
    const officer = await this.people.assertActive(dto.custodyOfficerId, 'custodyOfficerId', 'police', caseId);
    if (!officer.roles.includes('custody')) throw ApiError.unprocessable('custodyOfficerId must be a custody officer.', [{ field: 'custodyOfficerId', problem: 'does not hold the custody role' }]);
    return this.commands.send(principal, caseId, { type: 'recordArrivalInCustody', suspectId, relevantTime: instant(dto.relevantTime), custodyOfficerId: dto.custodyOfficerId });
  }

  async review(principal: Principal, caseId: string, suspectId: string, dto: DetentionReviewDto) {
    await this.named(principal, caseId, dto.reviewerId, 'reviewerId');
    return this.commands.send(principal, caseId, { type: 'recordDetentionReview', suspectId, reviewerId: dto.reviewerId }, {
      named: [dto.reviewerId], ...(dto.note ? { document: { kind: 'detention-review', body: { note: dto.note } } } : {}),
    });
  }

  async extendDetention(principal: Principal, caseId: string, suspectId: string, dto: ExtendDetentionDto) {
    await this.named(principal, caseId, dto.authorisedBy, 'authorisedBy');
    return this.commands.send(principal, caseId, { type: 'extendDetention', suspectId, authorisedById: dto.authorisedBy }, {
      named: [dto.authorisedBy], document: { kind: 'detention-extension', body: { grounds: dto.grounds } },
    });
  }

  warrant(principal: Principal, caseId: string, suspectId: string, dto: WarrantOfFurtherDetentionDto) {
    return this.commands.send(principal, caseId, { type: 'recordWarrantOfFurtherDetention', suspectId, expiresAt: instant(dto.expiresAt) }, dto.note ? { document: { kind: 'detention-warrant', body: { note: dto.note } } } : {});
  }

  release(principal: Principal, caseId: string, suspectId: string) {
    return this.commands.send(principal, caseId, { type: 'releaseWithNoFurtherAction', suspectId });
  }

  /** A named authority: active police of the case's force (checked after the case, so an unopenable case answers as such). */
  private async named(principal: Principal, caseId: string, personId: string, field: string): Promise<void> {
    await this.commands.openable(principal, caseId);
    await this.people.assertActive(personId, field, 'police', caseId);
  }
}
