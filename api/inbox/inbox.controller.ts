import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import type { DataSource } from 'typeorm';
import { CaseRecord, Task } from '../../db/entities';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { UuidParam } from '../common/params';
import { restrictionScope } from '../cases/case-access';
import { CaseCommandsService } from '../cases/case-commands.service';
import { DATA_SOURCE } from '../infrastructure/tokens';

export class InboxQuery {
  @ApiPropertyOptional({ default: true, description: 'Only my tasks (the only choice for now)' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  mine = true;

  @ApiPropertyOptional({ enum: ['open', 'acknowledged', 'done', 'all'], default: 'open' }) @IsOptional() @IsIn(['open', 'acknowledged', 'done', 'all'])
  status: 'open' | 'acknowledged' | 'done' | 'all' = 'open';
}

const PEOPLE_ROLES = ['officer', 'supervisor', 'cps'] as const;

/** Each person's inbox: reminders before a due time and escalations after it, with why they have it. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller()
export class InboxController {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource, private readonly commands: CaseCommandsService) {}

  private async list(principal: Principal, query: InboxQuery, kind?: Task['kind']) {
    if (query.mine === false) throw ApiError.badRequest('Only your own inbox can be listed.', [{ field: 'mine', problem: 'must be true' }]);
    const qb = this.db.getRepository(Task).createQueryBuilder('t')
      .innerJoin(CaseRecord, 'c', 'c.id = t.case_id')
      .select(['t.id AS id', 't.kind AS kind', 't.case_id AS "caseId"', 'c.urn AS "caseUrn"', 't.clock_key AS "clockKey"', 't.clock_name AS "clockName"',
        't.step AS step', 't.due_at AS "dueAt"', 't.why AS why', 't.status AS status', 't.delivery AS delivery', 't.created_at AS "createdAt"'])
      .where('t.person_id = :me', { me: principal.id });
    // A restricted case stays out of the inboxes of people not named on it, like every other list.
    const restriction = restrictionScope(principal, 'c');
    qb.andWhere(restriction.where, restriction.params);
    if (kind) qb.andWhere('t.kind = :kind', { kind });
    if (query.status !== 'all') qb.andWhere('t.status = :status', { status: query.status });
    return qb.orderBy('t.due_at', 'ASC').limit(500).getRawMany();
  }

  @Get('tasks')
  @Roles(...PEOPLE_ROLES)
  tasks(@CurrentPrincipal() principal: Principal, @Query() query: InboxQuery) {
    return this.list(principal, query);
  }

  @Get('escalations')
  @Roles(...PEOPLE_ROLES)
  escalations(@CurrentPrincipal() principal: Principal, @Query() query: InboxQuery) {
    return this.list(principal, query, 'escalation');
  }

  /** Marks a reminder done in the inbox (the deadline itself closes when the case work is recorded). */
  @Post('tasks/:id/complete')
  @HttpCode(200)
  @Roles(...PEOPLE_ROLES)
  async complete(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    const task = await this.mine(principal, id);
    if (task.kind === 'escalation') throw ApiError.conflict('An escalation is acknowledged, not completed: POST /escalations/:id/acknowledge.');
    if (task.status === 'done') throw ApiError.conflict('That task is already done.');
    await this.db.getRepository(Task).update({ id }, { status: 'done', closedAt: new Date() });
    return { id, status: 'done' };
  }

  /** Acknowledges an escalation: the case workflow stops the climb up the supervision chain for this breach. */
  @Post('escalations/:id/acknowledge')
  @HttpCode(200)
  @Roles(...PEOPLE_ROLES)
  async acknowledge(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    const task = await this.mine(principal, id);
    if (task.kind !== 'escalation') throw ApiError.conflict('Only an escalation can be acknowledged.');
    if (task.status !== 'open') throw ApiError.conflict('That escalation is no longer open.');
    return this.commands.send(principal, task.caseId, { type: 'acknowledgeEscalation', clockKey: task.clockKey });
  }

  private async mine(principal: Principal, id: string): Promise<Task> {
    const task = await this.db.getRepository(Task).findOneBy({ id });
    // Someone else's task is as good as absent: its existence is not the caller's business.
    if (!task || task.personId !== principal.id) throw ApiError.notFound('That task');
    return task;
  }
}
