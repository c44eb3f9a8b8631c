import { randomUUID } from 'node:crypto';
import { Task } from '../../db/entities';
import { caseBody, createTeam, type Member, type Team } from '../support/fixtures';
import { createActivities } from '../../activities';
import { createLogger } from '../../infra/logger';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';
import { tokenFor } from '../support/tokens';

/** Restricted cases (e.g. the suspect is police staff): only the officer in case and the people named may open them. */
describe('restricted cases', () => {
  let system: RunningSystem;
  let team: Team;
  let caseId: string;
  const call = (who: { token: string } | string, method: string, path: string, body?: unknown) =>
    api(system.baseUrl, method, path, { token: typeof who === 'string' ? who : who.token, body });
  const listed = async (who: Member | { token: string }) => ((await call(who, 'GET', '/cases?pageSize=100')).body.items as { id: string }[]).map((c) => c.id);

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
    const created = await call(team.officer, 'POST', '/cases', caseBody({ unit: team.unit, officerId: team.officer.id }));
    expect(created.status).toBe(201);
    caseId = created.body.id;
  });
  afterAll(() => system?.stop());

  it('may be restricted by a DI of the case\'s unit, not by a DS or the officer', async () => {
    expect((await call(team.ds, 'POST', `/cases/${caseId}/restriction`, { restricted: true, people: [team.ds.id] })).status).toBe(403);
    expect((await call(team.officer, 'POST', `/cases/${caseId}/restriction`, { restricted: true, people: [] })).status).toBe(403);
    const other = await createTeam(system.baseUrl);
    expect((await call(other.di, 'POST', `/cases/${caseId}/restriction`, { restricted: true, people: [] })).status).toBe(403);

    const res = await call(team.di, 'POST', `/cases/${caseId}/restriction`, { restricted: true, people: [team.prosecutor.id] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ caseId, restricted: true, officerId: team.officer.id, people: [{ id: team.prosecutor.id, rank: 'Prosecutor', grantedBy: team.di.id }] });
    const [row] = await system.dataSource.query('SELECT restricted FROM cases WHERE id = $1', [caseId]);
    expect(row.restricted).toBe(true);
  });

  it('opens only for the officer in case and the people named, and answers everyone else as if it did not exist', async () => {
    const read = await call(team.officer, 'GET', `/cases/${caseId}`);
    expect(read.status).toBe(200);
    expect(read.body.flags.restricted).toBe(true);
    // Named, so the prosecutor opens it although it was never referred to the CPS.
    expect((await call(team.prosecutor, 'GET', `/cases/${caseId}`)).status).toBe(200);
    const unknown = await call(team.ds, 'GET', `/cases/${randomUUID()}`);
    for (const who of [team.ds, team.di, team.dcp]) {
      const res = await call(who, 'GET', `/cases/${caseId}`);
      expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: unknown.body });
      expect((await call(who, 'GET', `/cases/${caseId}/timeline`)).status).toBe(404);
      expect((await call(who, 'GET', `/cases/${caseId}/restriction`)).status).toBe(404);
    }
    // Neither can the DI who restricted it, without naming themselves: they can no longer change it either.
    expect((await call(team.di, 'POST', `/cases/${caseId}/restriction`, { restricted: false, people: [] })).status).toBe(404);
    const elsewhere = await tokenFor({ sub: team.officer.id, roles: ['officer'], unit: 'another-unit' });
    expect((await call(elsewhere, 'GET', `/cases/${caseId}`)).status).toBe(200); // the officer in case, whatever the token's unit

    expect(await listed(team.officer)).toContain(caseId);
    expect(await listed(team.prosecutor)).toContain(caseId);
    for (const who of [team.ds, team.di, team.dcp]) expect(await listed(who)).not.toContain(caseId);
  });

  it('keeps the restriction through workflow transitions, and hides the case\'s items too', async () => {
    const requested = await call(team.officer, 'POST', `/cases/${caseId}/early-advice`, { summary: 'Synthetic summary of the allegation so far.', linesOfInquiry: ['ABE held'], issues: ['Consent disputed'], questions: ['Threshold met?'] });
    expect(requested.status).toBe(201);
    const [row] = await system.dataSource.query('SELECT restricted, stage FROM cases WHERE id = $1', [caseId]);
    expect(row).toEqual({ restricted: true, stage: 'ea-requested' });

    const endorse = await call(team.ds, 'POST', `/early-advice/${requested.body.requestId}/endorse`);
    const unknownItem = await call(team.ds, 'POST', `/early-advice/${randomUUID()}/endorse`);
    expect({ status: endorse.status, body: endorse.body }).toEqual({ status: 404, body: unknownItem.body });
  });

  it('stays out of the inbox of people not named on it', async () => {
    const task = (personId: string) => ({
      id: randomUUID(), dedupeKey: `restricted-test:${personId}`, personId, caseId, forceId: team.forceId, kind: 'escalation' as const, clockKey: `victim.routineUpdate:${caseId}`,
      clockName: 'victim.routineUpdate', step: 1, dueAt: new Date(), why: 'Synthetic escalation for the restricted-case test', status: 'open' as const, delivery: 'immediate' as const,
    });
    await system.dataSource.getRepository(Task).insert([task(team.ds.id), task(team.prosecutor.id)]);
    const inbox = async (who: Member) => ((await call(who, 'GET', '/escalations')).body as { caseId: string }[]).map((t) => t.caseId);
    expect(await inbox(team.ds)).not.toContain(caseId);
    expect(await inbox(team.prosecutor)).toContain(caseId);
  });

  it('tells only the people named on it when a deadline escalates', async () => {
    const activities = createActivities({ dataSource: system.dataSource, publicUrl: 'http://localhost:3000', logger: createLogger('test', 'silent') });
    const result = await activities.notify({ key: `restricted-escalation-${caseId}`, caseId, template: 'case-action-needed', recipients: ['police:DS', 'officer'], headline: 'Synthetic restricted escalation' });
    expect(result.sent).toBe(2); // queued for the officer in case and the named prosecutor, not the DS
    const subjects = async (who: Member) => (await mailTo(who.email)).map((m) => m.subject).filter((x) => x?.startsWith('Synthetic restricted'));
    await eventually(async () => (await subjects(team.prosecutor)).length === 1);
    expect(await subjects(team.officer)).toHaveLength(1);
    expect(await subjects(team.ds)).toEqual([]);
  });

  it('checks its input: people must be active police or CPS staff, and lifting names nobody', async () => {
    const admin = team.admin;
    expect((await call(admin, 'POST', `/cases/${caseId}/restriction`, { restricted: true, people: ['not-a-uuid'] })).status).toBe(400);
    expect((await call(admin, 'POST', `/cases/${caseId}/restriction`, { restricted: 'yes', people: [] })).status).toBe(400);
    const stranger = await call(admin, 'POST', `/cases/${caseId}/restriction`, { restricted: true, people: [team.prosecutor.id, randomUUID()] });
    expect(stranger.status).toBe(422);
    expect(stranger.body.details).toEqual([{ field: 'people.1', problem: expect.any(String) }]);
    expect((await call(admin, 'POST', `/cases/${caseId}/restriction`, { restricted: false, people: [team.ds.id] })).status).toBe(422);
    expect((await call(admin, 'POST', `/cases/${randomUUID()}/restriction`, { restricted: false, people: [] })).status).toBe(404);
  });

  it('is lifted by an administrator, after which the unit sees the case again; every change is audited', async () => {
    expect((await call(team.admin, 'GET', `/cases/${caseId}`)).status).toBe(403); // administrators manage access, they do not read cases
    const lifted = await call(team.admin, 'POST', `/cases/${caseId}/restriction`, { restricted: false, people: [] });
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({ restricted: false, people: [] });
    expect((await call(team.ds, 'GET', `/cases/${caseId}`)).status).toBe(200);
    expect(await listed(team.ds)).toContain(caseId);
    expect(((await call(team.ds, 'GET', '/escalations')).body as { caseId: string }[]).map((t) => t.caseId)).toContain(caseId);
    expect((await call(team.prosecutor, 'GET', `/cases/${caseId}`)).status).toBe(403); // no longer named, not referred

    const rows = await system.dataSource.query(`SELECT action, outcome, actor_id FROM audit_log WHERE case_id = $1 AND route = '/api/cases/:id/restriction' AND method = 'POST' ORDER BY seq`, [caseId]);
    expect(rows.map((r: { outcome: number }) => r.outcome)).toEqual(expect.arrayContaining([403, 200, 404, 422, 200]));
    expect(rows.every((r: { action: string }) => r.action === 'case.write')).toBe(true);
  });
});

describe('the restricted-cases migration', () => {
  it('reverts and re-applies cleanly (checked inside a transaction that is rolled back)', async () => {
    const { createDataSource } = await import('../../db/data-source');
    const { RestrictedCases1764500000000 } = await import('../../db/migrations/1764500000000-restricted-cases');
    const db = await createDataSource(process.env.DATABASE_URL!).initialize();
    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      const migration = new RestrictedCases1764500000000();
      await migration.down(runner);
      expect(await runner.hasTable('case_access_grants')).toBe(false);
      expect(await runner.hasColumn('cases', 'restricted')).toBe(false);
      await migration.up(runner);
      expect(await runner.hasTable('case_access_grants')).toBe(true);
      expect(await runner.hasColumn('cases', 'restricted')).toBe(true);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
      await db.destroy();
    }
  });
});
