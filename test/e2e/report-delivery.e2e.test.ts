import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { DateTime } from 'luxon';
import { reportActivities } from '../../activities/reports';
import type { Report } from '../../api/reports/report';
import { parseReportCsv } from '../../api/reports/report-csv';
import { ReportFigures } from '../../api/reports/report-figures';
import { reportFiguresPort } from '../../api/reports/report-figures.port';
import { createLogger } from '../../infra/logger';
import { loadPolicy } from '../../policy/load-policy';
import { ensureReportSchedule, reportWorkflowInput } from '../../worker/schedules';
import type { PolicySnapshot } from '../../workflows/contracts/policy';
import { createTeam, type Team } from '../support/fixtures';
import { importLine, importLines, syntheticSuspect } from '../support/import-lines';
import { api, type CaughtMail, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';

/**
 * The scheduled report, end to end on the real stack: a force of its own (code 54, no other test's) with a few cases
 * brought in through the import; the report Schedule (as the worker makes it, under rules naming this test's DI, DS,
 * DCP and officer) is backfilled for Thursday 5 November 2026 at 07:00, three working days before the second Tuesday's
 * meeting; the run sends October's monthly pack through SMTP to the catcher: the figures, seven charts as inline PNGs
 * with their text alternatives, and the CSV, which parses to the same figures as GET /api/reports/monthly answers the
 * recipient for the same scope. Each recipient's scope is the API's rule for them: the DI their force (though the rule
 * says `area`), the DS their unit, the DCP their CPS area (the rule says `force`); the officer, who may not read
 * reports, gets nothing. A second run of the same morning and a retried activity send nothing again.
 *
 * The cases, all times London (UTC in October before the 25th is BST):
 *  - charged 20 Oct 2026 09:00 (reported 20 Sep: September's case, October's charge decision);
 *  - a police NFA (outcome 15) on 12 Oct, reported 2 Oct;
 *  - an NFA on 25 Oct then reopened, reported 5 Oct;
 *  - open, reported 15 Oct;
 *  - a police NFA (outcome 15) on 20 Oct 2025, reported 20 Sep 2025: the year before's decision, September 2025's case.
 */
jest.setTimeout(240_000);

const DELIVERY_FORCE = { id: 'delivery-constabulary', code: '54', name: 'Delivery Constabulary' };
const DELIVERY_AREA = { id: 'delivery-cps-area', name: 'Delivery CPS area' };
const SEND_MORNING = new Date('2026-11-05T07:00:00Z'); // 07:00 GMT
const VALID_PNG = '89504e470d0a1a0a';
const london = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/London' });
/** The packs the catcher holds for `address` (the imported cases send their own emails to the team too). */
const packsTo = async (address: string) => (await mailTo(address)).filter((m) => m.subject?.startsWith('Monthly RASSO performance pack'));

/** The CSV attached to `mail` parses to the figures of `report` (the JSON), scope by scope and period by period. */
function expectCsvToHoldTheJson(mail: CaughtMail, report: Report): void {
  const attachment = mail.attachments!.find((a) => a.contentType.startsWith('text/csv'))!;
  const parsed = parseReportCsv(Buffer.from(attachment.base64, 'base64').toString('utf8'));
  for (const s of [report.total, ...report.forces, ...report.units]) {
    const key = s === report.total || (s.scope.level === report.total.scope.level && s.scope.id === report.total.scope.id) ? 'total' : `${s.scope.level}:${s.scope.id}`;
    expect(parsed.scopes[key]).toEqual({ scope: s.scope, current: s.current, previous: s.previous, yearBefore: s.yearBefore });
  }
  expect(Object.keys(parsed.scopes)).toHaveLength(1 + [...report.forces, ...report.units].filter((s) => s.scope.level !== report.total.scope.level || s.scope.id !== report.total.scope.id).length);
  expect(parsed.trend).toEqual(report.trend.map((t) => ({ period: t.period.id, figures: t.figures })));
}

describe('the scheduled monthly pack', () => {
  let system: RunningSystem;
  let team: Team;
  let policy: PolicySnapshot;
  const scheduleId = `report-delivery-test-${randomUUID().slice(0, 8)}`;

  const runsOfTheSchedule = async () => {
    const runs: { status: string }[] = [];
    for await (const w of system.client.workflow.list({ query: `WorkflowType = 'reportWorkflow' AND WorkflowId STARTS_WITH '${scheduleId}'` })) runs.push({ status: w.status.name });
    return runs;
  };
  const backfillThatMorning = async () => {
    const handle = system.client.schedule.getHandle(scheduleId);
    await handle.backfill({ start: new Date(SEND_MORNING.getTime() - 60_000), end: new Date(SEND_MORNING.getTime() + 60_000), overlap: ScheduleOverlapPolicy.ALLOW_ALL });
  };
  const monthly = async (token: string, query: string): Promise<Report> => {
    const res = await api(system.baseUrl, 'GET', `/reports/monthly?${query}`, { token });
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl, undefined, { force: DELIVERY_FORCE, area: DELIVERY_AREA });
    await importLines(system, team, [
      importLine(team, syntheticSuspect(), 'charged', london('2026-10-20T09:00')),
      importLine(team, syntheticSuspect(), 'police-nfa', london('2026-10-12T09:00'), { reportedAt: london('2026-10-02T09:00') }),
      importLine(team, syntheticSuspect(), 'reopened', london('2026-10-25T09:00'), { reportedAt: london('2026-10-05T09:00') }),
      importLine(team, syntheticSuspect(), 'open', london('2026-10-15T09:00')),
      importLine(team, syntheticSuspect(), 'police-nfa', london('2025-10-20T09:00'), { reportedAt: london('2025-09-20T09:00') }),
    ]);
    const region = loadPolicy();
    policy = {
      ...region,
      reports: {
        ...region.reports!,
        recipients: [
          { to: `person:${team.di.id}`, scope: 'area' }, { to: `person:${team.ds.id}`, scope: 'unit' },
          { to: `person:${team.dcp.id}`, scope: 'force' }, { to: `person:${team.officer.id}`, scope: 'force' },
        ],
      },
    };
    await ensureReportSchedule(system.client, createLogger('test', 'silent'), policy, scheduleId);
  }, 240_000);
  afterAll(async () => {
    await system?.client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
    await system?.stop();
  });

  it('is a daily 07:00 Schedule in the policy\'s zone starting reportWorkflow with the rules in force', async () => {
    const described = await system.client.schedule.getHandle(scheduleId).describe();
    expect(described.spec.timezone).toBe('Europe/London');
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reportWorkflow', taskQueue: 'precharge' });
    expect((described.action as { args: { rules: { version: string } }[] }).args[0].rules.version).toBe(policy.reports!.version);
  });

  let diMail: CaughtMail;

  it('sends October\'s pack three working days before the meeting: figures, chart images and the CSV', async () => {
    await backfillThatMorning();
    diMail = (await eventually(async () => (await packsTo(team.di.email))[0], 60_000));
    const dsMail = await eventually(async () => (await packsTo(team.ds.email))[0], 30_000);
    const dcpMail = await eventually(async () => (await packsTo(team.dcp.email))[0], 30_000);

    // Each recipient's figures are what the API answers them: the DI their force, the DS their unit, the DCP their area.
    const force = await monthly(team.di.token, 'month=2026-10');
    const unit = await monthly(team.ds.token, `month=2026-10&unit=${team.unit}`);
    const area = await monthly(team.dcp.token, 'month=2026-10');
    expect([force.total.scope, unit.total.scope, area.total.scope]).toEqual([
      { level: 'force', id: DELIVERY_FORCE.id, name: DELIVERY_FORCE.name },
      { level: 'unit', id: team.unit, name: `Test unit ${team.unit}` },
      { level: 'area', id: DELIVERY_AREA.id, name: DELIVERY_AREA.name },
    ]);
    expect(diMail.subject).toBe(`Monthly RASSO performance pack: October 2026, ${DELIVERY_FORCE.name}`);
    expect(dsMail.subject).toBe(`Monthly RASSO performance pack: October 2026, Test unit ${team.unit}`);
    expect(dcpMail.subject).toBe(`Monthly RASSO performance pack: October 2026, ${DELIVERY_AREA.name}`);

    // The figures of the cases above: three reported in October, one in September, one in October 2025; the charge.
    expect(force.total.current).toMatchObject({ newCases: 3, decisions: { charge: 1, nfa: 0 }, chargeRate: 100, nfaByOutcome: { 15: 2 } });
    expect(force.total.previous.newCases).toBe(1);
    expect(force.total.yearBefore).toMatchObject({ newCases: 0, nfaByOutcome: { 15: 1 } });
    expect(diMail.html).toContain('Tuesday 10 November 2026 at 10:00');
    expect(diMail.html).toMatch(/New cases reported<\/th><td[^>]*>3<\/td><td[^>]*>1<\/td><td[^>]*>0<\/td>/);
    expect(diMail.text).toContain('- Charge rate (charge ÷ charge and NFA): 100.0%');

    // Seven charts, each an inline PNG the HTML shows by content id, with its text alternative.
    const images = diMail.attachments!.filter((a) => a.contentType === 'image/png');
    expect(images).toHaveLength(7);
    for (const image of images) {
      const bytes = Buffer.from(image.base64, 'base64');
      expect(bytes.subarray(0, 8).toString('hex')).toBe(VALID_PNG);
      expect(bytes.length).toBeGreaterThan(10_000);
      expect(image.inline).toBe(true);
      expect(diMail.html).toMatch(new RegExp(`<img src="cid:${image.cid}" alt="[^"]{40,}"`));
    }
    expect(diMail.html).toContain('alt="Line chart: New cases and Early Advice requests, over the 13 months from Oct 2025 to Oct 2026.');

    // The CSV parses to the same figures as the JSON, for each recipient's scope.
    const csv = diMail.attachments!.find((a) => a.contentType.startsWith('text/csv'))!;
    expect(csv.filename).toBe(`rasso-monthly-2026-10-force-${DELIVERY_FORCE.id}.csv`);
    expectCsvToHoldTheJson(diMail, force);
    expectCsvToHoldTheJson(dsMail, unit);
    expectCsvToHoldTheJson(dcpMail, area);

    // Aggregates only: no case id, person id or URN anywhere in the email.
    for (const part of [diMail.html, diMail.text, diMail.subject]) expect(part).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}|\b\d{2}X[A-Z]\d{7}\b/);

    // The sending is recorded with the rules' and policy's versions; the officer, who may not read reports, got nothing.
    await eventually(async () => (await runsOfTheSchedule()).some((r) => r.status === 'COMPLETED'));
    const [delivery] = await system.dataSource.query(`SELECT * FROM report_deliveries WHERE kind = 'monthly' AND period_id = '2026-10'`);
    expect(delivery).toMatchObject({ rules_version: policy.reports!.version, policy_version: policy.version, recipients: 3 });
    expect(delivery.send_on).toBeDefined();
    expect(await packsTo(team.officer.email)).toEqual([]);

    // The morning run first kept the figures of the quarter just ended (nobody asked for it) for every unit.
    const kept = await system.dataSource.query(`SELECT kind, period_id FROM report_unit_periods WHERE unit = $1 AND kind = 'quarterly' AND period_id = '2026-Q3'`, [team.unit]);
    expect(kept).toEqual([{ kind: 'quarterly', period_id: '2026-Q3' }]);
  });

  it('sends nothing twice: a second run of the same morning, and a retried activity', async () => {
    await backfillThatMorning();
    await eventually(async () => {
      const runs = await runsOfTheSchedule();
      return runs.length >= 2 && runs.every((r) => r.status === 'COMPLETED');
    }, 60_000);
    // A retry of the activity after a worker restart: the outbox rows say each email has gone.
    const again = await reportActivities({ dataSource: system.dataSource, publicUrl: 'http://localhost:3000', logger: createLogger('test', 'silent'),
      reportFigures: reportFiguresPort(new ReportFigures(system.dataSource, system.policies.region)) })
      .deliverReport({ kind: 'monthly', periodId: '2026-10', sendOn: '2026-11-05', meetingAt: '2026-11-10T10:00:00.000Z', rulesVersion: policy.reports!.version, policyVersion: policy.version, recipients: policy.reports!.recipients });
    expect(again).toEqual({ recipients: 3, sent: 0 });
    expect(await packsTo(team.di.email)).toHaveLength(1);
    expect(await packsTo(team.ds.email)).toHaveLength(1);
    expect(await packsTo(team.dcp.email)).toHaveLength(1);
  });

  it('is given the rules and calendar of the regional policy', () => {
    const input = reportWorkflowInput(policy);
    expect(input.calendar.nonWorkingDays).toContain('2026-12-25');
    expect(input.policyVersion).toBe(policy.version);
  });
});
