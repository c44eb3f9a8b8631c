import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { caseWorkflowId } from '../../workflows/contracts';
import { caseBody, createTeam, type Team } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';
import { TEMPORAL_CLI, temporalCli } from '../support/temporal-cli';
import { tokenFor } from '../support/tokens';

const UI_ORIGIN = 'http://temporal-ui.test:8233';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const text = (base64: string) => Buffer.from(base64, 'base64').toString();

/** The codec endpoint the Temporal Web UI (and CLI) call to show decrypted payloads: administrators only. */
describe('the payload codec endpoint', () => {
  let system: RunningSystem;
  let team: Team;
  const plain = { metadata: { encoding: b64('json/plain') }, data: b64('{"urn":"45XY0000126","note":"synthetic"}') };

  beforeAll(async () => {
    system = await startSystem({ env: { TEMPORAL_UI_ORIGIN: UI_ORIGIN } });
    team = await createTeam(system.baseUrl);
  });
  afterAll(() => system?.stop());

  it('encrypts and decrypts payloads in the codec server protocol', async () => {
    const encoded = await api(system.baseUrl, 'POST', '/codec/encode', { token: team.admin, body: { payloads: [plain] } });
    expect(encoded.status).toBe(200);
    const [sealed] = encoded.body.payloads;
    expect(text(sealed.metadata.encoding)).toBe('binary/encrypted');
    expect(text(sealed.data)).not.toContain('45XY0000126');
    const decoded = await api(system.baseUrl, 'POST', '/codec/decode', { token: team.admin, body: { payloads: [sealed, plain] } });
    expect(decoded.status).toBe(200);
    expect(decoded.body).toEqual({ payloads: [plain, plain] }); // a payload that is not encrypted passes through
    // Protobuf JSON leaves an empty list out: the Temporal CLI sends `{}` for an event without payloads.
    expect(await api(system.baseUrl, 'POST', '/codec/decode', { token: team.admin, body: {} })).toMatchObject({ status: 200, body: { payloads: [] } });
  });

  it('decodes what a case workflow stored in Temporal', async () => {
    const created = await api(system.baseUrl, 'POST', '/cases', { token: team.officer.token, body: caseBody({ unit: team.unit, officerId: team.officer.id }) });
    expect(created.status).toBe(201);
    const { history } = await system.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: caseWorkflowId(created.body.id) } });
    const stored = history!.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    const asJson = temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.fromObject(stored), { bytes: String });
    const decoded = await api(system.baseUrl, 'POST', '/codec/decode', { token: team.admin, body: { payloads: [asJson] } });
    expect(decoded.status).toBe(200);
    expect(text(decoded.body.payloads[0].data)).toContain(created.body.urn);
  });

  (existsSync(TEMPORAL_CLI) ? it : it.skip)('lets the Temporal CLI show a case history decoded, given an administrator\'s token', async () => {
    const created = await api(system.baseUrl, 'POST', '/cases', { token: team.officer.token, body: caseBody({ unit: team.unit, officerId: team.officer.id }) });
    expect(created.status).toBe(201);
    const stdout = await temporalCli([
      'workflow', 'show', '--workflow-id', caseWorkflowId(created.body.id), '--output', 'json',
      '--codec-endpoint', `${system.baseUrl}/codec`, '--codec-auth', `Bearer ${team.admin}`,
    ]);
    const started = JSON.parse(stdout).events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
    expect(text(started.metadata.encoding)).toBe('json/plain');
    expect(text(started.data)).toContain(created.body.urn);
  });

  it('refuses everyone but administrators, and says nothing about payloads it cannot decode', async () => {
    const body = { payloads: [plain] };
    expect((await api(system.baseUrl, 'POST', '/codec/decode', { body })).status).toBe(401);
    for (const role of ['officer', 'supervisor', 'cps', 'panel', 'analyst'] as const) {
      const token = await tokenFor({ sub: randomUUID(), roles: [role], unit: team.unit });
      expect((await api(system.baseUrl, 'POST', '/codec/decode', { token, body })).status).toBe(403);
      expect((await api(system.baseUrl, 'POST', '/codec/encode', { token, body })).status).toBe(403);
    }
    const [sealed] = (await api(system.baseUrl, 'POST', '/codec/encode', { token: team.admin, body })).body.payloads;
    const tampered = { ...sealed, data: b64(`${text(sealed.data)}x`) };
    const refused = await api(system.baseUrl, 'POST', '/codec/decode', { token: team.admin, body: { payloads: [tampered] } });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The payloads could not be decoded.' });
    const unknownKey = { ...sealed, metadata: { ...sealed.metadata, 'encryption-key-id': b64('retired') } };
    expect((await api(system.baseUrl, 'POST', '/codec/decode', { token: team.admin, body: { payloads: [unknownKey] } })).status).toBe(400);
    expect((await api(system.baseUrl, 'POST', '/codec/decode', { token: team.admin, body: { payloads: [{ data: '***' }] } })).status).toBe(400);
    expect((await api(system.baseUrl, 'POST', '/codec/decode', { token: team.admin, body: { payloads: 'all' } })).status).toBe(400);
  });

  it('is audited as a decode or an encode, with who asked and the outcome', async () => {
    const rows = await system.dataSource.query(`SELECT action, outcome, actor_roles FROM audit_log WHERE route LIKE '/api/codec/%' ORDER BY seq`);
    expect(rows).toEqual(expect.arrayContaining([
      { action: 'codec.encode', outcome: 200, actor_roles: ['admin'] },
      { action: 'codec.decode', outcome: 200, actor_roles: ['admin'] },
      { action: 'codec.decode', outcome: 403, actor_roles: ['analyst'] },
      { action: 'codec.decode', outcome: 400, actor_roles: ['admin'] },
    ]));
  });

  it('grants CORS to the Temporal UI origin on the codec paths only', async () => {
    const preflight = (origin: string, path = '/codec/decode') => fetch(`${system.baseUrl}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
    });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();

    const evil = await preflight('https://evil.example.test');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const elsewhere = await preflight(UI_ORIGIN, '/cases');
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    const decoded = await api(system.baseUrl, 'POST', '/codec/decode', { token: team.admin, body: { payloads: [plain] }, headers: { origin: UI_ORIGIN, 'x-namespace': 'default' } });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const policy = await api(system.baseUrl, 'GET', '/policy', { token: team.admin, headers: { origin: UI_ORIGIN } });
    expect(policy.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = await api(system.baseUrl, 'GET', '/docs-json');
    expect(doc.body.paths['/api/codec/decode'].post).toBeDefined();
    expect(doc.body.paths['/api/codec/encode'].post).toBeDefined();
  });
});
