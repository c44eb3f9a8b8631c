import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { caseWorkflowId } from '../../workflows/contracts';
import { caseBody, createTeam, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';

/** Planted, distinctive synthetic personal data: none of it may leave PostgreSQL's case tables. */
const VICTIM = 'Thessaly Pdmarker-Victim';
const SUSPECT = 'Corwin Pdmarker-Suspect';
const VICTIM_DOB = '1977-04-23';
const SUSPECT_DOB = '1969-11-05';
const NATIONAL_ID = 'PNC-PDMARK-7734210X';
const SECRETS = [VICTIM, SUSPECT, VICTIM_DOB, SUSPECT_DOB, NATIONAL_ID, 'Pdmarker'];

const found = (haystack: Buffer | string) => SECRETS.filter((s) => (typeof haystack === 'string' ? haystack.includes(s) : haystack.includes(Buffer.from(s))));

/**
 * Where personal data must never go (docs/style.md): workflow histories (raw, no codec), workflow ids, search
 * attributes, logs, error bodies, emails, and the audit log. The data is planted, driven through commands and bad
 * requests, then searched for byte by byte; each search also finds something it should, so it is able to fail.
 */
describe('planted personal data', () => {
  let system: RunningSystem;
  let team: Team;
  let caseId: string;
  let urn: string;
  const startedAt = new Date();
  const logFile = join(mkdtempSync(join(tmpdir(), 'precharge-pd-logs-')), 'app.log');
  const errorBodies: unknown[] = [];
  const printed: string[] = [];
  const spies: jest.SpyInstance[] = [];

  const call = async (who: { token: string } | string, method: string, path: string, body?: unknown) => {
    const res = await api(system.baseUrl, method, path, { token: typeof who === 'string' ? who : who.token, body });
    if (res.status >= 400) errorBodies.push(res.body);
    return res;
  };

  beforeAll(async () => {
    process.env.LOG_DESTINATION = logFile;
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[method].bind(console);
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => { printed.push(args.map(String).join(' ')); original(...args); }));
    }
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
      spies.push(jest.spyOn(stream, 'write').mockImplementation((...args: unknown[]) => { printed.push(String(args[0])); return original(...args); }));
    }
    system = await startSystem({ env: { LOG_LEVEL: 'trace' } });
    team = await createTeam(system.baseUrl);
  });
  afterAll(async () => {
    await system?.stop();
    for (const spy of spies) spy.mockRestore();
    delete process.env.LOG_DESTINATION;
    rmSync(dirname(logFile), { recursive: true, force: true });
  });

  it('registers the case and drives it through commands and refused requests', async () => {
    const body = caseBody({ unit: team.unit, officerId: team.officer.id });
    const planted = { ...body, victim: { ...body.victim, name: VICTIM, dateOfBirth: VICTIM_DOB }, suspects: [{ name: SUSPECT, dateOfBirth: SUSPECT_DOB, nationalId: NATIONAL_ID }] };
    const created = await call(team.officer, 'POST', '/cases', planted);
    expect(created.status).toBe(201);
    caseId = created.body.id;
    urn = created.body.urn;
    expect((await call(team.officer, 'GET', `/cases/${caseId}`)).body).toMatchObject({ victim: { name: VICTIM }, suspects: [{ name: SUSPECT, nationalId: NATIONAL_ID }] });

    const request = await call(team.officer, 'POST', `/cases/${caseId}/early-advice`, {
      summary: `${VICTIM} (born ${VICTIM_DOB}) reported that ${SUSPECT} assaulted her; he denies it.`,
      linesOfInquiry: [`Download of ${SUSPECT}'s phone (${NATIONAL_ID})`], issues: [`${VICTIM} is vulnerable`], questions: [`Is ${SUSPECT}'s account relevant?`],
    });
    expect(request.status).toBe(201);
    expect((await call(team.ds, 'POST', `/early-advice/${request.body.requestId}/endorse`)).status).toBe(200);
    expect((await call(team.dcp, 'POST', `/early-advice/${request.body.requestId}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id })).status).toBe(200);
    expect((await call(team.officer, 'POST', `/cases/${caseId}/victim-contacts`, { kind: 'routine-update', note: `Spoke to ${VICTIM} about ${SUSPECT}.` })).status).toBe(200);

    // Refused requests that carry the planted data: none may echo it back.
    const refused = [
      await call(team.officer, 'POST', '/cases', { ...planted, urn: undefined, victim: { ...planted.victim, dateOfBirth: `born ${VICTIM_DOB} as ${VICTIM}` } }),
      await call(team.officer, 'POST', '/cases', { ...planted, suspectName: SUSPECT }),
      await call(team.officer, 'POST', '/cases', { ...planted, urn }),
      await call(team.officer, 'POST', '/cases', { ...planted, officerId: '00000000-0000-4000-8000-000000000000' }),
      await call(team.officer, 'POST', `/cases/${caseId}/early-advice`, { summary: `Again about ${VICTIM} and ${SUSPECT}.`, linesOfInquiry: [NATIONAL_ID], issues: [VICTIM], questions: [SUSPECT] }),
      await call(team.officer, 'POST', `/cases/${caseId}/victim-contacts`, { kind: VICTIM, note: SUSPECT }),
      await call(team.prosecutor, 'POST', `/cases/${caseId}/victim-contacts`, { kind: 'routine-update', note: VICTIM }),
      await call(team.officer, 'POST', `/cases/${caseId}/suspects/${encodeURIComponent(SUSPECT)}/bail`, { startedAt: VICTIM_DOB, authorisedBy: NATIONAL_ID }),
      await call(team.officer, 'GET', `/cases/${encodeURIComponent(VICTIM)}`),
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 400, 409, 422, 409, 400, 403, 400, 400]);
  });

  it('never reaches an error body', () => {
    expect(errorBodies.length).toBeGreaterThanOrEqual(9);
    expect(found(JSON.stringify(errorBodies))).toEqual([]);
  });

  it('never reaches a workflow history, a workflow id, a search attribute or a memo, though the URN is there under encryption', async () => {
    const executions = await eventually(async () => {
      const listed: { workflowId: string; runId: string }[] = [];
      for await (const wf of system.client.workflow.list({ query: `StartTime >= '${startedAt.toISOString()}'` })) listed.push({ workflowId: wf.workflowId, runId: wf.runId });
      return listed.some((e) => e.workflowId === caseWorkflowId(caseId)) && listed;
    });
    for (const { workflowId, runId } of executions) {
      expect(found(workflowId)).toEqual([]);
      const { history } = await system.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId, runId } });
      const raw = Buffer.from(temporal.api.history.v1.History.encode(history!).finish());
      expect({ workflowId, found: found(raw) }).toEqual({ workflowId, found: [] });
      const described = await system.client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId, runId } });
      const rawDescription = Buffer.from(temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(described).finish());
      expect({ workflowId, found: found(rawDescription) }).toEqual({ workflowId, found: [] });
    }
    const own = await system.client.workflow.getHandle(caseWorkflowId(caseId)).describe();
    expect(found(JSON.stringify({ attributes: own.typedSearchAttributes, memo: own.memo }))).toEqual([]);

    // The searches can fail: the case's history holds the URN, only visible after decryption.
    const { history } = await system.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: caseWorkflowId(caseId) } });
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history!).finish());
    expect(raw.includes(Buffer.from(urn))).toBe(false);
    const decoded = await system.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    const input = decoded.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    const [plain] = await system.client.options.dataConverter.payloadCodecs![0].decode([input]);
    expect(Buffer.from(plain.data!).toString()).toContain(urn);
  });

  it('never reaches an email', async () => {
    await eventually(async () => (await mailTo(team.officer.email)).length >= 2 && (await mailTo(team.dcp.email)).length >= 1);
    const res = await fetch(`${process.env.MAIL_CATCHER_URL}/api/messages`);
    const everything = await res.text();
    expect(everything).toContain(urn); // the search can fail: emails carry the URN
    expect(found(everything)).toEqual([]);
  });

  it('never reaches the application logs', async () => {
    // Give the worker's last email activities time to log.
    await new Promise((r) => setTimeout(r, 500));
    const logs = readFileSync(logFile, 'utf8');
    expect(logs).toContain(caseId); // the search can fail: logs name the case by id
    expect(found(logs)).toEqual([]);
    expect(found(printed.join('\n'))).toEqual([]);
  });

  it('never reaches the audit log', async () => {
    const rows = await system.dataSource.query('SELECT * FROM audit_log WHERE occurred_at >= $1', [startedAt]);
    const text = JSON.stringify(rows);
    expect(text).toContain(caseId); // the search can fail: entries name the case by id
    expect(found(text)).toEqual([]);
  });
});
