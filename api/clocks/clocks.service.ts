import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CaseClock } from '../../db/entities';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import type { ReasonDto } from '../common/dto';
import { CaseCommandsService } from '../cases/case-commands.service';
import { DATA_SOURCE } from '../infrastructure/tokens';
import { PeopleLookup } from '../people/people.lookup';
import type { ChangeDueDateDto, PauseClockDto } from './clocks.dto';

/** A clock id is its key: `<clock name>:<uuid of what it is about>`, e.g. `actionPlan.item:6f1c…`. */
const CLOCK_KEY = /^[a-zA-Z]+(\.[a-zA-Z]+)*:[0-9a-f-]{36}$/;

/** Clock commands, sent to the case that owns the clock. */
@Injectable()
export class ClocksService {
  constructor(private readonly commands: CaseCommandsService, private readonly people: PeopleLookup, @Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async pause(principal: Principal, clockKey: string, dto: PauseClockDto) {
    const caseId = await this.caseOf(principal, clockKey);
    return this.commands.send(principal, caseId, { type: 'pauseClock', clockKey, heldBy: dto.heldBy }, { document: { kind: 'clock-pause', body: { ...dto } } });
  }

  async resume(principal: Principal, clockKey: string, dto: ReasonDto) {
    const caseId = await this.caseOf(principal, clockKey);
    return this.commands.send(principal, caseId, { type: 'resumeClock', clockKey }, { document: { kind: 'clock-resume', body: { ...dto } } });
  }

  async changeDueDate(principal: Principal, clockKey: string, dto: ChangeDueDateDto) {
    const caseId = await this.caseOf(principal, clockKey);
    await this.people.assertActiveAny(dto.approverId, 'approverId', caseId);
    return this.commands.send(principal, caseId, { type: 'changeDueDate', clockKey, dueAt: new Date(dto.dueAt).toISOString(), approverId: dto.approverId },
      { document: { kind: 'due-date-change', body: { ...dto } }, named: [dto.approverId] });
  }

  private async caseOf(principal: Principal, key: string): Promise<string> {
    if (!CLOCK_KEY.test(key)) throw ApiError.badRequest('id must be a clock key such as actionPlan.item:<uuid>.', [{ field: 'id', problem: 'not a clock key' }]);
    const clock = await this.db.getRepository(CaseClock).findOneBy({ key });
    if (!clock) throw ApiError.notFound('That clock');
    await this.commands.openable(principal, clock.caseId);
    return clock.caseId;
  }
}
