import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Principal } from '../../api/auth/principal';
import { caseScope } from '../../api/cases/case-access';
import { CasesService } from '../../api/cases/cases.service';
import type { ListCasesQuery } from '../../api/cases/dto/list-cases.query';
import { createDataSource } from '../../db/data-source';
import { loadPolicy, RegionPolicies } from '../../policy/load-policy';
import { scratchDatabase } from '../support/scratch-database';

/**
 * The case list reads the caller's scope a part at a time (caseScopeParts) in index order: every page and the count
 * must be exactly what the scope itself, sorted newest report first, answers. Checked page by page against that
 * reference for callers of each kind: a DS (their unit, and cases of theirs elsewhere), an officer named on a
 * restricted case of another unit, CPS staff serving two units (referred cases only), someone granted a restricted
 * case; with a stage filter; and with report times that tie (the id breaks them).
 */
describe('the case list, page by page', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: DataSource;
  let cases: CasesService;
  const FORCE = 'list-force';
  const people: Record<string, Principal> = {};

  beforeAll(async () => {
    scratch = await scratchDatabase('precharge_case_list');
    db = await createDataSource(scratch.url, 'case-list-test').initialize();
    await db.runMigrations();
    await db.query(`INSERT INTO forces (id, code, name) VALUES ($1, '41', 'List force'), ('list-other', '42', 'Other force')`, [FORCE]);
    await db.query(`INSERT INTO cps_areas (id, name) VALUES ('list-area', 'List area')`);
    await db.query(`INSERT INTO units (id, name, organisation, force_id) VALUES ('list-a', 'A', 'police', $1), ('list-b', 'B', 'police', $1), ('list-c', 'C', 'police', $1), ('list-x', 'X', 'police', 'list-other')`, [FORCE]);
    await db.query(`INSERT INTO units (id, name, organisation, area_id) VALUES ('list-cps', 'CPS team', 'cps', 'list-area')`);
    await db.query(`INSERT INTO unit_services (police_unit_id, cps_unit_id) VALUES ('list-a', 'list-cps'), ('list-b', 'list-cps')`);
    const person = async (key: string, unit: string, role: 'officer' | 'supervisor' | 'cps', force: string | null, servedUnits: string[] = []) => {
      const id = randomUUID();
      await db.query(`INSERT INTO people (id, name, email, roles, organisation, rank, unit, force_id, area_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, `Synthetic ${key}`, `${key}.${id.slice(0, 6)}@list.example.invalid`, [role], role === 'cps' ? 'cps' : 'police', role === 'cps' ? 'Prosecutor' : role === 'officer' ? 'DC' : 'DS', unit, force, force ? null : 'list-area']);
      people[key] = { id, roles: [role], unit, forceId: force, areaId: force ? null : 'list-area', servedUnits };
    };
    await person('ds', 'list-a', 'supervisor', FORCE);
    await person('dc', 'list-b', 'officer', FORCE);
    await person('dcC', 'list-c', 'officer', FORCE);
    await person('cps', 'list-cps', 'cps', null, ['list-a', 'list-b']);
    await person('dcX', 'list-x', 'officer', 'list-other');

    // 160 cases over the units, officers, stages, referral and restriction; every fifth pair shares a report time.
    const officers = [people.ds.id, people.dc.id, people.dcC.id];
    const stages = ['investigating', 'ea-requested', 'charged', 'closed'];
    for (let i = 0; i < 160; i += 1) {
      const unit = ['list-a', 'list-b', 'list-c', 'list-a', 'list-x'][i % 5];
      const officer = unit === 'list-x' ? people.dcX.id : officers[(i * 7) % 3];
      const id = randomUUID();
      const reportedAt = new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 2) * (i % 5 === 0 ? 0 : 3_600_000) + (i % 5 === 0 ? 0 : i * 60_000));
      await db.query(
        `INSERT INTO cases (id, urn, stage, unit, force_id, officer_id, offence_type, penetrative, committed_from, reported_at, enhanced_rights, suspect_count, policy_version, workflow_id, last_event_seq, restricted, referred_to_cps)
         VALUES ($1, $2, $3, $4, $5, $6, 'rape', true, '2024-12-01', $7, false, 1, 'v', $8, 1, $9, $10)`,
        [id, `41LS${String(i).padStart(5, '0')}25`, stages[i % 4], unit, unit === 'list-x' ? 'list-other' : FORCE, officer, reportedAt, `case-${id}`, i % 11 === 0, i % 3 !== 0]);
      if (i % 22 === 0) await db.query(`INSERT INTO case_access_grants (case_id, person_id, granted_by) VALUES ($1, $2, 'test'), ($1, $3, 'test')`, [id, people.dcC.id, people.cps.id]);
    }
    cases = new CasesService(db, undefined as never, new RegionPolicies(loadPolicy()), undefined as never, undefined as never, undefined as never);
  });
  afterAll(async () => {
    await db?.destroy();
    await scratch?.drop();
  });

  /** What the scope alone answers, sorted: the reference. */
  const reference = async (who: Principal, stage?: string) => {
    const scope = caseScope(who);
    const qb = db.createQueryBuilder().select('c.id', 'id').from('cases', 'c').where(scope.where, scope.params);
    if (stage) qb.andWhere('c.stage = :stage', { stage });
    return ((await qb.orderBy('c.reported_at', 'DESC').addOrderBy('c.id').getRawMany()) as { id: string }[]).map((r) => r.id);
  };

  it.each(['ds', 'dc', 'dcC', 'cps', 'dcX'])('answers exactly the scope\'s cases, in order, page by page (%s)', async (key) => {
    const who = people[key];
    for (const stage of [undefined, 'investigating']) {
      const expected = await reference(who, stage);
      expect(expected.length).toBeGreaterThan(0);
      const seen: string[] = [];
      for (let page = 1; page <= Math.ceil(expected.length / 7) + 1; page += 1) {
        const result = await cases.list(who, { page, pageSize: 7, stage } as ListCasesQuery);
        expect(result.total).toBe(expected.length);
        expect(result.items.map((c) => c.id)).toEqual(expected.slice((page - 1) * 7, page * 7));
        seen.push(...result.items.map((c) => c.id));
      }
      expect(seen).toEqual(expected);
    }
  });
});
