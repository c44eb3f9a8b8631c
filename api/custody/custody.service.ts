import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { CaseCommandsService } from '../cases/case-commands.service';
import { PeopleLookup } from '../people/people.lookup';
import type { BailDto, ExtendBailDto } from './custody.dto';

/** A suspect's bail or release under investigation, as case commands; whoever authorised bail must be active police. */
@Injectable()
export class CustodyService {
  constructor(private readonly commands: CaseCommandsService, private readonly people: PeopleLookup) {}

  async bail(principal: Principal, caseId: string, suspectId: string, dto: BailDto) {
    // The case first: who authorised is checked against it, and a case the caller cannot open answers as such.
    await this.commands.openable(principal, caseId);
    await this.people.assertActive(dto.authorisedBy, 'authorisedBy', 'police', caseId);
    return this.commands.send(principal, caseId, { type: 'recordBail', suspectId, startedAt: new Date(dto.startedAt).toISOString() }, dto.conditions ? { document: { kind: 'bail-conditions', body: { conditions: dto.conditions } } } : {});
  }

  async extendBail(principal: Principal, caseId: string, suspectId: string, dto: ExtendBailDto) {
    await this.commands.openable(principal, caseId);
    await this.people.assertActive(dto.authorisedBy, 'authorisedBy', 'police', caseId);
    return this.commands.send(principal, caseId, { type: 'extendBail', suspectId, authorisedById: dto.authorisedBy, courtOrderedUntil: dto.courtOrderedUntil && new Date(dto.courtOrderedUntil).toISOString() }, { named: [dto.authorisedBy] });
  }

  rui(principal: Principal, caseId: string, suspectId: string) {
    return this.commands.send(principal, caseId, { type: 'recordReleaseUnderInvestigation', suspectId });
  }
}
