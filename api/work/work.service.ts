import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Person } from '../../db/entities';
import { rankAtLeast } from '../../workflows/pipeline/decide';
import type { Principal } from '../auth/principal';
import { caseScope, restrictionScope } from '../cases/case-access';
import { DATA_SOURCE } from '../infrastructure/tokens';

/** One reminder or escalation in a person's work, with what makes it urgent. */
export interface WorkItem {
  id: string;
  kind: 'reminder' | 'escalation';
  caseId: string;
  caseUrn: string;
  clockKey: string;
  clockName: string;
  dueAt: string;
  why: string;
  overdue: boolean;
  bailExpiresAt: string | null;
  vulnerableVictim: boolean;
}

/** A case whose next step is this person's (they hold it, by name or by role). */
export interface WaitingCase {
  caseId: string;
  caseUrn: string;
  stage: string;
  waitingFor: string;
  holderRole: string | null;
  nextDueAt: string | null;
}

/**
 * A person's work: their open reminders and escalations, most urgent first (the longest overdue, then the soonest to
 * breach, then the soonest bail expiry, then a vulnerable victim), and the cases waiting for them to act.
 */
@Injectable()
export class WorkService {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async myWork(principal: Principal): Promise<{ items: WorkItem[]; waiting: WaitingCase[] }> {
    const [items, waiting] = await Promise.all([this.items(principal), this.waiting(principal)]);
    return { items, waiting };
  }

  private async items(principal: Principal): Promise<WorkItem[]> {
    const restriction = restrictionScope(principal, 'c');
    const rows = await this.db.createQueryBuilder()
      .select(['t.id AS id', 't.kind AS kind', 't.case_id AS "caseId"', 'c.urn AS "caseUrn"', 't.clock_key AS "clockKey"', 't.clock_name AS "clockName"', 't.why AS why'])
      // The clock's current due time: a due date moved since the task was raised moves the task too.
      .addSelect('COALESCE(k.due_at, t.due_at)', 'dueAt')
      .addSelect((q) => q.select('min(b.due_at)').from('case_clocks', 'b').where("b.case_id = c.id AND b.name = 'bail.expiry' AND b.status = 'running'"), 'bailExpiresAt')
      .addSelect((q) => q.select('bool_or(v.vulnerable)').from('case_parties', 'v').where("v.case_id = c.id AND v.kind = 'victim'"), 'vulnerableVictim')
      .from('tasks', 't')
      .innerJoin('cases', 'c', 'c.id = t.case_id')
      .leftJoin('case_clocks', 'k', 'k.key = t.clock_key')
      .where("t.person_id = :me AND t.status = 'open'", { me: principal.id })
      .andWhere(restriction.where, restriction.params)
      .orderBy('"dueAt"', 'ASC').addOrderBy('"bailExpiresAt"', 'ASC', 'NULLS LAST').addOrderBy('"vulnerableVictim"', 'DESC', 'NULLS LAST').addOrderBy('t.id')
      .limit(200)
      .getRawMany<{ id: string; kind: WorkItem['kind']; caseId: string; caseUrn: string; clockKey: string; clockName: string; why: string; dueAt: Date; bailExpiresAt: Date | null; vulnerableVictim: boolean | null }>();
    const now = Date.now();
    return rows.map((r) => ({
      ...r, dueAt: r.dueAt.toISOString(), overdue: r.dueAt.getTime() < now, bailExpiresAt: r.bailExpiresAt?.toISOString() ?? null, vulnerableVictim: !!r.vulnerableVictim,
    }));
  }

  /** Cases whose holder is this person: named, or the role they fill (officer in case, a DS+ of the unit, a DCP). */
  private async waiting(principal: Principal): Promise<WaitingCase[]> {
    const me = await this.db.getRepository(Person).findOneBy({ id: principal.id });
    if (!me?.active) return [];
    const mine = [
      'c.holder_person_id = :me',
      "(c.holder_organisation = 'police' AND c.holder_role = 'officer' AND c.holder_person_id IS NULL AND c.officer_id = :me)",
      "(c.holder_organisation = 'cps' AND c.holder_role = 'prosecutor' AND c.holder_person_id IS NULL AND c.prosecutor_id = :me)",
    ];
    if (me.organisation === 'police' && principal.roles.includes('supervisor') && rankAtLeast(me.rank, 'DS')) {
      mine.push("(c.holder_organisation = 'police' AND c.holder_role IN ('supervisor', 'gatekeeper') AND c.unit = :unit)");
    }
    if (me.organisation === 'cps' && principal.roles.includes('cps') && rankAtLeast(me.rank, 'DCP')) mine.push("(c.holder_organisation = 'cps' AND c.holder_role IN ('triage', 'dcp'))");
    const scope = caseScope(principal, 'c');
    const rows = await this.db.createQueryBuilder()
      .select(['c.id AS "caseId"', 'c.urn AS "caseUrn"', 'c.stage AS stage', 'c.waiting_for AS "waitingFor"', 'c.holder_role AS "holderRole"', 'c.next_due_at AS "nextDueAt"'])
      .from('cases', 'c')
      .where(scope.where, scope.params)
      .andWhere(`(${mine.join(' OR ')})`, { me: principal.id, unit: principal.unit })
      .andWhere("c.stage <> 'closed'")
      .orderBy('c.next_due_at', 'ASC', 'NULLS LAST').addOrderBy('c.reported_at', 'ASC')
      .limit(200)
      .getRawMany<Omit<WaitingCase, 'nextDueAt'> & { nextDueAt: Date | null }>();
    return rows.map((r) => ({ ...r, nextDueAt: r.nextDueAt?.toISOString() ?? null }));
  }
}
