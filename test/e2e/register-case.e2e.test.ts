import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { caseWorkflowId } from '../../workflows/contracts';
import { caseBody, SYNTHETIC_NATIONAL_ID_PREFIX, SYNTHETIC_SUSPECT, SYNTHETIC_VICTIM, withSystemAndTeam } from '../support/fixtures';
import { api, eventually, mailTo } from '../support/system';
import { tokenFor } from '../support/tokens';

/** The walking skeleton end to end: HTTP → Temporal → PostgreSQL → SMTP, all real. */
describe('registering a case over HTTP', () => {
  const context = withSystemAndTeam();

  it('starts the case workflow, writes the projection and timeline, and emails the officer exactly once', async () => {
    const res = await api(context.system.baseUrl, 'POST', '/cases', { token: context.team.officer.token, body: caseBody({ unit: context.team.unit, officerId: context.team.officer.id }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      stage: 'investigating', unit: context.team.unit, flags: { enhancedRights: true }, holder: { organisation: 'police', role: 'officer' },
      allocation: { ruleId: 'registering-unit', description: expect.stringContaining('stays with the unit that registers it') },
    });
    const caseId: string = res.body.id;

    const description = await context.system.client.workflow.getHandle(caseWorkflowId(caseId)).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.workflowId).toBe(`case-${caseId}`);

    const [row] = await context.system.dataSource.query('SELECT stage, officer_id, policy_version FROM cases WHERE id = $1', [caseId]);
    expect(row).toEqual({ stage: 'investigating', officer_id: context.team.officer.id, policy_version: context.system.policies.region.version });
    const events = await context.system.dataSource.query('SELECT type, actor_id FROM case_events WHERE case_id = $1', [caseId]);
    expect(events).toEqual([{ type: 'case-registered', actor_id: context.team.officer.id }]);

    const mail = await eventually(async () => { const m = await mailTo(context.team.officer.email); return m.length > 0 && m; });
    // Give a duplicate time to arrive before asserting there is none.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await mailTo(context.team.officer.email)).toHaveLength(1);
    expect(mail[0].subject).toContain(res.body.urn);
    expect(mail[0].text).toContain(`/cases/${caseId}`);
    expect(`${mail[0].subject} ${mail[0].text} ${mail[0].html}`).not.toContain(SYNTHETIC_VICTIM);

    const read = await api(context.system.baseUrl, 'GET', `/cases/${caseId}`, { token: context.team.officer.token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: caseId, stage: 'investigating', victim: { name: SYNTHETIC_VICTIM }, suspects: [{ name: SYNTHETIC_SUSPECT }] });
    expect(read.body.clocks).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'victim.routineUpdate', dueAt: '2026-12-18T10:00:00.000Z' }),
      // Reported Friday 20 Nov 2026 10:00: two working days later is Tuesday 24 Nov.
      expect.objectContaining({ name: 'victim.supportReferral', dueAt: '2026-11-24T10:00:00.000Z' }),
    ]));
  });

  it('keeps victim and suspect details out of the raw workflow history', async () => {
    const res = await api(context.system.baseUrl, 'POST', '/cases', { token: context.team.officer.token, body: caseBody({ unit: context.team.unit, officerId: context.team.officer.id }) });
    expect(res.status).toBe(201);
    const workflowId = caseWorkflowId(res.body.id);
    const { history } = await context.system.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history!).finish());

    for (const secret of [SYNTHETIC_VICTIM, SYNTHETIC_SUSPECT, '1994-03-17', '1988-07-29', SYNTHETIC_NATIONAL_ID_PREFIX]) {
      expect(raw.includes(Buffer.from(secret))).toBe(false);
    }
    // The search is able to fail: the URN is in the workflow input, yet only visible after decryption.
    expect(raw.includes(Buffer.from(res.body.urn))).toBe(false);
    expect(raw.includes(Buffer.from('binary/encrypted'))).toBe(true);
    const decoded = await context.system.client.workflow.getHandle(workflowId).fetchHistory();
    const started = decoded.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(started).toBeDefined();
    const [plain] = await (context.system.client.options.dataConverter.payloadCodecs ?? [])[0].decode([started!]);
    expect(Buffer.from(plain.data!).toString()).toContain(res.body.urn);
  });

  it('refuses bad input with field-level details and starts no workflow', async () => {
    const before = (await context.system.client.workflow.count('WorkflowType = "caseWorkflow"')).count;
    const good = caseBody({ unit: context.team.unit, officerId: context.team.officer.id });
    const cases = [
      { body: { ...good, victim: undefined, urn: undefined }, fields: ['victim', 'urn'] },
      { body: { ...good, offence: { ...good.offence, penetrative: 'yes' }, suspects: [] }, fields: ['offence.penetrative', 'suspects'] },
      { body: { ...good, isAdmin: true }, fields: ['isAdmin'] },
      { body: { ...good, reportedAt: 'yesterday', officerId: 42 }, fields: ['reportedAt', 'officerId'] },
      { body: { ...good, victim: { ...good.victim, phone: 'call me', email: 'not-an-address' } }, fields: ['victim.phone', 'victim.email'] },
    ];
    for (const { body, fields } of cases) {
      const res = await api(context.system.baseUrl, 'POST', '/cases', { token: context.team.officer.token, body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(fields));
    }
    const malformed = await api(context.system.baseUrl, 'POST', '/cases', { token: context.team.officer.token, body: '{"urn": ' });
    expect(malformed.status).toBe(400);
    const unknownOfficer = await api(context.system.baseUrl, 'POST', '/cases', { token: context.team.officer.token, body: { ...good, officerId: '00000000-0000-4000-8000-000000000000' } });
    expect(unknownOfficer.status).toBe(422);
    expect(unknownOfficer.body.details).toEqual([{ field: 'officerId', problem: expect.any(String) }]);

    await new Promise((r) => setTimeout(r, 1000)); // visibility is eventually consistent
    expect((await context.system.client.workflow.count('WorkflowType = "caseWorkflow"')).count).toBe(before);
    expect(JSON.stringify([malformed.body, unknownOfficer.body])).not.toContain(SYNTHETIC_VICTIM);
  });

  it('needs a token (401), the right role (403) and the case in the caller\'s unit (403)', async () => {
    const body = caseBody({ unit: context.team.unit, officerId: context.team.officer.id });
    expect((await api(context.system.baseUrl, 'POST', '/cases', { body })).status).toBe(401);
    expect((await api(context.system.baseUrl, 'POST', '/cases', { body, token: 'not-a-jwt' })).status).toBe(401);
    const analyst = await tokenFor({ sub: context.team.officer.id, roles: ['analyst'], unit: context.team.unit });
    expect((await api(context.system.baseUrl, 'POST', '/cases', { body, token: analyst })).status).toBe(403);

    const created = await api(context.system.baseUrl, 'POST', '/cases', { token: context.team.officer.token, body });
    expect(created.status).toBe(201);
    // An officer the directory places in no force: every force's cases are as absent to them as unknown ones.
    const elsewhere = await tokenFor({ sub: randomUUID(), roles: ['officer'], unit: 'another-unit' });
    expect((await api(context.system.baseUrl, 'GET', `/cases/${created.body.id}`, { token: elsewhere })).status).toBe(404);
    const list = await api(context.system.baseUrl, 'GET', '/cases', { token: elsewhere });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(created.body.id);
    const ownList = await api(context.system.baseUrl, 'GET', '/cases', { token: context.team.ds.token });
    expect(ownList.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
    expect((await api(context.system.baseUrl, 'GET', '/cases/not-a-uuid', { token: context.team.officer.token })).status).toBe(400);
    expect((await api(context.system.baseUrl, 'GET', '/cases/00000000-0000-4000-8000-000000000000', { token: context.team.officer.token })).status).toBe(404);
  });

  it('returns the first result for a replayed Idempotency-Key and refuses a different body under it', async () => {
    const body = caseBody({ unit: context.team.unit, officerId: context.team.officer.id });
    const headers = { 'Idempotency-Key': `test-${Date.now()}` };
    const first = await api(context.system.baseUrl, 'POST', '/cases', { token: context.team.officer.token, body, headers });
    const again = await api(context.system.baseUrl, 'POST', '/cases', { token: context.team.officer.token, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const other = await api(context.system.baseUrl, 'POST', '/cases', { token: context.team.officer.token, body: { ...body, urn: '45XY0000199' }, headers });
    expect(other.status).toBe(422);

    // The same key twice at once: one case, both callers get it.
    const raced = { 'Idempotency-Key': `race-${Date.now()}` };
    const racedBody = caseBody({ unit: context.team.unit, officerId: context.team.officer.id });
    const [a, b] = await Promise.all([1, 2].map(() => api(context.system.baseUrl, 'POST', '/cases', { token: context.team.officer.token, body: racedBody, headers: raced })));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
  });

  it('reports health of the database, Temporal and SMTP', async () => {
    const res = await api(context.system.baseUrl, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'up', checks: { database: 'up', temporal: 'up', smtp: 'up' } });
  });

  it('serves the OpenAPI document with the case routes', async () => {
    const res = await api(context.system.baseUrl, 'GET', '/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/cases', '/api/cases/{id}', '/api/people', '/api/health']));
    // Path ids say what they are (clients and the fuzzer generate valid ones); a clock key is not a UUID.
    type Param = { name: string; in: string; schema?: { format?: string } };
    const pathParam = (path: string, verb: string, name: string) => (res.body.paths[path][verb].parameters as Param[]).find((p) => p.in === 'path' && p.name === name);
    expect(pathParam('/api/cases/{id}', 'get', 'id')?.schema?.format).toBe('uuid');
    expect(pathParam('/api/cases/{id}/suspects/{suspectId}/bail', 'post', 'suspectId')?.schema?.format).toBe('uuid');
    expect(pathParam('/api/clocks/{id}/pause', 'post', 'id')?.schema?.format).toBeUndefined();
  });
});
