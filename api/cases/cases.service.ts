import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { type DataSource, In } from 'typeorm';
import { CaseEvent, CaseParty, CaseRecord, type Force, Person } from '../../db/entities';
import type { RegionPolicies } from '../../policy/load-policy';
import type { caseWorkflow } from '../../workflows/case.workflow';
import {
  type AvailableCommand, caseActionsQuery, type CaseRegistration, type CaseView, caseViewQuery, caseWorkflowId, type PolicySnapshot, registrationRecordedUpdate, TASK_QUEUE,
} from '../../workflows/contracts';
import { hasRole, type Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { creationKey, lostKeyRace } from '../common/idempotency';
import { DATA_SOURCE, POLICIES, TEMPORAL_CLIENT } from '../infrastructure/tokens';
import { type Allocation, allocate } from '../../workflows/pipeline/allocation';
import { OrganisationService } from '../organisation/organisation.service';
import { PolicyVersions } from '../policy/policy-versions';
import { availableCommands, caseView } from '../../workflows/pipeline';
import { canSeeParties, caseScope, caseScopeParts, openCase } from './case-access';
import { repeatSuspectFlagsFor } from './case-flags';
import { CaseCommandsService } from './case-commands.service';
import type { PartyContactDto, RegisterCaseDto } from './dto/register-case.dto';
import type { ListCasesQuery } from './dto/list-cases.query';

/**
 * Case commands and reads. Commands go to the case workflow (Temporal); reads come from the projection the
 * worker writes. The API writes only directory-type data: victims' and suspects' details, idempotency keys.
 */
@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);

  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(POLICIES) private readonly policies: RegionPolicies,
    private readonly commands: CaseCommandsService,
    private readonly organisation: OrganisationService,
    private readonly policyVersions: PolicyVersions,
  ) {}

  async register(principal: Principal, dto: RegisterCaseDto, idempotencyKey?: string): Promise<CaseSummary> {
    if (!hasRole(principal, 'supervisor') && dto.unit !== principal.unit) throw ApiError.forbidden('Officers register cases in their own unit.');
    const creation = await creationKey(this.db, principal.id, idempotencyKey, dto);
    const placement = await this.placement(dto);
    if (placement.force.id !== principal.forceId) throw ApiError.forbidden('Cases are registered in a unit of your own force.');
    if (creation.earlierId) return this.startCase(await this.registrationFor(creation.earlierId, dto, principal, placement.allocation), placement.policy);
    const { force, allocation } = placement;
    if (!dto.urn.startsWith(force.code)) {
      throw ApiError.unprocessable(`The URN must carry the force code of the case's unit (${force.code}).`, [{ field: 'urn', problem: `must start with ${force.code}, the code of ${force.name}` }]);
    }
    await this.assertOfficer(dto, allocation.unit);
    if (await this.db.getRepository(CaseRecord).existsBy({ urn: dto.urn })) throw ApiError.conflict('A case with that URN is already registered.');

    const caseId = randomUUID();
    const victimId = randomUUID();
    try {
      await this.db.transaction(async (tx) => {
        await tx.getRepository(CaseParty).insert([
        { id: victimId, caseId, kind: 'victim', name: dto.victim.name, dateOfBirth: dto.victim.dateOfBirth, vulnerable: dto.victim.vulnerable, contactPreference: dto.victim.contactPreference, nationalId: null, ...contactOf(dto.victim) },
          ...dto.suspects.map((s) => ({ id: randomUUID(), caseId, kind: 'suspect' as const, name: s.name, dateOfBirth: s.dateOfBirth, nationalId: s.nationalId ?? null, vulnerable: null, contactPreference: null, ...contactOf(s) })),
        ]);
        await creation.record(tx, caseId);
      });
    } catch (err) {
      if (lostKeyRace(err, idempotencyKey)) return this.register(principal, dto, idempotencyKey);
      throw err;
    }
    return this.startCase(await this.registrationFor(caseId, dto, principal, allocation), placement.policy);
  }

  /**
   * Starts the case workflow and waits until it has recorded the case, in one round trip (update-with-start).
   * Re-running it for the same case attaches to the running workflow instead of starting a second one.
   */
  private async startCase(registration: CaseRegistration, policy: PolicySnapshot) {
    const workflowId = caseWorkflowId(registration.caseId);
    const start = new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
      workflowId,
      taskQueue: TASK_QUEUE,
      args: [{ registration, policy }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const view = await this.temporal.workflow.executeUpdateWithStart(registrationRecordedUpdate, {
      startWorkflowOperation: start,
      updateId: `register-${registration.caseId}`,
    });
    this.logger.log(`case ${registration.caseId} registered`);
    return presentCase(await this.getRecord(registration.caseId), view);
  }

  private async registrationFor(caseId: string, dto: RegisterCaseDto, principal: Principal, allocation: Allocation): Promise<CaseRegistration> {
    const parties = await this.db.getRepository(CaseParty).find({ where: { caseId }, order: { createdAt: 'ASC' } });
    const victim = parties.find((p) => p.kind === 'victim');
    if (!victim) throw new Error('registration without a victim record');
    return {
      caseId,
      urn: dto.urn,
      unit: allocation.unit,
      allocation: { ruleId: allocation.ruleId, description: allocation.description },
      officerId: dto.officerId,
      offence: { ...dto.offence },
      reportedAt: new Date(dto.reportedAt).toISOString(),
      victim: { partyId: victim.id, vulnerable: dto.victim.vulnerable },
      suspectPartyIds: parties.filter((p) => p.kind === 'suspect').map((p) => p.id),
      registeredBy: { id: principal.id, role: hasRole(principal, 'supervisor') ? 'supervisor' : 'officer' },
    };
  }

  /**
   * A case as the caller may see it, with its repeat-suspect flags (`flags.repeatSuspect`, also marked on its Early
   * Advice requests). With `actions`, also what they may do on it now.
   */
  async get(principal: Principal, id: string, include: { actions?: boolean } = {}) {
    const record = await this.openWithState(principal, id);
    const [live, clinics, flags] = await Promise.all([this.live(principal, record, !!include.actions), this.clinicsOf(id), repeatSuspectFlagsFor(this.db, principal, [id])]);
    const presented = presentCase(record, live.view);
    const repeatSuspect = flags.get(id) ?? [];
    const body = {
      ...presented,
      flags: { ...presented.flags, repeatSuspect },
      // The CPS triages and answers a request with the flag in view.
      ...(presented.earlyAdvice ? { earlyAdvice: presented.earlyAdvice.map((r) => ({ ...r, repeatSuspect: repeatSuspect.length > 0 })) } : {}),
      clinics,
      ...(live.actions ? { availableActions: live.actions } : {}),
    };
    if (!canSeeParties(principal)) return body;
    const parties = await this.db.getRepository(CaseParty).find({ where: { caseId: id }, order: { createdAt: 'ASC' } });
    const officer = await this.db.getRepository(Person).findOneBy({ id: record.officerId });
    return {
      ...body,
      officer: officer && { id: officer.id, name: officer.name, rank: officer.rank },
      victim: parties.filter((p) => p.kind === 'victim').map(({ id: partyId, name, dateOfBirth, vulnerable, contactPreference, address, phone, email }) => ({ id: partyId, name, dateOfBirth, vulnerable, contactPreference, address, phone, email }))[0],
      suspects: parties.filter((p) => p.kind === 'suspect').map(({ id: partyId, name, dateOfBirth, nationalId, address, phone, email }) => ({ id: partyId, name, dateOfBirth, nationalId, address, phone, email })),
    };
  }

  /** The clinics the case was on the agenda of: when, why, and what was decided (no note: that is a case document). */
  private async clinicsOf(caseId: string): Promise<{ clinicId: string; sittingAt: string; status: string; reasons: unknown; outcome: string | null; outcomeAt: string | null }[]> {
    const rows = (await this.db.query(
      `SELECT k.id, k.sitting_at, k.status, i.reasons, i.outcome, i.outcome_at FROM clinic_agenda_items i JOIN clinics k ON k.id = i.clinic_id
       WHERE i.case_id = $1 ORDER BY k.sitting_at`, [caseId],
    )) as { id: string; sitting_at: Date; status: string; reasons: unknown; outcome: string | null; outcome_at: Date | null }[];
    return rows.map((r) => ({ clinicId: r.id, sittingAt: r.sitting_at.toISOString(), status: r.status, reasons: r.reasons, outcome: r.outcome, outcomeAt: r.outcome_at?.toISOString() ?? null }));
  }

  async timeline(principal: Principal, id: string) {
    await this.openable(principal, id);
    const events = await this.db.getRepository(CaseEvent).find({ where: { caseId: id }, order: { seq: 'ASC' } });
    return events.map(({ seq, type, actorId, actorRole, fromStage, toStage, reason, data, occurredAt }) => ({ seq, type, actorId, actorRole, fromStage, toStage, reason, data, occurredAt }));
  }

  /**
   * What the caller may do on the case now, by the pipeline's own rules dry-run. Someone who may read the case but
   * send no commands (no directory role for them) may do nothing.
   */
  async actions(principal: Principal, id: string): Promise<{ caseId: string; actions: AvailableCommand[] }> {
    const { actions } = await this.live(principal, await this.openWithState(principal, id), true);
    if (!actions) throw ApiError.unavailable('The workflow service is unavailable, so what may be done now cannot be worked out. Try again shortly.');
    return { caseId: id, actions };
  }

  /**
   * A page of the cases the caller may open, newest report first, and how many there are. Read a part of the scope at
   * a time (caseScopeParts), each in the order of an index that holds what the scope and the filters test
   * (cases_list_idx: its unit, report time and id), so a page reads the first (page × size) entries of each part
   * rather than sorting all of them, and the count reads the index alone; then the page's rows by id.
   */
  async list(principal: Principal, query: ListCasesQuery) {
    const filters = [
      ...(query.stage ? ['c.stage = :stage'] : []), ...(query.unit ? ['c.unit = :unit'] : []),
      ...(query.officerId ? ['c.officer_id = :officerId'] : []), ...(query.overdue ? ['c.next_due_at < now()'] : []),
    ];
    const parts = caseScopeParts(principal).map((part) => [part.where, ...filters].join(' AND '));
    const end = query.page * query.pageSize;
    const params = { ...caseScope(principal).params, stage: query.stage, unit: query.unit, officerId: query.officerId, end, offset: end - query.pageSize, size: query.pageSize };
    const run = <T>(sql: string) => {
      const [text, values] = this.db.driver.escapeQueryWithParameters(sql, params, {});
      return this.db.query(text, values) as Promise<T>;
    };
    const [page, [{ total }]] = await Promise.all([
      run<{ id: string }[]>(`SELECT x.id FROM (${parts.map((w) => `(SELECT c.id, c.reported_at FROM cases c WHERE ${w} ORDER BY c.reported_at DESC, c.id LIMIT :end)`).join(' UNION ALL ')}) x
        ORDER BY x.reported_at DESC, x.id OFFSET :offset LIMIT :size`),
      run<{ total: number }[]>(`SELECT (${parts.map((w) => `(SELECT count(*) FROM cases c WHERE ${w})`).join(' + ')})::int AS total`),
    ]);
    const rows = page.length ? await this.db.getRepository(CaseRecord).findBy({ id: In(page.map((r) => r.id)) }) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = page.map((r) => byId.get(r.id)).filter((r): r is CaseRecord => r !== undefined);
    return { page: query.page, pageSize: query.pageSize, total, items: items.map((r) => presentCase(r)) };
  }

  private openable(principal: Principal, id: string): Promise<CaseRecord> {
    return openCase(this.db, principal, id);
  }

  private async getRecord(id: string): Promise<CaseRecord> {
    const record = await this.db.getRepository(CaseRecord).findOneBy({ id });
    if (!record) throw ApiError.notFound('That case');
    return record;
  }

  /** A case the caller may open, read with the state its workflow stored (for `live`) in the same query. */
  private openWithState(principal: Principal, id: string): Promise<CaseRecord> {
    return openCase(this.db, principal, id, 'That case', { withState: true });
  }

  /**
   * The case's live view (clocks, what it waits for) and, when asked, what the caller may do now: worked out here by the
   * pipeline's own pure rules from the state the worker stores with every transition and clock step, as the workflow
   * would answer its query (without the round trip through Temporal to the worker, most of a case page's cost). The
   * workflow's Update validator still has the last word on any command. A case whose state is not stored (recorded
   * before it was) is asked of its workflow.
   */
  private async live(principal: Principal, record: CaseRecord, withActions: boolean): Promise<{ view?: CaseView; actions?: AvailableCommand[] }> {
    const { id, registration, liveState: state } = record;
    const [policy, actor] = await Promise.all([
      registration && state ? this.policyVersions.get(record.policyVersion) : undefined,
      withActions ? this.commands.actorFor(principal).catch(() => undefined) : undefined,
    ]);
    if (!registration || !state || !policy) {
      return withActions ? this.liveViewWithActions(principal, id) : { view: await this.liveView(id) };
    }
    const now = Date.now();
    const view = caseView(registration, policy, state, now);
    if (!withActions) return { view };
    return { view, actions: actor ? availableCommands(state, actor, { now: new Date(now).toISOString(), registration, policy, patched: () => true }) : [] };
  }

  /** The workflow's live view (clocks, what it waits for); the projection answers alone if Temporal is down. */
  private async liveView(id: string): Promise<CaseView | undefined> {
    try {
      return await this.temporal.workflow.getHandle(caseWorkflowId(id)).query(caseViewQuery);
    } catch (err) {
      this.logger.warn(`live view of case ${id} unavailable: ${(err as Error).name}`);
      return undefined;
    }
  }

  /**
   * The live view and what the caller may do now, in one query. Someone who may read the case but send no commands
   * (no directory role for them) may do nothing.
   */
  private async liveViewWithActions(principal: Principal, id: string): Promise<{ view?: CaseView; actions?: AvailableCommand[] }> {
    const actor = await this.commands.actorFor(principal).catch(() => undefined);
    if (!actor) return { view: await this.liveView(id), actions: [] };
    try {
      return await this.temporal.workflow.getHandle(caseWorkflowId(id)).query(caseActionsQuery, actor);
    } catch (err) {
      // The projection still answers what the case is; what may be done now is the workflow's alone to say.
      this.logger.warn(`live view of case ${id} unavailable: ${(err as Error).name}`);
      return {};
    }
  }

  /**
   * The policy a new case runs under and the unit it goes to: the registering unit's force picks its policy, whose
   * allocation rules pick the unit (the requested one when no rule moves it), which must be of the same force.
   */
  private async placement(dto: RegisterCaseDto): Promise<{ force: Force; policy: PolicySnapshot; allocation: Allocation }> {
    const force = await this.organisation.forceOfCaseUnit(dto.unit);
    const policy = this.policies.forForce(force.id);
    const allocation = allocate(policy.allocation, {
      offenceType: dto.offence.type, penetrative: dto.offence.penetrative, victimVulnerable: dto.victim.vulnerable,
      committedTo: dto.offence.committedTo ?? dto.offence.committedFrom, reportedAt: dto.reportedAt, requestedUnit: dto.unit,
    });
    if (allocation.unit !== dto.unit && (await this.organisation.forceOfCaseUnit(allocation.unit, true)).id !== force.id) {
      // A force's rules decide within that force: its case never runs under one force's policy in another's unit.
      throw ApiError.unprocessable(`The allocation rules place this case with ${allocation.unit}, a unit of another force.`, [{ field: 'unit', problem: `the allocation rules move it to ${allocation.unit}, outside ${force.name}` }]);
    }
    return { force, policy, allocation };
  }

  private async assertOfficer(dto: RegisterCaseDto, unit: string): Promise<void> {
    const officer = await this.db.getRepository(Person).findOneBy({ id: dto.officerId });
    if (!officer || !officer.active || officer.organisation !== 'police') {
      throw ApiError.unprocessable('The officer in case must be an active police officer in the directory.', [{ field: 'officerId', problem: 'no active police officer with this id' }]);
    }
    if (officer.unit !== unit) {
      const moved = unit !== dto.unit ? ` (the allocation rules place this case with ${unit})` : '';
      throw ApiError.unprocessable(`The officer in case belongs to another unit${moved}.`, [{ field: 'officerId', problem: `is not in unit ${unit}` }]);
    }
  }
}

/** A case as the API shows it: the projection, refined by the workflow's live view when there is one. */
export function presentCase(record: CaseRecord, view?: CaseView) {
  return {
    id: record.id,
    urn: record.urn,
    stage: view?.stage ?? record.stage,
    waitingFor: view?.waitingFor ?? record.waitingFor,
    holder: view ? view.holder ?? null : record.holderOrganisation ? { organisation: record.holderOrganisation, role: record.holderRole, personId: record.holderPersonId ?? undefined } : null,
    unit: record.unit,
    allocation: record.allocationRule ? { ruleId: record.allocationRule, description: record.allocationReason } : null,
    officerId: record.officerId,
    prosecutorId: record.prosecutorId,
    offence: { type: record.offenceType, penetrative: record.penetrative, committedFrom: record.committedFrom, committedTo: record.committedTo },
    reportedAt: record.reportedAt.toISOString(),
    flags: { enhancedRights: record.enhancedRights, restricted: record.restricted, referredToCps: view?.referredToCps ?? record.referredToCps, earlyAdviceNotSought: view?.earlyAdviceNotSought },
    outcomeCode: view?.outcomeCode ?? record.outcomeCode ?? null,
    nextDueAt: record.nextDueAt?.toISOString() ?? null,
    suspectCount: record.suspectCount,
    policyVersion: record.policyVersion,
    ...(view ? { clocks: view.clocks, earlyAdvice: view.earlyAdvice, actionPlans: view.actionPlans, actions: view.actions, submissions: view.submissions, custody: view.custody, detention: view.detention, reviews: view.reviews } : {}),
  };
}

export type CaseSummary = ReturnType<typeof presentCase>;

/** A party's optional contact details as stored (absent ones as null). */
const contactOf = (p: PartyContactDto) => ({ address: p.address ?? null, phone: p.phone ?? null, email: p.email ?? null });
