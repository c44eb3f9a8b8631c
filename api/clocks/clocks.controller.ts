import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length } from 'class-validator';
import type { DataSource } from 'typeorm';
import { CaseClock } from '../../db/entities';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { ReasonDto, TEXT_MAX } from '../common/dto';
import { CaseCommandsService } from '../cases/case-commands.service';
import { DATA_SOURCE } from '../infrastructure/tokens';
import { PeopleLookup } from '../people/people.lookup';
import { IsTimestamp } from '../common/validation';

export class PauseClockDto {
  @ApiProperty({ enum: ['police', 'cps', 'third-party'], description: 'Who holds the case while the clock is paused' }) @IsIn(['police', 'cps', 'third-party'])
  heldBy!: 'police' | 'cps' | 'third-party';

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  reason!: string;
}

export class ChangeDueDateDto {
  @ApiProperty({ format: 'date-time' }) @IsTimestamp()
  dueAt!: string;

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  reason!: string;

  @ApiProperty({ format: 'uuid', description: 'Who approved the change (police DS or DCP and above)' }) @IsUUID()
  approverId!: string;
}

/** A clock id is its key: `<clock name>:<uuid of what it is about>`, e.g. `actionPlan.item:6f1c…`. */
const CLOCK_KEY = /^[a-zA-Z]+(\.[a-zA-Z]+)*:[0-9a-f-]{36}$/;

/** People's controls over a running deadline: pause and resume with who holds it, move with approval. */
@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('clocks/:id')
export class ClocksController {
  constructor(private readonly commands: CaseCommandsService, private readonly people: PeopleLookup, @Inject(DATA_SOURCE) private readonly db: DataSource) {}

  private async caseOf(principal: Principal, key: string): Promise<string> {
    if (!CLOCK_KEY.test(key)) throw ApiError.badRequest('id must be a clock key such as actionPlan.item:<uuid>.', [{ field: 'id', problem: 'not a clock key' }]);
    const clock = await this.db.getRepository(CaseClock).findOneBy({ key });
    if (!clock) throw ApiError.notFound('That clock');
    await this.commands.openable(principal, clock.caseId);
    return clock.caseId;
  }

  @Post('pause')
  @HttpCode(200)
  @ApiParam({ name: 'id', example: 'actionPlan.item:6f1c2d3e-0000-4000-8000-000000000000' })
  @Roles('supervisor', 'cps')
  async pause(@CurrentPrincipal() principal: Principal, @Param('id') key: string, @Body() dto: PauseClockDto) {
    const caseId = await this.caseOf(principal, key);
    return this.commands.send(principal, caseId, { type: 'pauseClock', clockKey: key, heldBy: dto.heldBy }, { document: { kind: 'clock-pause', body: { ...dto } } });
  }

  @Post('resume')
  @HttpCode(200)
  @ApiParam({ name: 'id', example: 'actionPlan.item:6f1c2d3e-0000-4000-8000-000000000000' })
  @Roles('supervisor', 'cps')
  async resume(@CurrentPrincipal() principal: Principal, @Param('id') key: string, @Body() dto: ReasonDto) {
    const caseId = await this.caseOf(principal, key);
    return this.commands.send(principal, caseId, { type: 'resumeClock', clockKey: key }, { document: { kind: 'clock-resume', body: { ...dto } } });
  }

  @Post('due-date')
  @HttpCode(200)
  @ApiParam({ name: 'id', example: 'actionPlan.item:6f1c2d3e-0000-4000-8000-000000000000' })
  @Roles('officer', 'supervisor', 'cps')
  async changeDueDate(@CurrentPrincipal() principal: Principal, @Param('id') key: string, @Body() dto: ChangeDueDateDto) {
    const caseId = await this.caseOf(principal, key);
    await this.people.assertActiveAny(dto.approverId, 'approverId');
    return this.commands.send(principal, caseId, { type: 'changeDueDate', clockKey: key, dueAt: new Date(dto.dueAt).toISOString(), approverId: dto.approverId },
      { document: { kind: 'due-date-change', body: { ...dto } }, named: [dto.approverId] });
  }
}
