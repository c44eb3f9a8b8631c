import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { Clinic, ClinicSchedule } from '../../db/entities';
import type { Logger } from '../../infra/logger';
import { type AgendaSummary, clinicWorkflowId } from '../../workflows/contracts/clinics';
import type { AgendaReasonCode, AgendaRules } from '../../workflows/contracts/policy';
import { agendaFor } from './agenda';

export interface BuildClinicAgendaInput {
  clinicId: string;
  rules: AgendaRules & { version: string };
  /** Workflow time of the build: the rules' "overdue" and "within" are measured from it. */
  now: string;
}

export interface RecordScheduledSittingInput {
  scheduleId: string;
  occurrence: string;
  sittingAt: string;
  policyVersion: string;
}

/** The clinic records the clinic workflows write: sittings made from schedules, and each sitting's agenda. */
export function clinicActivities({ dataSource, logger }: { dataSource: DataSource; logger: Logger }) {
  return {
    /** The cases of a sitting's agenda whose outcome is already recorded. */
    async clinicOutcomesRecorded({ clinicId }: { clinicId: string }): Promise<string[]> {
      const rows = (await dataSource.query(`SELECT case_id FROM clinic_agenda_items WHERE clinic_id = $1 AND outcome IS NOT NULL`, [clinicId])) as { case_id: string }[];
      return rows.map((r) => r.case_id);
    },

    /**
     * The sitting for one occurrence of a schedule, made once (unique per schedule and occurrence): a retry, or the
     * schedule's workflow replaying, finds the one already made.
     */
    async recordScheduledSitting({ scheduleId, occurrence, sittingAt, policyVersion }: RecordScheduledSittingInput): Promise<{ clinicId: string }> {
      const schedule = await dataSource.getRepository(ClinicSchedule).findOneBy({ id: scheduleId });
      if (!schedule) throw ApplicationFailure.nonRetryable(`clinic schedule ${scheduleId} is not recorded`, 'ScheduleMissing');
      const id = randomUUID();
      await dataSource.createQueryBuilder().insert().into(Clinic).values({
        id, forceId: schedule.forceId, unit: schedule.unit, scheduleId, occurrence: new Date(occurrence), sittingAt: new Date(sittingAt),
        durationMinutes: schedule.durationMinutes, liaisonId: schedule.liaisonId, location: schedule.location, status: 'scheduled', sequence: 0,
        policyVersion, agendaVersion: null, agendaBuiltAt: null, workflowId: clinicWorkflowId(id), createdBy: `schedule:${scheduleId}`,
      }).orIgnore().execute();
      const clinic = await dataSource.getRepository(Clinic).findOneByOrFail({ scheduleId, occurrence: new Date(occurrence) });
      return { clinicId: clinic.id };
    },

    /**
     * Builds a sitting's agenda by the rules it is handed and records them: the entries with their reasons, the rules'
     * version, and the referrals it took up. Built once: a retry after the agenda was recorded returns it unchanged.
     */
    async buildClinicAgenda({ clinicId, rules, now }: BuildClinicAgendaInput): Promise<AgendaSummary> {
      return dataSource.transaction(async (tx) => {
        const clinic = await tx.getRepository(Clinic).findOne({ where: { id: clinicId }, lock: { mode: 'pessimistic_write' } });
        if (!clinic) throw ApplicationFailure.nonRetryable(`clinic ${clinicId} is not recorded`, 'ClinicMissing');
        if (!clinic.agendaBuiltAt) {
          const entries = await agendaFor(tx, clinic.unit, rules, new Date(now));
          // One statement for the whole agenda: a unit of thousands of open cases has thousands of entries (npm run bench:agenda).
          await tx.query(
            `INSERT INTO clinic_agenda_items (clinic_id, case_id, force_id, officer_id, position, reasons)
             SELECT $1, e.case_id, $2, e.officer_id, e.position - 1, e.reasons
             FROM unnest($3::uuid[], $4::uuid[], $5::jsonb[]) WITH ORDINALITY AS e(case_id, officer_id, reasons, position)
             ON CONFLICT DO NOTHING`,
            [clinicId, clinic.forceId, entries.map((e) => e.caseId), entries.map((e) => e.officerId), entries.map((e) => JSON.stringify(e.reasons))],
          );
          if (entries.length) {
            await tx.query(`UPDATE clinic_referrals SET clinic_id = $1 WHERE clinic_id IS NULL AND case_id = ANY($2::uuid[]) AND created_at <= $3`, [clinicId, entries.map((e) => e.caseId), now]);
          }
          await tx.getRepository(Clinic).update({ id: clinicId }, { agendaVersion: rules.version, agendaBuiltAt: new Date(now), status: clinic.status === 'scheduled' ? 'agenda-built' : clinic.status });
          logger.info({ clinicId, cases: entries.length, agendaVersion: rules.version }, 'clinic agenda built');
        }
        const items = (await tx.query(`SELECT case_id, officer_id, reasons FROM clinic_agenda_items WHERE clinic_id = $1 ORDER BY position`, [clinicId])) as { case_id: string; officer_id: string; reasons: { code: AgendaReasonCode }[] }[];
        const version = (await tx.getRepository(Clinic).findOneByOrFail({ id: clinicId })).agendaVersion ?? rules.version;
        return { agendaVersion: version, entries: items.map((i) => ({ caseId: i.case_id, officerId: i.officer_id, codes: i.reasons.map((r) => r.code) })) };
      });
    },
  };
}
