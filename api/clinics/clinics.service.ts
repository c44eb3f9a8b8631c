import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { Duration } from 'luxon';
import type { DataSource } from 'typeorm';
import { CaseDocument, Clinic, ClinicAgendaItem, ClinicReferral, ClinicSchedule, Person, Unit } from '../../db/entities';
import type { RegionPolicies } from '../../policy/load-policy';
import type { clinicWorkflow } from '../../workflows/clinic.workflow';
import type { clinicScheduleWorkflow } from '../../workflows/clinic-schedule.workflow';
import { clinicAgendaUpdate, clinicOutcomeRecordedSignal, type ClinicScheduleSpec, clinicSittingChangedSignal, clinicScheduleChangedSignal, clinicScheduleWorkflowId, clinicWorkflowId } from '../../workflows/contracts/clinics';
import { TASK_QUEUE } from '../../workflows/contracts';
import { recurrenceProblems, type Sitting, sittingsFrom } from '../../workflows/clinics/recurrence';
import { hasRole, type Principal } from '../auth/principal';
import { CaseCommandsService } from '../cases/case-commands.service';
import type { CaseView } from '../../workflows/contracts';
import { caseScope, clinicAccess, clinicScope, openCase } from '../cases/case-access';
import { ApiError } from '../common/api-error';
import { creationKey, lostKeyRace } from '../common/idempotency';
import { DATA_SOURCE, POLICIES, TEMPORAL_CLIENT } from '../infrastructure/tokens';
import type { ClinicOutcomeDto, ClinicReferralDto, CreateClinicDto, UpdateClinicDto, CreateClinicScheduleDto, ListClinicSchedulesQuery, ListClinicsQuery, UpdateClinicScheduleDto } from './clinics.dto';

/** How many coming sittings a schedule shows. */
const NEXT_SITTINGS = 6;
const DEFAULT_DURATION_MINUTES = 60;

export type ClinicScheduleView = Pick<ClinicSchedule, 'id' | 'unit' | 'forceId' | 'firstSittingAt' | 'timezone' | 'rrule' | 'durationMinutes' | 'agendaLeadTime' | 'liaisonId' | 'location' | 'status' | 'revision'> & {
  /** The next sittings (UTC instants), none while paused; `movedFrom` when a non-working day moved one. */
  nextSittings: string[];
  moved: { sittingAt: string; movedFrom: string }[];
};

export interface AgendaEntryView {
  caseId: string;
  urn: string;
  officerId: string;
  reasons: { code: string; detail: string }[];
  outcome?: string;
}

export interface ClinicView {
  id: string;
  unit: string;
  scheduleId: string | null;
  sittingAt: string;
  durationMinutes: number;
  status: Clinic['status'];
  liaisonId: string | null;
  location: string | null;
  agendaVersion: string | null;
  attendees: string[];
  agenda: AgendaEntryView[];
}

/**
 * Clinic schedules per unit and their sittings. Reads and writes the clinic records (directory-type data, like the
 * organisation); what happens at a sitting (its agenda, invites, outcomes) is the clinic workflow's.
 */
@Injectable()
export class ClinicsService {
  private readonly logger = new Logger(ClinicsService.name);

  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(POLICIES) private readonly policies: RegionPolicies,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly commands: CaseCommandsService,
  ) {}

  /** With an Idempotency-Key, the same request again answers the schedule it made (its workflow started if it was not). */
  async createSchedule(principal: Principal, dto: CreateClinicScheduleDto, idempotencyKey?: string): Promise<ClinicScheduleView> {
    const creation = await creationKey(this.db, principal.id, idempotencyKey, dto);
    const unit = await this.managedUnit(principal, dto.unit);
    const earlier = creation.earlierId && await this.db.getRepository(ClinicSchedule).findOneBy({ id: creation.earlierId });
    if (earlier) {
      await this.runSchedule(earlier);
      return this.presentSchedule(earlier);
    }
    this.assertRecurrence(dto);
    const liaisonId = await this.liaisonFor(unit, dto.liaisonId);
    const schedule: ClinicSchedule = this.db.getRepository(ClinicSchedule).create({
      id: randomUUID(), forceId: unit.forceId!, unit: unit.id, firstSittingAt: dto.firstSittingAt, timezone: dto.timezone, rrule: dto.rrule.toUpperCase(),
      durationMinutes: dto.durationMinutes, agendaLeadTime: dto.agendaLeadTime, liaisonId, location: dto.location ?? null, status: 'active', revision: 0, createdBy: principal.id,
    });
    try {
      await this.db.transaction(async (tx) => {
        await tx.getRepository(ClinicSchedule).insert(schedule);
        await creation.record(tx, schedule.id);
      });
    } catch (err) {
      if (lostKeyRace(err, idempotencyKey)) return this.createSchedule(principal, dto, idempotencyKey);
      throw err;
    }
    await this.runSchedule(schedule);
    return this.presentSchedule(schedule);
  }

  async listSchedules(principal: Principal, query: ListClinicSchedulesQuery): Promise<ClinicScheduleView[]> {
    const scope = clinicScope(principal, 's');
    const qb = this.db.getRepository(ClinicSchedule).createQueryBuilder('s').where(scope.where, scope.params).orderBy('s.unit').addOrderBy('s.created_at');
    if (query.unit) qb.andWhere('s.unit = :unit', { unit: query.unit });
    return (await qb.getMany()).map((s) => this.presentSchedule(s));
  }

  /** Changes the cadence, liaison or place, or pauses / resumes. Sittings already made (past ones above all) are kept. */
  async updateSchedule(principal: Principal, id: string, dto: UpdateClinicScheduleDto): Promise<ClinicScheduleView> {
    const schedule = await this.db.getRepository(ClinicSchedule).findOneBy({ id });
    if (!schedule) throw ApiError.notFound('That clinic schedule');
    const unit = await this.managedUnit(principal, schedule.unit, 'That clinic schedule');
    const next = { ...schedule, ...definedOf(dto) };
    if (dto.rrule) next.rrule = dto.rrule.toUpperCase();
    this.assertRecurrence(next);
    if (dto.liaisonId !== undefined) next.liaisonId = await this.liaisonFor(unit, dto.liaisonId);
    next.revision = schedule.revision + 1;
    await this.db.getRepository(ClinicSchedule).save(next);
    await this.runSchedule(next);
    return this.presentSchedule(next);
  }

  /**
   * Hands the schedule to its workflow: starts it if it is not running (the first time, or after a failed start), else
   * signals the change, which wakes its timer to recompute the next sitting. Sittings already made are untouched.
   */
  private async runSchedule(schedule: ClinicSchedule): Promise<void> {
    const spec: ClinicScheduleSpec = {
      scheduleId: schedule.id, firstSittingAt: schedule.firstSittingAt, timezone: schedule.timezone, rrule: schedule.rrule,
      agendaLeadTime: schedule.agendaLeadTime, status: schedule.status, revision: schedule.revision,
    };
    const change = { spec, policy: this.policies.forForce(schedule.forceId) };
    await this.temporal.workflow.signalWithStart<typeof clinicScheduleWorkflow, [typeof change]>('clinicScheduleWorkflow', {
      workflowId: clinicScheduleWorkflowId(schedule.id), taskQueue: TASK_QUEUE, args: [change], signal: clinicScheduleChangedSignal, signalArgs: [change],
    });
  }

  /**
   * An ad-hoc sitting, convened now (a DI calling an extra clinic). With an Idempotency-Key, the same request again
   * answers the sitting it convened (its workflow started if it was not).
   */
  async createClinic(principal: Principal, dto: CreateClinicDto, idempotencyKey?: string): Promise<ClinicView> {
    const creation = await creationKey(this.db, principal.id, idempotencyKey, dto);
    const unit = await this.managedUnit(principal, dto.unit);
    const earlier = creation.earlierId && await this.db.getRepository(Clinic).findOneBy({ id: creation.earlierId });
    if (earlier) return this.convene(principal, earlier);
    const liaisonId = await this.liaisonFor(unit, dto.liaisonId);
    const id = randomUUID();
    const clinic = this.db.getRepository(Clinic).create({
      id, forceId: unit.forceId!, unit: unit.id, scheduleId: null, occurrence: null, sittingAt: new Date(dto.sittingAt), durationMinutes: dto.durationMinutes ?? DEFAULT_DURATION_MINUTES,
      liaisonId, location: dto.location ?? null, status: 'scheduled', sequence: 0, policyVersion: this.policies.forForce(unit.forceId!).version,
      agendaVersion: null, agendaBuiltAt: null, workflowId: clinicWorkflowId(id), createdBy: principal.id,
    });
    try {
      await this.db.transaction(async (tx) => {
        await tx.getRepository(Clinic).insert(clinic);
        await creation.record(tx, id);
      });
    } catch (err) {
      if (lostKeyRace(err, idempotencyKey)) return this.createClinic(principal, dto, idempotencyKey);
      throw err;
    }
    this.logger.log(`clinic ${id} convened`);
    return this.convene(principal, clinic);
  }

  /** Starts the sitting's workflow (or finds it running), which builds the agenda at once; the answer carries it. */
  private async convene(principal: Principal, clinic: Clinic): Promise<ClinicView> {
    const start = new WithStartWorkflowOperation<typeof clinicWorkflow>('clinicWorkflow', {
      workflowId: clinic.workflowId, taskQueue: TASK_QUEUE, args: [{ clinicId: clinic.id, sittingAt: clinic.sittingAt.toISOString(), policy: this.policies.forForce(clinic.forceId) }], workflowIdConflictPolicy: 'USE_EXISTING',
    });
    await this.temporal.workflow.executeUpdateWithStart(clinicAgendaUpdate, { startWorkflowOperation: start, updateId: `agenda-${clinic.id}` });
    return this.getClinic(principal, clinic.id);
  }

  /**
   * Moves or cancels a sitting that has not sat yet (a supervisor of its unit): the invite's SEQUENCE is raised and the
   * sitting's workflow sends every attendee the moved invite or the cancellation. Nothing to change: answered as it is.
   */
  async updateClinic(principal: Principal, id: string, dto: UpdateClinicDto): Promise<ClinicView> {
    const clinic = await this.db.getRepository(Clinic).findOneBy({ id });
    if (!clinic) throw ApiError.notFound('That clinic');
    await this.managedUnit(principal, clinic.unit, 'That clinic');
    const moved = dto.sittingAt !== undefined && Date.parse(dto.sittingAt) !== clinic.sittingAt.getTime();
    const cancelled = dto.status === 'cancelled' && clinic.status !== 'cancelled';
    if (!moved && !cancelled) return this.getClinic(principal, id);
    if (clinic.status === 'cancelled') throw ApiError.conflict('The clinic was cancelled.');
    if (clinic.sittingAt.getTime() <= Date.now()) throw ApiError.conflict('The clinic has sat: its record stays as it was.');
    if (moved && Date.parse(dto.sittingAt!) <= Date.now()) throw ApiError.unprocessable('A sitting moves to a time still to come.', [{ field: 'sittingAt', problem: 'is in the past' }]);
    const next = { sittingAt: moved ? new Date(dto.sittingAt!) : clinic.sittingAt, status: cancelled ? 'cancelled' as const : clinic.status, sequence: clinic.sequence + 1 };
    await this.db.getRepository(Clinic).update({ id }, next);
    await this.temporal.workflow.getHandle(clinic.workflowId).signal(clinicSittingChangedSignal, { sittingAt: next.sittingAt.toISOString(), cancelled, sequence: next.sequence });
    return this.getClinic(principal, id);
  }

  async listClinics(principal: Principal, query: ListClinicsQuery): Promise<Omit<ClinicView, 'agenda' | 'attendees'>[]> {
    const scope = clinicScope(principal, 'k');
    const qb = this.db.getRepository(Clinic).createQueryBuilder('k').where(scope.where, scope.params).orderBy('k.sitting_at').limit(500);
    if (query.unit) qb.andWhere('k.unit = :unit', { unit: query.unit });
    if (query.from) qb.andWhere('k.sitting_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('k.sitting_at < :to', { to: query.to });
    return (await qb.getMany()).map((k) => presentClinic(k));
  }

  /** A sitting with its agenda: only the cases the caller may open (an officer sees their own and their unit's). */
  async getClinic(principal: Principal, id: string): Promise<ClinicView> {
    const clinic = await this.db.getRepository(Clinic).findOneBy({ id });
    if (!clinic) throw ApiError.notFound('That clinic');
    const access = clinicAccess(principal, { id: clinic.unit, forceId: clinic.forceId });
    if (access === 'hidden') throw ApiError.notFound('That clinic');
    if (access === 'forbidden') throw ApiError.forbidden('This clinic is not your unit\'s.');
    const scope = caseScope(principal, 'c');
    const rows = await this.db.getRepository(ClinicAgendaItem).createQueryBuilder('i')
      .innerJoin('cases', 'c', 'c.id = i.case_id')
      .select(['i.case_id AS "caseId"', 'c.urn AS urn', 'i.officer_id AS "officerId"', 'i.reasons AS reasons', 'i.outcome AS outcome'])
      .where('i.clinic_id = :id', { id }).andWhere(scope.where, scope.params)
      .orderBy('i.position').getRawMany<AgendaEntryView & { outcome: string | null }>();
    const agenda = rows.map(({ outcome, ...entry }) => (outcome ? { ...entry, outcome } : entry));
    return { ...presentClinic(clinic), attendees: await this.attendees(clinic), agenda };
  }

  /**
   * What the clinic decided for a case on its agenda, recorded by the clinic's liaison or a supervisor of its unit and
   * applied to the case through its command Update (the case's rules re-date actions, re-arm clocks, set tasks), whose
   * projection write records it on the agenda entry. The note is free text, stored as a case document.
   */
  async recordOutcome(principal: Principal, clinicId: string, caseId: string, dto: ClinicOutcomeDto): Promise<{ clinicId: string; caseId: string; outcome: string; case: CaseView }> {
    const clinic = await this.db.getRepository(Clinic).findOneBy({ id: clinicId });
    if (!clinic) throw ApiError.notFound('That clinic');
    const access = clinicAccess(principal, { id: clinic.unit, forceId: clinic.forceId });
    if (access === 'hidden') throw ApiError.notFound('That clinic');
    if (access === 'forbidden') throw ApiError.forbidden('This clinic is not your unit\'s.');
    if (!recordsOutcomes(principal, clinic)) throw ApiError.forbidden('Outcomes are recorded by the clinic\'s liaison or a supervisor of its unit.');
    const item = await this.db.getRepository(ClinicAgendaItem).findOneBy({ clinicId, caseId });
    if (!item) throw ApiError.notFound('That case');
    if (clinic.status === 'cancelled') throw ApiError.conflict('The clinic was cancelled.');
    if (item.outcome) throw ApiError.conflict(`The clinic's outcome for this case is already recorded (${item.outcome}).`);
    const view = await this.commands.send(principal, caseId, {
      type: 'recordClinicOutcome', clinicId, outcome: dto.outcome,
      ...(dto.actionDueDates ? { actionDueDates: dto.actionDueDates.map((a) => ({ actionId: a.actionId, dueAt: new Date(a.dueAt).toISOString() })) } : {}),
    }, { document: { kind: 'clinic-outcome', body: { outcome: dto.outcome, note: dto.note } } });
    // The agenda entry has its outcome already: the case's projection write recorded it with the event.
    // The sitting's outcome clock stops once every case has its outcome (the workflow also reads them back on start, and
    // its chase reads them from the agenda, so a signal lost here sends no chase for a recorded outcome).
    await this.temporal.workflow.getHandle(clinic.workflowId).signal(clinicOutcomeRecordedSignal, { caseId })
      .catch((err: Error) => this.logger.warn(`clinic ${clinicId}: outcome signal not delivered (${err.message})`));
    return { clinicId, caseId, outcome: dto.outcome, case: view };
  }

  /**
   * A supervisor puts a case to its unit's next clinic: the next agenda built carries it with reason `referred`. The
   * reason is free text (it may name people), so it is stored as a case document and never shown in an email.
   */
  async refer(principal: Principal, caseId: string, dto: ClinicReferralDto): Promise<{ id: string; caseId: string; kind: 'referred'; createdAt: string }> {
    const kase = await openCase(this.db, principal, caseId);
    const id = randomUUID();
    const documentId = randomUUID();
    const createdAt = new Date();
    await this.db.transaction(async (tx) => {
      await tx.getRepository(CaseDocument).insert({ id: documentId, caseId, forceId: kase.forceId, kind: 'clinic-referral', body: { reason: dto.reason }, authorId: principal.id });
      await tx.getRepository(ClinicReferral).insert({ id, caseId, forceId: kase.forceId, kind: 'referred', dedupeKey: `referral:${id}`, referredBy: principal.id, documentId, clockKey: null, clinicId: null, createdAt });
    });
    return { id, caseId, kind: 'referred', createdAt: createdAt.toISOString() };
  }

  /** Who sits: the liaison, the officers in case on the agenda, and the unit's DS and DI. */
  private async attendees(clinic: Clinic): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT DISTINCT id FROM (
         SELECT $2::uuid AS id WHERE $2::uuid IS NOT NULL
         UNION SELECT officer_id FROM clinic_agenda_items WHERE clinic_id = $1
         UNION SELECT p.id FROM people p WHERE p.unit = $3 AND p.organisation = 'police' AND p.rank IN ('DS', 'DI') AND p.active
       ) a ORDER BY id`, [clinic.id, clinic.liaisonId, clinic.unit],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** A police unit the caller may convene clinics for: a supervisor of that unit (404 for another force's). */
  private async managedUnit(principal: Principal, unitId: string, what = 'That unit'): Promise<Unit> {
    const unit = await this.db.getRepository(Unit).findOneBy({ id: unitId });
    if (!unit) throw ApiError.notFound(what);
    const access = clinicAccess(principal, unit);
    if (access === 'hidden') throw ApiError.notFound(what);
    if (access === 'forbidden') throw ApiError.forbidden('Clinics are convened by a supervisor of the unit.');
    if (unit.organisation !== 'police' || !unit.forceId) throw ApiError.unprocessable('Clinics are held for a police unit.', [{ field: 'unit', problem: 'is a CPS team, not a police unit' }]);
    return unit;
  }

  /**
   * The liaison: the person named, who must be active CPS staff of a team serving the unit; else the organisation
   * model's default, the first prosecutor (else DCP) of the teams serving it.
   */
  private async liaisonFor(unit: Unit, named?: string): Promise<string | null> {
    const serving = (await this.db.query('SELECT cps_unit_id FROM unit_services WHERE police_unit_id = $1', [unit.id]) as { cps_unit_id: string }[]).map((r) => r.cps_unit_id);
    if (named) {
      const person = await this.db.getRepository(Person).findOneBy({ id: named });
      if (!person || !person.active || person.organisation !== 'cps' || !serving.includes(person.unit)) {
        throw ApiError.unprocessable('The liaison must be active CPS staff of a team serving the unit.', [{ field: 'liaisonId', problem: 'is not CPS staff of a team serving the unit' }]);
      }
      return person.id;
    }
    if (!serving.length) return null;
    const rows = (await this.db.query(
      `SELECT id FROM people WHERE organisation = 'cps' AND active AND unit = ANY($1) AND rank IN ('Prosecutor', 'DCP')
       ORDER BY CASE rank WHEN 'Prosecutor' THEN 0 ELSE 1 END, name, id LIMIT 1`, [serving],
    )) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  private assertRecurrence(r: Pick<ClinicSchedule, 'firstSittingAt' | 'timezone' | 'rrule' | 'agendaLeadTime'>): void {
    const problems: { field: string; problem: string }[] = recurrenceProblems(r);
    if (!Duration.fromISO(r.agendaLeadTime).isValid || Duration.fromISO(r.agendaLeadTime).as('days') > 28) {
      problems.push({ field: 'agendaLeadTime', problem: 'must be an ISO-8601 duration of at most 28 days' });
    }
    if (!problems.length) {
      try {
        sittingsFrom(r, { nonWorkingDays: [] }, new Date(), 1);
      } catch {
        problems.push({ field: 'rrule', problem: 'cannot be expanded from firstSittingAt' });
      }
    }
    if (problems.length) throw ApiError.unprocessable('The schedule cannot be computed as given.', problems);
  }

  private presentSchedule(s: ClinicSchedule): ClinicScheduleView {
    const sittings: Sitting[] = s.status === 'active' ? sittingsFrom(s, this.policies.forForce(s.forceId), new Date(), NEXT_SITTINGS) : [];
    const { id, unit, forceId, firstSittingAt, timezone, rrule, durationMinutes, agendaLeadTime, liaisonId, location, status, revision } = s;
    return {
      id, unit, forceId, firstSittingAt, timezone, rrule, durationMinutes, agendaLeadTime, liaisonId, location, status, revision,
      nextSittings: sittings.map((x) => x.sittingAt),
      moved: sittings.flatMap((x) => (x.movedFrom ? [{ sittingAt: x.sittingAt, movedFrom: x.movedFrom }] : [])),
    };
  }
}

/** Who records a sitting's outcomes: its liaison, or a supervisor of its unit (the page offers its forms by the same rule). */
export function recordsOutcomes(principal: Principal, clinic: Pick<Clinic, 'unit' | 'liaisonId'>): boolean {
  return (hasRole(principal, 'supervisor') && principal.unit === clinic.unit) || principal.id === clinic.liaisonId;
}

function presentClinic(k: Clinic): Omit<ClinicView, 'agenda' | 'attendees'> {
  return {
    id: k.id, unit: k.unit, scheduleId: k.scheduleId, sittingAt: k.sittingAt.toISOString(), durationMinutes: k.durationMinutes, status: k.status,
    liaisonId: k.liaisonId, location: k.location, agendaVersion: k.agendaVersion,
  };
}

function definedOf<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<T>;
}
