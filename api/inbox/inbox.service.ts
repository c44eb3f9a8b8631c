import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CaseRecord, Task } from '../../db/entities';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { restrictionScope } from '../cases/case-access';
import { CaseCommandsService } from '../cases/case-commands.service';
import { DATA_SOURCE } from '../infrastructure/tokens';
import type { InboxQuery } from './inbox.dto';

/** A person's own tasks: listed from PostgreSQL, reminders closed there, escalations acknowledged to the case workflow. */
@Injectable()
export class InboxService {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource, private readonly commands: CaseCommandsService) {}

  tasks(principal: Principal, query: InboxQuery) {
    return this.list(principal, query);
  }

  escalations(principal: Principal, query: InboxQuery) {
    return this.list(principal, query, 'escalation');
  }

  async complete(principal: Principal, taskId: string) {
    const task = await this.mine(principal, taskId);
    if (task.kind === 'escalation') throw ApiError.conflict('An escalation is acknowledged, not completed: POST /escalations/:id/acknowledge.');
    if (task.status === 'done') throw ApiError.conflict('That task is already done.');
    await this.db.getRepository(Task).update({ id: taskId }, { status: 'done', closedAt: new Date() });
    return { id: taskId, status: 'done' };
  }

  async acknowledge(principal: Principal, taskId: string) {
    const task = await this.mine(principal, taskId);
    if (task.kind !== 'escalation') throw ApiError.conflict('Only an escalation can be acknowledged.');
    if (task.status !== 'open') throw ApiError.conflict('That escalation is no longer open.');
    return this.commands.send(principal, task.caseId, { type: 'acknowledgeEscalation', clockKey: task.clockKey });
  }

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

  private async mine(principal: Principal, taskId: string): Promise<Task> {
    // Someone else's task, or one on a case now out of the caller's reach, is as good as absent.
    const scope = restrictionScope(principal, 'c');
    const task = await this.db.getRepository(Task).createQueryBuilder('t').innerJoin(CaseRecord, 'c', 'c.id = t.case_id')
      .where('t.id = :taskId AND t.person_id = :me', { taskId, me: principal.id }).andWhere(scope.where, scope.params).getOne();
    if (!task) throw ApiError.notFound('That task');
    return task;
  }
}
