import { randomUUID } from 'node:crypto';
import { appendAuditEntry } from '../../db/audit-chain';
import { verifyAuditChain } from '../../db/audit-verify';
import { caseBody, createTeam, SYNTHETIC_SUSPECT, SYNTHETIC_VICTIM, type Team } from '../support/fixtures';
import { api, eventually, type RunningSystem, startSystem } from '../support/system';
import { tokenFor } from '../support/tokens';

interface AuditRow {
  seq: string;
  actor_id: string | null;
  actor_roles: string[];
  action: string;
  method: string;
  route: string;
  case_id: string | null;
  resource_id: string | null;
  outcome: number;
  source_ip: string | null;
}

/** The audit log (DPA 2018 s.62): one entry per access to case data or the directory, append-only, hash-chained. */
describe('the audit log', () => {
  let system: RunningSystem;
  let team: Team;
  let firstSeq: number;
  let caseId: string;

  const entriesSince = async (): Promise<AuditRow[]> =>
    system.dataSource.query('SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq', [firstSeq]);
  const lastSeq = async (): Promise<number> => Number((await system.dataSource.query('SELECT max(seq) AS seq FROM audit_log'))[0].seq);

  beforeAll(async () => {
    system = await startSystem();
    firstSeq = (await lastSeq()) + 1; // max(seq) is null on an empty log: Number(null) + 1 = 1
    team = await createTeam(system.baseUrl);
  });
  afterAll(() => system?.stop());

  it('records who read and wrote which case, by route pattern, with the status they got', async () => {
    const created = await api(system.baseUrl, 'POST', '/cases', { token: team.officer.token, body: caseBody({ unit: team.unit, officerId: team.officer.id }) });
    expect(created.status).toBe(201);
    caseId = created.body.id;
    expect((await api(system.baseUrl, 'GET', `/cases/${caseId}?include=everything`, { token: team.officer.token })).status).toBe(200);
    expect((await api(system.baseUrl, 'GET', `/cases/${caseId}/timeline`, { token: team.ds.token })).status).toBe(200);
    const unknownCase = '00000000-0000-4000-8000-000000000000';
    expect((await api(system.baseUrl, 'GET', `/cases/${unknownCase}`, { token: team.officer.token })).status).toBe(404);
    const analyst = { id: randomUUID(), token: '' };
    analyst.token = await tokenFor({ sub: analyst.id, roles: ['analyst'], unit: team.unit });
    expect((await api(system.baseUrl, 'GET', `/cases/${caseId}`, { token: analyst.token })).status).toBe(403);
    const person = await api(system.baseUrl, 'POST', '/people', {
      token: team.admin,
      body: { name: 'DC Audit Subject', email: `audit.subject.${randomUUID().slice(0, 6)}@example.test`, roles: ['officer'], organisation: 'police', rank: 'DC', unit: team.unit },
    });
    expect(person.status).toBe(201);

    const rows = await entriesSince();
    const entry = (method: string, route: string, actor: string, outcome: number) => rows.find((r) => r.method === method && r.route === route && r.actor_id === actor && r.outcome === outcome);
    expect(entry('POST', '/api/cases', team.officer.id, 201)).toMatchObject({ action: 'case.write', case_id: caseId, actor_roles: ['officer'] });
    expect(entry('GET', '/api/cases/:id', team.officer.id, 200)).toMatchObject({ action: 'case.read', case_id: caseId, source_ip: expect.stringContaining('127.0.0.1') });
    expect(entry('GET', '/api/cases/:id/timeline', team.ds.id, 200)).toMatchObject({ action: 'case.read', case_id: caseId, actor_roles: ['supervisor'] });
    expect(entry('GET', '/api/cases/:id', team.officer.id, 404)).toMatchObject({ action: 'case.read', case_id: unknownCase });
    expect(entry('GET', '/api/cases/:id', analyst.id, 403)).toMatchObject({ action: 'case.read', case_id: caseId, actor_roles: ['analyst'] });
    expect(rows.filter((r) => r.action === 'people.write' && r.outcome === 201).map((r) => r.resource_id)).toEqual(
      expect.arrayContaining([team.officer.id, team.ds.id, team.di.id, person.body.id]),
    );

    // Patterns only, never raw URLs with ids or query strings; ids only, never names or bodies.
    expect(rows.every((r) => !r.route.includes('?') && !r.route.includes(caseId))).toBe(true);
    const logged = JSON.stringify(rows);
    for (const personal of [SYNTHETIC_VICTIM, SYNTHETIC_SUSPECT, 'DC Audit Subject', 'DS Test Sergeant', team.officer.email]) expect(logged).not.toContain(personal);
  });

  it('lets administrators, and only them, query it by case', async () => {
    const res = await api(system.baseUrl, 'GET', `/audit?caseId=${caseId}&pageSize=10`, { token: team.admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, pageSize: 10, total: 4 });
    expect(res.body.items.every((e: { caseId: string }) => e.caseId === caseId)).toBe(true);
    expect(res.body.items.map((e: { seq: number }) => e.seq)).toEqual([...res.body.items.map((e: { seq: number }) => e.seq)].sort((a, b) => b - a));

    const byActor = await api(system.baseUrl, 'GET', `/audit?actorId=${team.ds.id}&from=2020-01-01T00:00:00Z`, { token: team.admin });
    expect(byActor.body.items.map((e: { route: string }) => e.route)).toEqual(['/api/cases/:id/timeline']);
    expect((await api(system.baseUrl, 'GET', '/audit', { token: team.officer.token })).status).toBe(403);
    const bad = await api(system.baseUrl, 'GET', '/audit?caseId=nope&pageSize=1000', { token: team.admin });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['caseId', 'pageSize']);
  });

  it('ties accesses through item routes (/early-advice/:id/…) to their case', async () => {
    const requested = await api(system.baseUrl, 'POST', `/cases/${caseId}/early-advice`, {
      token: team.officer.token,
      body: { summary: 'Synthetic summary of a synthetic allegation.', linesOfInquiry: ['ABE interview held'], issues: ['Consent disputed'], questions: ['Is the threshold met?'] },
    });
    expect(requested.status).toBe(201);
    const requestId: string = requested.body.requestId;
    await eventually(async () => (await system.dataSource.query('SELECT 1 FROM case_items WHERE id = $1', [requestId])).length > 0);
    const endorsed = await api(system.baseUrl, 'POST', `/early-advice/${requestId}/endorse`, { token: team.ds.token });
    const unknownItem = randomUUID();
    expect((await api(system.baseUrl, 'POST', `/early-advice/${unknownItem}/endorse`, { token: team.ds.token })).status).toBe(404);

    const rows = await entriesSince();
    expect(rows.find((r) => r.route === '/api/cases/:id/early-advice')).toMatchObject({ action: 'case.write', case_id: caseId, actor_id: team.officer.id, outcome: 201 });
    expect(rows.find((r) => r.route === '/api/early-advice/:id/endorse' && r.resource_id === requestId))
      .toMatchObject({ action: 'case.write', case_id: caseId, actor_id: team.ds.id, outcome: endorsed.status });
    expect(rows.find((r) => r.route === '/api/early-advice/:id/endorse' && r.resource_id === unknownItem)).toMatchObject({ case_id: null, outcome: 404 });
    expect(JSON.stringify(rows)).not.toContain('Synthetic summary');
  });

  it('refuses updates, deletes and truncation, even from the app\'s own connection', async () => {
    const seq = firstSeq;
    await expect(system.dataSource.query('UPDATE audit_log SET outcome = 200 WHERE seq = $1', [seq])).rejects.toThrow(/append-only/);
    await expect(system.dataSource.query('DELETE FROM audit_log WHERE seq = $1', [seq])).rejects.toThrow(/append-only/);
    await expect(system.dataSource.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    const [{ grants }] = await system.dataSource.query(
      `SELECT count(*)::int AS grants FROM information_schema.role_table_grants WHERE table_name = 'audit_log' AND grantee = 'PUBLIC' AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')`,
    );
    expect(grants).toBe(0);
  });

  it('verifies as an intact chain, and points at the first entry an attacker with DDL rewrote', async () => {
    const range = { fromSeq: firstSeq, toSeq: await lastSeq() };
    const intact = await verifyAuditChain(system.dataSource, range);
    expect(intact).toEqual({ ok: true, checked: (await entriesSince()).length });
    expect((await verifyAuditChain(system.dataSource)).ok).toBe(true); // the whole run's log, from the first entry

    const victim = (await entriesSince()).find((r) => r.route === '/api/cases/:id' && r.outcome === 403)!;
    await system.dataSource.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      await system.dataSource.query('UPDATE audit_log SET outcome = 200 WHERE seq = $1', [victim.seq]);
      expect(await verifyAuditChain(system.dataSource, range)).toEqual({ ok: false, checked: Number(victim.seq) - firstSeq, firstBadSeq: Number(victim.seq) });
      // Restore, so files sharing this database still see an intact log.
      await system.dataSource.query('UPDATE audit_log SET outcome = $2 WHERE seq = $1', [victim.seq, victim.outcome]);
    } finally {
      await system.dataSource.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
    expect((await verifyAuditChain(system.dataSource, range)).ok).toBe(true);
  });

  it('keeps one chain when many accesses are recorded at once, whatever text they carry', async () => {
    const from = (await lastSeq()) + 1;
    // Text the canonical JSON must escape, and text that looks like the seq's own key, beside ordinary reads.
    const awkward = ['/api/x/"seq":"#"', '/api/x/\u0001\u001f\n\t\\ é ✓ 🚓', '#'];
    const [reads, direct] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, () => api(system.baseUrl, 'GET', `/cases/${caseId}`, { token: team.officer.token }))),
      Promise.all(awkward.map((route) => appendAuditEntry(system.dataSource, {
        occurredAt: new Date(), actorId: team.officer.id, actorRoles: ['officer'], action: 'case.read', method: 'GET', route, caseId, resourceId: route, outcome: 200, sourceIp: null, disclosedTo: null,
      }))),
    ]);
    expect(reads.map((r) => r.status)).toEqual(Array(20).fill(200));
    const to = await lastSeq();
    expect(to - from + 1).toBe(23);
    expect(await verifyAuditChain(system.dataSource, { fromSeq: from, toSeq: to })).toEqual({ ok: true, checked: 23 });
    // What the append answered is what was stored, and the entry is its case's force's.
    const [stored] = await system.dataSource.query('SELECT route, hash, prev_hash, force_id FROM audit_log WHERE seq = $1', [direct[0].seq]);
    expect(stored).toEqual({ route: awkward[0], hash: direct[0].hash, prev_hash: direct[0].prevHash, force_id: direct[0].forceId });
    expect(stored.force_id).toBe((await system.dataSource.query('SELECT force_id FROM cases WHERE id = $1', [caseId]))[0].force_id);
  });

  it('answers 503 rather than serve an access it could not record', async () => {
    // Every insert fails while this constraint exists; NOT VALID leaves the rows already there alone.
    await system.dataSource.query('ALTER TABLE audit_log ADD CONSTRAINT audit_test_refuse_all CHECK (false) NOT VALID');
    try {
      const read = await api(system.baseUrl, 'GET', `/cases/${caseId}`, { token: team.officer.token });
      expect(read.status).toBe(503);
      expect(read.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.any(String) });
      expect(JSON.stringify(read.body)).not.toContain(SYNTHETIC_VICTIM);
      expect((await api(system.baseUrl, 'GET', '/cases/not-a-uuid', { token: team.officer.token })).status).toBe(503);
      expect((await api(system.baseUrl, 'GET', '/health')).status).toBe(200); // not case data: not audited
    } finally {
      await system.dataSource.query('ALTER TABLE audit_log DROP CONSTRAINT audit_test_refuse_all');
    }
    expect((await api(system.baseUrl, 'GET', `/cases/${caseId}`, { token: team.officer.token })).status).toBe(200);
    expect((await verifyAuditChain(system.dataSource, { fromSeq: firstSeq })).ok).toBe(true);
  });
});
