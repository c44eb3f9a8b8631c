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
   * Bail expiry and the victim's vulnerability are tie-breaks, looked up once per case for the person's open tasks
   * (a set, not a lookup per row), before the page is cut.
   */
  private async items(principal: Principal, limit: number, offset: number): Promise<{ items: WorkItem[]; itemsTotal: number }> {
    const restriction = restrictionScope(principal, 'c');
    const [sql, params] = this.db.driver.escapeQueryWithParameters(`
      WITH mine AS (
        SELECT t.id, t.kind, t.case_id, c.urn, t.clock_key, t.clock_name, t.why,
               -- The clock's current due time: a due date moved since the task was raised moves the task too.
               COALESCE(k.due_at, t.due_at) AS due_at
        FROM tasks t JOIN cases c ON c.id = t.case_id LEFT JOIN case_clocks k ON k.key = t.clock_key
        WHERE t.person_id = :me AND t.status = 'open' AND ${restriction.where}
      ),
      bail AS (
        SELECT b.case_id, min(b.due_at) AS expires_at FROM case_clocks b
        WHERE b.name = 'bail.expiry' AND b.status = 'running' AND b.case_id IN (SELECT case_id FROM mine) GROUP BY b.case_id
      ),
      vulnerable AS (
        SELECT v.case_id, bool_or(v.vulnerable) AS vulnerable FROM case_parties v
        WHERE v.kind = 'victim' AND v.case_id IN (SELECT case_id FROM mine) GROUP BY v.case_id
      )
      SELECT m.id, m.kind, m.case_id AS "caseId", m.urn AS "caseUrn", m.clock_key AS "clockKey", m.clock_name AS "clockName", m.why,
             m.due_at AS "dueAt", bail.expires_at AS "bailExpiresAt", vulnerable.vulnerable AS "vulnerableVictim", count(*) OVER () AS total
      FROM mine m LEFT JOIN bail ON bail.case_id = m.case_id LEFT JOIN vulnerable ON vulnerable.case_id = m.case_id
      ORDER BY m.due_at, bail.expires_at NULLS LAST, vulnerable.vulnerable DESC NULLS LAST, m.id
      LIMIT :limit OFFSET :offset`, { ...restriction.params, me: principal.id, limit, offset }, {});
    const rows: { id: string; kind: WorkItem['kind']; caseId: string; caseUrn: string; clockKey: string; clockName: string; why: string; dueAt: Date; bailExpiresAt: Date | null; vulnerableVictim: boolean | null; total: string }[] = await this.db.query(sql, params);
    const now = Date.now();
    const items = rows.map(({ total: _total, ...r }) => ({
      ...r, dueAt: r.dueAt.toISOString(), overdue: r.dueAt.getTime() < now, bailExpiresAt: r.bailExpiresAt?.toISOString() ?? null, vulnerableVictim: !!r.vulnerableVictim,
    }));
    // A page past the end has no rows to carry the count; the first page's is then the answer.
    const itemsTotal = rows.length ? Number(rows[0].total) : offset ? (await this.items(principal, 1, 0)).itemsTotal : 0;
    return { items, itemsTotal };
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
    if (me.organisation === 'cps' && principal.roles.includes('cps') && rankAtLeast(me.rank, 'DCP')) mine.push("(c.holder_organisation = 'cps' AND c.holder_role IN ('triage', 'dcp'))");
    const scope = caseScope(principal, 'c');
    const rows = await this.db.createQueryBuilder()
      .select(['c.id AS "caseId"', 'c.urn AS "caseUrn"', 'c.stage AS stage', 'c.waiting_for AS "waitingFor"', 'c.holder_role AS "holderRole"', 'c.next_due_at AS "nextDueAt"'])
      .from('cases', 'c')
      .where(scope.where, scope.params)
      .andWhere(`(${mine.join(' OR ')})`, { me: principal.id, unit: principal.unit })
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
