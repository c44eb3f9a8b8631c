import type { DataSource } from 'typeorm';
import { CaseEvent, CaseRecord } from '../db/entities';
import type { CaseRegistration, CaseStage } from '../workflows/contracts';

export interface RecordCaseRegisteredInput {
  workflowId: string;
  seq: number;
  registration: CaseRegistration;
  policyVersion: string;
  stage: CaseStage;
  /** Workflow time of the transition, not the time the (possibly retried) activity ran. */
  occurredAt: string;
}

/** Writes of the case projection and its timeline, one transaction each, keyed so that a retry is a no-op. */
export function caseProjectionActivities(dataSource: DataSource) {
  return {
    async recordCaseRegistered({ workflowId, seq, registration: r, policyVersion, stage, occurredAt }: RecordCaseRegisteredInput): Promise<void> {
      await dataSource.transaction(async (tx) => {
        await tx.createQueryBuilder().insert().into(CaseRecord).values({
          id: r.caseId,
          urn: r.urn,
          stage,
          unit: r.unit,
          officerId: r.officerId,
          offenceType: r.offence.type,
          penetrative: r.offence.penetrative,
          committedFrom: r.offence.committedFrom,
          committedTo: r.offence.committedTo ?? null,
          reportedAt: new Date(r.reportedAt),
          enhancedRights: true,
          suspectCount: r.suspectPartyIds.length,
          policyVersion,
          workflowId,
          lastEventSeq: seq,
        }).orIgnore().execute();
        await tx.createQueryBuilder().insert().into(CaseEvent).values({
          id: `${workflowId}:${seq}`,
          caseId: r.caseId,
          seq,
          type: 'case-registered',
          actorId: r.registeredBy.id,
          actorRole: r.registeredBy.role,
          fromStage: null,
          toStage: stage,
          reason: null,
          data: { unit: r.unit, offenceType: r.offence.type, suspects: r.suspectPartyIds.length, policyVersion },
          occurredAt: new Date(occurredAt),
        }).orIgnore().execute();
      });
    },
  };
}
