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
  kind: 'reminder' | 'escalation' | 'clinic';
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

/** Rows a page of My work shows of each list. */
export const WORK_PAGE_SIZE = 50;

export interface MyWork {
  page: number;
  pageSize: number;
  items: WorkItem[];
  itemsTotal: number;
  waiting: WaitingCase[];
  waitingTotal: number;
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

  /**
   * One page of the person's reminders and escalations (most urgent first) and of the cases waiting for them, with
   * how many there are in all: a supervisor may hold thousands, and a page shows the first ones.
   */
  async myWork(principal: Principal, page: { page?: number; pageSize?: number } = {}): Promise<MyWork> {
    const pageSize = page.pageSize ?? WORK_PAGE_SIZE;
    const offset = ((page.page ?? 1) - 1) * pageSize;
    const [items, waiting] = await Promise.all([this.items(principal, pageSize, offset), this.waiting(principal, pageSize)]);
    return { page: page.page ?? 1, pageSize, ...items, ...waiting };
  }

  /**
   * A page in due order is read from the index on open tasks (a task's due time is its clock's current one), so a
   * supervisor's thousands of tasks are never sorted whole. Bail expiry and the victim's vulnerability break ties:
   * they are looked up only for the tasks due no later than the page's last one (every task that could be on the
   * page), then the page is cut. The cases of their tasks they may not open (restricted, or now outside their force or
   * area) are found once, by key from the index's case ids, and left out.
   */
  private async items(principal: Principal, limit: number, offset: number): Promise<{ items: WorkItem[]; itemsTotal: number }> {
    const restriction = restrictionScope(principal, 'c');
    const hidden = `SELECT c.id FROM cases c WHERE c.id IN (SELECT o.case_id FROM tasks o WHERE o.person_id = :me AND o.status = 'open') AND NOT ${restriction.where}`;
    const params = { ...restriction.params, me: principal.id, limit, offset, reach: offset + limit };
    const [sql, values] = this.db.driver.escapeQueryWithParameters(`
      WITH hidden AS (${hidden}),
      reach AS (
        SELECT t.due_at FROM tasks t WHERE t.person_id = :me AND t.status = 'open' AND t.case_id NOT IN (SELECT id FROM hidden)
        ORDER BY t.due_at LIMIT :reach
      ),
      candidates AS (
        SELECT t.id, t.kind, t.case_id, t.clock_key, t.clock_name, t.why, t.due_at FROM tasks t
        WHERE t.person_id = :me AND t.status = 'open' AND t.case_id NOT IN (SELECT id FROM hidden) AND t.due_at <= (SELECT max(due_at) FROM reach)
      )
      SELECT m.id, m.kind, m.case_id AS "caseId", c.urn AS "caseUrn", m.clock_key AS "clockKey", m.clock_name AS "clockName", m.why, m.due_at AS "dueAt",
             (SELECT min(b.due_at) FROM case_clocks b WHERE b.case_id = m.case_id AND b.name = 'bail.expiry' AND b.status = 'running') AS "bailExpiresAt",
             (SELECT bool_or(v.vulnerable) FROM case_parties v WHERE v.case_id = m.case_id AND v.kind = 'victim') AS "vulnerableVictim"
      FROM candidates m JOIN cases c ON c.id = m.case_id
      ORDER BY m.due_at, "bailExpiresAt" NULLS LAST, "vulnerableVictim" DESC NULLS LAST, m.id
      LIMIT :limit OFFSET :offset`, params, {});
    const [countSql, countValues] = this.db.driver.escapeQueryWithParameters(
      `SELECT count(*)::int AS total FROM tasks t WHERE t.person_id = :me AND t.status = 'open' AND t.case_id NOT IN (${hidden})`, params, {});
    const [rows, [{ total }]]: [{ id: string; kind: WorkItem['kind']; caseId: string; caseUrn: string; clockKey: string; clockName: string; why: string; dueAt: Date; bailExpiresAt: Date | null; vulnerableVictim: boolean | null }[], { total: number }[]] =
      await Promise.all([this.db.query(sql, values), this.db.query(countSql, countValues)]);
    const now = Date.now();
    const items = rows.map((r) => ({
      ...r, dueAt: r.dueAt.toISOString(), overdue: r.dueAt.getTime() < now, bailExpiresAt: r.bailExpiresAt?.toISOString() ?? null, vulnerableVictim: !!r.vulnerableVictim,
    }));
    return { items, itemsTotal: total };
  }

  /** Cases whose holder is this person: named, or the role they fill (officer in case, a DS+ of the unit, a DCP). */
  private async waiting(principal: Principal, limit: number): Promise<{ waiting: WaitingCase[]; waitingTotal: number }> {
    const me = await this.db.getRepository(Person).findOneBy({ id: principal.id });
    if (!me?.active) return { waiting: [], waitingTotal: 0 };
    const mine = [
      'c.holder_person_id = :me',
      "(c.holder_organisation = 'police' AND c.holder_role = 'officer' AND c.holder_person_id IS NULL AND c.officer_id = :me)",
      "(c.holder_organisation = 'cps' AND c.holder_role = 'prosecutor' AND c.holder_person_id IS NULL AND c.prosecutor_id = :me)",
    ];
    if (me.organisation === 'police' && principal.roles.includes('supervisor') && rankAtLeast(me.rank, 'DS')) {
      mine.push("(c.holder_organisation = 'police' AND c.holder_role IN ('supervisor', 'gatekeeper') AND c.unit = :unit)");
    }
    if (me.organisation === 'cps' && principal.roles.includes('cps') && rankAtLeast(me.rank, 'DCP')) {
      // "A DCP" of a case is one of the CPS teams serving its unit, as its notices resolve.
      mine.push("(c.holder_organisation = 'cps' AND c.holder_role IN ('triage', 'dcp') AND c.unit IN (SELECT s.police_unit_id FROM unit_services s WHERE s.cps_unit_id = :myUnit))");
    }
    const scope = caseScope(principal, 'c');
    const rows = await this.db.createQueryBuilder()
      .select(['c.id AS "caseId"', 'c.urn AS "caseUrn"', 'c.stage AS stage', 'c.waiting_for AS "waitingFor"', 'c.holder_role AS "holderRole"', 'c.next_due_at AS "nextDueAt"'])
      .from('cases', 'c')
      .where(scope.where, scope.params)
      .andWhere(`(${mine.join(' OR ')})`, { me: principal.id, unit: principal.unit, myUnit: me.unit })
      .andWhere("c.stage <> 'closed'")
      .addSelect('count(*) OVER ()', 'total')
      .orderBy('c.next_due_at', 'ASC', 'NULLS LAST').addOrderBy('c.reported_at', 'ASC')
      .limit(limit)
      .getRawMany<Omit<WaitingCase, 'nextDueAt'> & { nextDueAt: Date | null; total: string }>();
    return {
      waiting: rows.map(({ total: _total, ...r }) => ({ ...r, nextDueAt: r.nextDueAt?.toISOString() ?? null })),
      waitingTotal: rows.length ? Number(rows[0].total) : 0,
    };
  }
}
