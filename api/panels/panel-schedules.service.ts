import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { Duration } from 'luxon';
import type { DataSource } from 'typeorm';
import { PanelSchedule } from '../../db/entities';
import type { RegionPolicies } from '../../policy/load-policy';
import { recurrenceProblems, sittingsFrom } from '../../workflows/clinics/recurrence';
import { TASK_QUEUE } from '../../workflows/contracts';
import { panelScheduleWorkflowId } from '../../workflows/contracts/panels';
import type { panelScheduleWorkflow } from '../../workflows/panel-schedule.workflow';
import { hasRole, type Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE, POLICIES, TEMPORAL_CLIENT } from '../infrastructure/tokens';
import type { CreatePanelScheduleDto } from './panels.dto';
import { PanelsService } from './panels.service';

const DEFAULT_LEAD_TIME = 'P7D';
const NEXT_SITTINGS = 4;

export type PanelScheduleView = Pick<PanelSchedule, 'id' | 'unit' | 'firstSittingAt' | 'timezone' | 'rrule' | 'leadTime' | 'members' | 'status'> & { force: string; nextSittings: string[] };

/** Panel cadences per force or unit (quarterly by default): the same recurrence and zone rules as the clinics'. */
@Injectable()
export class PanelSchedulesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(POLICIES) private readonly policies: RegionPolicies,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly panels: PanelsService,
  ) {}

  async create(principal: Principal, dto: CreatePanelScheduleDto): Promise<PanelScheduleView> {
    const { forceId, unit } = await this.panels.convenedScope(principal, dto.scope);
    const policy = this.policies.forForce(forceId);
    const recurrence = { firstSittingAt: dto.firstSittingAt, timezone: dto.timezone, rrule: (dto.rrule ?? policy.panels!.cadence).toUpperCase() };
    const problems: { field: string; problem: string }[] = recurrenceProblems(recurrence);
    const leadTime = dto.leadTime ?? DEFAULT_LEAD_TIME;
    if (Duration.fromISO(leadTime).as('days') > 60) problems.push({ field: 'leadTime', problem: 'must be at most 60 days' });
    if (problems.length) throw ApiError.unprocessable('The schedule cannot be computed as given.', problems);
    const members = await this.panels.assertMembers(dto.members);
    const schedule = this.db.getRepository(PanelSchedule).create({ id: randomUUID(), forceId, unit, ...recurrence, leadTime, members, status: 'active', revision: 0, createdBy: principal.id });
    await this.db.getRepository(PanelSchedule).insert(schedule);
    await this.temporal.workflow.start<typeof panelScheduleWorkflow>('panelScheduleWorkflow', {
      workflowId: panelScheduleWorkflowId(schedule.id), taskQueue: TASK_QUEUE,
      args: [{ spec: { scheduleId: schedule.id, ...recurrence, leadTime }, policy }],
    });
    return this.present(schedule);
  }

  /** The schedules the caller convenes: their force's (police supervisors), the units they serve (CPS). */
  async list(principal: Principal): Promise<PanelScheduleView[]> {
    const rows = await this.db.getRepository(PanelSchedule).createQueryBuilder('s')
      .where('(s.force_id = :force OR s.unit = ANY(:served))', { force: hasRole(principal, 'supervisor') ? principal.forceId : null, served: hasRole(principal, 'cps') ? [...principal.servedUnits] : [] })
      .orderBy('s.created_at').getMany();
    return rows.map((s) => this.present(s));
  }

  private present(s: PanelSchedule): PanelScheduleView {
    const { id, unit, firstSittingAt, timezone, rrule, leadTime, members, status } = s;
    return { id, force: s.forceId, unit, firstSittingAt, timezone, rrule, leadTime, members, status, nextSittings: sittingsFrom(s, this.policies.forForce(s.forceId), new Date(), NEXT_SITTINGS).map((x) => x.sittingAt) };
  }
}
