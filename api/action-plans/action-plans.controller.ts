import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { DataSource } from 'typeorm';
import { CaseDocument, CaseItem } from '../../db/entities';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { NoteDto, TEXT_MAX } from '../common/dto';
import { UuidParam } from '../common/params';
import { CaseCommandsService } from '../cases/case-commands.service';
import { DATA_SOURCE } from '../infrastructure/tokens';

export class ReviewPlanDto {
  @ApiProperty({ enum: ['ready-to-submit', 'continue'] }) @IsIn(['ready-to-submit', 'continue'])
  outcome!: 'ready-to-submit' | 'continue';

  @ApiProperty({ required: false }) @IsOptional() @IsString() @Length(1, TEXT_MAX)
  note?: string;
}

/** Action plans: each action completed by its owner (police or CPS), the plan reviewed by the CPS. */
@ApiTags('action plans')
@ApiBearerAuth()
@Controller()
export class ActionPlansController {
  constructor(private readonly commands: CaseCommandsService, @Inject(DATA_SOURCE) private readonly db: DataSource) {}

  @Get('cases/:id/action-plans')
  @Roles('officer', 'supervisor', 'cps')
  async list(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string) {
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

  @Post('actions/:id/complete')
  @HttpCode(200)
  @Roles('officer', 'supervisor', 'cps')
  async complete(@CurrentPrincipal() principal: Principal, @UuidParam() actionId: string, @Body() dto: NoteDto) {
    const caseId = await this.commands.caseOfItem(principal, 'action', actionId);
    return this.commands.send(principal, caseId, { type: 'completeAction', actionId }, { document: { kind: 'action-completion', body: { actionId, note: dto.note } } });
  }

  @Post('action-plans/:id/review')
  @HttpCode(200)
  @Roles('cps')
  async review(@CurrentPrincipal() principal: Principal, @UuidParam() planId: string, @Body() dto: ReviewPlanDto) {
    const caseId = await this.commands.caseOfItem(principal, 'action-plan', planId);
    return this.commands.send(principal, caseId, { type: 'reviewActionPlan', planId, outcome: dto.outcome }, dto.note ? { document: { kind: 'action-plan-review', body: { note: dto.note } } } : {});
  }
}
