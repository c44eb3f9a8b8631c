import { type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { appendAuditEntry } from '../../db/audit-chain';
import { AuditEntry, CaseItem } from '../../db/entities';
import type { Principal } from '../auth/principal';
import { directoryScope } from '../cases/case-access';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE } from '../infrastructure/tokens';
import { type AuditedRequest, auditSubject, describeAccess, DISCLOSED_TO_KEY, isUuid, matchedRoute } from './audited-access';
import type { AuditQuery } from './dto/audit.query';

/** Writes and reads the audit log of access to case data and the people directory. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource, private readonly reflector: Reflector) {}

  /** Whether the route this request matched is one whose every access is logged. */
  covers(context: ExecutionContext): boolean {
    return auditSubject(matchedRoute(context.switchToHttp().getRequest<AuditedRequest>())) !== undefined;
  }

  /**
   * Records one access with the status the caller is about to receive. An access that cannot be logged must not
   * happen silently, so a failed write becomes a 503 in place of the response.
   */
  async record(context: ExecutionContext, outcome: number, created?: unknown): Promise<void> {
    const disclosedTo = this.reflector.getAllAndOverride<string | undefined>(DISCLOSED_TO_KEY, [context.getHandler(), context.getClass()]);
    const fields = describeAccess(context.switchToHttp().getRequest<AuditedRequest>(), outcome, { created, disclosedTo });
    if (!fields) return;
    try {
      // Item routes (/early-advice/:id, /submissions/:id, …) name no case; the entry still belongs to one.
      if (!fields.caseId && fields.action.startsWith('case.') && isUuid(fields.resourceId)) fields.caseId = await this.caseOfItem(fields.resourceId);
      const principal = context.switchToHttp().getRequest<AuditedRequest>().principal;
      // Whose entry it is: the case's force, else the force of the person a directory route is about, else the actor's.
      const person = fields.action.startsWith('people.') && isUuid(fields.resourceId) ? fields.resourceId : null;
      await appendAuditEntry(this.db, { ...fields, forceId: principal?.forceId ?? null }, person);
    } catch (err) {
      const { name, code } = err as { name?: string; code?: string };
      this.logger.error(`audit write failed: ${name ?? 'error'}${code ? ` (${code})` : ''}`);
      throw ApiError.unavailable('The request could not be recorded in the audit log, so its result is withheld. Try again shortly.');
    }
  }

  private async caseOfItem(itemId: string): Promise<string | null> {
    const item = await this.db.getRepository(CaseItem).findOne({ select: { caseId: true }, where: { id: itemId } });
    return item?.caseId ?? null;
  }

  /**
   * The log as an administrator may read it: the regional administrator all of it, a force's administrator their
   * force's entries, a CPS area's administrator what their area's staff did.
   */
  async search(principal: Principal, query: AuditQuery) {
    const qb = this.db.getRepository(AuditEntry).createQueryBuilder('a');
    const scope = directoryScope(principal);
    if (!scope.region && scope.forceId) qb.andWhere('a.force_id = :scopeForce', { scopeForce: scope.forceId });
    else if (!scope.region) qb.andWhere('a.actor_id IN (SELECT p.id::text FROM people p WHERE p.area_id = :scopeArea)', { scopeArea: scope.areaId });
    if (query.caseId) qb.andWhere('a.case_id = :caseId', { caseId: query.caseId });
    if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.from) qb.andWhere('a.occurred_at >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('a.occurred_at < :to', { to: new Date(query.to) });
    const [items, total] = await qb.orderBy('a.seq', 'DESC').skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
    return { page: query.page, pageSize: query.pageSize, total, items };
  }
}
