import { randomUUID } from 'node:crypto';
import { caseBody, createTeam, type Member, type Team } from '../support/fixtures';
import { api, eventually, type RunningSystem, startSystem } from '../support/system';

const HOUR_MS = 3_600_000;

/**
 * My work: a person's open reminders and escalations, most urgent first (longest overdue, then soonest to breach,
 * then soonest bail expiry, then a vulnerable victim), paged. Tasks are raised by the worker when clocks fire; here
 * they are written straight into the projection table with chosen due times, so the order is known in advance.
 */
describe('My work', () => {
  let system: RunningSystem;
  let team: Team;
  const call = (who: Member, path: string) => api(system.baseUrl, 'GET', path, { token: who.token });
  const register = async () => {
    // Reported now, so no clock of theirs fires during the test and raises tasks of its own.
    const body = { ...caseBody({ unit: team.unit, officerId: team.officer.id }), reportedAt: new Date().toISOString() };
    const res = await api(system.baseUrl, 'POST', '/cases', { token: team.officer.token, body });
    expect(res.status).toBe(201);
    return res.body as { id: string; urn: string };
  };
  /** One of the case's running clocks (registration starts several). */
  const clockOf = async (caseId: string): Promise<string> =>
    eventually(async () => (await system.dataSource.query(`SELECT key FROM case_clocks WHERE case_id = $1 AND status = 'running' ORDER BY key LIMIT 1`, [caseId]))[0]?.key as string | undefined);
  const task = async (person: Member, caseId: string, dueAt: Date, clockKey?: string) => {
    const id = randomUUID();
    await system.dataSource.query(
      `INSERT INTO tasks (id, dedupe_key, person_id, case_id, force_id, kind, clock_key, clock_name, step, due_at, why, status, delivery)
       VALUES ($1, $2, $3, $4, $5, 'escalation', $6, 'victim.supportReferral', 1, $7, 'you are the DS for this case', 'open', 'immediate')`,
      [id, `test:${id}`, person.id, caseId, team.forceId, clockKey ?? `victim.supportReferral:${randomUUID()}`, dueAt],
    );
    return id;
  };

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
  });
  afterAll(() => system?.stop());

  it('puts the longest overdue first, then the soonest due, breaking ties by bail expiry then a vulnerable victim, page by page', async () => {
    const now = Date.now();
    const [a, b, c, d, e] = await Promise.all([register(), register(), register(), register(), register()]);
    const tie = new Date(now + 48 * HOUR_MS);
    // Every fixture victim is vulnerable: c's is not, so d (vulnerable) comes before it; e has bail expiring, so first of the three.
    await system.dataSource.query(`UPDATE case_parties SET vulnerable = false WHERE case_id = $1 AND kind = 'victim'`, [c.id]);
    await system.dataSource.query(
      `INSERT INTO case_clocks (key, case_id, name, subject_id, started_at, due_at, explanation, steps_fired, status, updated_seq)
       VALUES ($1, $2, 'bail.expiry', $3, now(), $4, 'bail: 3 months from the day it started', 0, 'running', 1000000)`,
      [`bail.expiry:${randomUUID()}`, e.id, randomUUID(), new Date(now + 20 * 24 * HOUR_MS)],
    );
    const expected = [
      await task(team.ds, a.id, new Date(now - 72 * HOUR_MS)),
      await task(team.ds, b.id, new Date(now - 24 * HOUR_MS)),
      await task(team.ds, e.id, tie),
      await task(team.ds, d.id, tie),
      await task(team.ds, c.id, tie),
    ];
    await task(team.officer, a.id, new Date(now - 96 * HOUR_MS));

    const pages = [];
    for (const page of [1, 2, 3]) {
      const res = await call(team.ds, `/my-work?page=${page}&pageSize=2`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page, pageSize: 2, itemsTotal: 5 });
      pages.push(res.body.items as { id: string; overdue: boolean; caseUrn: string; bailExpiresAt: string | null; vulnerableVictim: boolean }[]);
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((item) => item.id)).toEqual(expected);
    expect(pages[0].map((item) => item.overdue)).toEqual([true, true]);
    expect(pages[0][0].caseUrn).toBe(a.urn);
    expect(pages[1][0].bailExpiresAt).not.toBeNull();
    expect(pages[1].map((item) => item.vulnerableVictim)).toEqual([true, true]);
    expect(pages[2][0].vulnerableVictim).toBe(false);
    // Past the end: no rows, and still the total.
    expect((await call(team.ds, '/my-work?page=9&pageSize=2')).body).toMatchObject({ items: [], itemsTotal: 5 });
    // The officer's own task is theirs alone.
    expect((await call(team.officer, '/my-work')).body.items.map((item: { caseId: string }) => item.caseId)).toContain(a.id);
  });

  it('leaves out tasks on a restricted case the person may not open, from the page and from the count', async () => {
    const kase = await register();
    const before = (await call(team.ds, '/my-work?pageSize=1')).body.itemsTotal as number;
    const hidden = await task(team.ds, kase.id, new Date(Date.now() - 1000 * HOUR_MS));
    expect((await call(team.ds, '/my-work?pageSize=1')).body).toMatchObject({ itemsTotal: before + 1, items: [{ id: hidden }] });

    const restricted = await api(system.baseUrl, 'POST', `/cases/${kase.id}/restriction`, { token: team.di.token, body: { restricted: true, people: [] } });
    expect(restricted.status).toBe(200);
    const after = (await call(team.ds, '/my-work?pageSize=100')).body;
    expect(after.itemsTotal).toBe(before);
    expect(after.items.map((item: { id: string }) => item.id)).not.toContain(hidden);
  });

  it('moves a task with its clock: a due date changed after the task was raised is the one shown', async () => {
    const kase = await register();
    const clockKey = await clockOf(kase.id);
    const stale = await task(team.ds, kase.id, new Date(Date.now() - 500 * HOUR_MS), clockKey);
    // Any command re-projects the case, and with it the due times of its clocks' open tasks.
    const contact = await api(system.baseUrl, 'POST', `/cases/${kase.id}/victim-contacts`, { token: team.officer.token, body: { kind: 'routine-update', note: 'Spoke through the ISVA.' } });
    expect(contact.status).toBeLessThan(300);
    const moved = await eventually(async () => {
      const [{ due_at: clockDue }] = await system.dataSource.query('SELECT due_at FROM case_clocks WHERE key = $1', [clockKey]);
      const items = (await call(team.ds, '/my-work?pageSize=100')).body.items as { id: string; dueAt: string }[];
      const item = items.find((i) => i.id === stale);
      return item && item.dueAt === new Date(clockDue).toISOString() ? item : undefined;
    });
    expect(Date.parse(moved.dueAt)).toBeGreaterThan(Date.now() - 400 * HOUR_MS);
  });
});
