import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CaseDocument, CaseItem } from '../../db/entities';
import type { Principal } from '../auth/principal';
import type { NoteDto } from '../common/dto';
import { buildCommand } from '../cases/case-command-builders';
import { CaseCommandsService } from '../cases/case-commands.service';
import { DATA_SOURCE } from '../infrastructure/tokens';
import type { ReviewPlanDto } from './action-plans.dto';

/** A case's action plans: read from the projection with their text from the documents; changed by case commands. */
@Injectable()
export class ActionPlansService {
  constructor(private readonly commands: CaseCommandsService, @Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async list(principal: Principal, caseId: string) {
    await this.commands.openable(principal, caseId);
    const items = await this.db.getRepository(CaseItem).find({ where: [{ caseId, kind: 'action-plan' }, { caseId, kind: 'action' }], order: { updatedAt: 'ASC' } });
    const documentIds = items.filter((i) => i.kind === 'action-plan').map((p) => p.data.documentId as string).filter(Boolean);
    const documents = documentIds.length ? await this.db.getRepository(CaseDocument).findBy(documentIds.map((id) => ({ id }))) : [];
    const text = new Map<string, { description?: string; reason?: string }>();
    for (const doc of documents) {
      const plan = (doc.body.actionPlan ?? doc.body) as { actions?: { actionId: string; description: string; reason?: string }[] };
      for (const a of plan.actions ?? []) text.set(a.actionId, { description: a.description, reason: a.reason });
    }
    return items.filter((i) => i.kind === 'action-plan').map((plan) => ({
      id: plan.id, status: plan.status, source: plan.data.source,
      actions: items.filter((a) => a.kind === 'action' && a.parentId === plan.id).map((a) => ({
        id: a.id, ...text.get(a.id), owner: a.owner, dueAt: a.dueAt, decisionCritical: a.decisionCritical, status: a.status, completedAt: a.data.completedAt,
      })),
    }));
  }

  async complete(principal: Principal, actionId: string, dto: NoteDto) {
    const kase = await this.commands.caseOfItem(principal, 'action', actionId);
    return this.commands.send(principal, kase, ...buildCommand.completeAction(actionId, dto));
  }

  async review(principal: Principal, planId: string, dto: ReviewPlanDto) {
    const kase = await this.commands.caseOfItem(principal, 'action-plan', planId);
    return this.commands.send(principal, kase, ...buildCommand.reviewActionPlan(planId, dto));
  }
}
