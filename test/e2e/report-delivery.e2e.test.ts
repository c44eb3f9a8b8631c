import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { parse } from 'csv-parse/sync';
import { reportActivities } from '../../activities/reports';
import { createLogger } from '../../infra/logger';
import { loadPolicy } from '../../policy/load-policy';
import { smtpMailSender } from '../../worker/create-worker';
import { createMailTransport } from '../../infra/mail-transport';
import { ensureReportSchedule, reportWorkflowInput } from '../../worker/schedules';
import type { PolicySnapshot } from '../../workflows/contracts/policy';
import { createTeam, type Team } from '../support/fixtures';
import { fixtureReport, fixtureReportFigures } from '../support/report-fixture';
import { type CaughtMail, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';

/**
 * The scheduled report, end to end on the real stack: the report Schedule (as the worker makes it, under rules naming
 * this test's DI for their force's figures and its DS for their unit's) is backfilled for Thursday 5 November 2026 at
 * 07:00, three working days before the second Tuesday's meeting; the run sends October's monthly pack through SMTP to
 * the catcher: the figures, seven charts as inline PNGs with their text alternatives, and the CSV, whose figures are
 * the report's. A second run of the same morning and a retried activity send nothing again.
 *
 * The figures come from a hand-built report behind the figures port (test/support/report-fixture.ts) until the figures
 * service is wired in.
 */
jest.setTimeout(120_000);

const SEND_MORNING = new Date('2026-11-05T07:00:00Z'); // 07:00 GMT
const VALID_PNG = '89504e470d0a1a0a';

describe('the scheduled monthly pack', () => {
  let system: RunningSystem;
  let team: Team;
  let policy: PolicySnapshot;
  const figures = fixtureReportFigures();
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

  beforeAll(async () => {
    system = await startSystem({ reportFigures: figures });
    team = await createTeam(system.baseUrl);
    const region = loadPolicy();
    policy = { ...region, reports: { ...region.reports!, recipients: [{ to: `person:${team.di.id}`, scope: 'force' }, { to: `person:${team.ds.id}`, scope: 'unit' }] } };
    await ensureReportSchedule(system.client, createLogger('test', 'silent'), policy, scheduleId);
  });
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
    diMail = (await eventually(async () => (await mailTo(team.di.email))[0], 60_000));
    const dsMail = await eventually(async () => (await mailTo(team.ds.email))[0], 30_000);

    // Each recipient's figures are their scope's: the DI's force, the DS's unit.
    expect(figures.calls).toEqual(expect.arrayContaining([
      { kind: 'monthly', periodId: '2026-10', scope: { level: 'force', id: team.forceId } },
      { kind: 'monthly', periodId: '2026-10', scope: { level: 'unit', id: team.unit } },
    ]));
    const report = fixtureReport('monthly', '2026-10', { level: 'force', id: team.forceId });
    expect(diMail.subject).toBe(`Monthly RASSO performance pack: October 2026, ${report.total.scope.name}`);
    expect(dsMail.subject).toBe(`Monthly RASSO performance pack: October 2026, Unit ${team.unit}`);
    expect(diMail.html).toContain('Tuesday 10 November 2026 at 10:00');
    expect(diMail.html).toMatch(new RegExp(`New cases reported</th><td[^>]*>${report.total.current.newCases}</td><td[^>]*>${report.total.previous.newCases}</td><td[^>]*>${report.total.yearBefore.newCases}</td>`));
    expect(diMail.text).toContain(`- Charge rate (charge ÷ charge and NFA): ${report.total.current.chargeRate!.toFixed(1)}%`);

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

    // The CSV parses, and holds the report's figures.
    const csv = diMail.attachments!.find((a) => a.contentType.startsWith('text/csv'))!;
    expect(csv.filename).toBe(`rasso-monthly-2026-10-force-${team.forceId}.csv`);
    const rows = parse(Buffer.from(csv.base64, 'base64').toString('utf8'), { columns: true }) as { figure: string; period: string; value: string }[];
    const value = (figure: string, period = '2026-10') => rows.find((r) => r.figure === figure && r.period === period)?.value;
    expect(value('newCases')).toBe(String(report.total.current.newCases));
    expect(value('earlyAdvice.turnaround.median')).toBe(String(report.total.current.earlyAdvice.turnaround.median));
    expect(value('chargeRate')).toBe(String(report.total.current.chargeRate));
    expect(value('actionsOverdue.byBand.over-28')).toBe(String(report.total.current.actionsOverdue.byBand['over-28']));
    expect(value('newCases', '2025-10')).toBe(String(report.total.yearBefore.newCases));

    // Aggregates only: no case id, person id or URN anywhere in the email.
    for (const part of [diMail.html, diMail.text, diMail.subject]) expect(part).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}|\b\d{2}X[A-Z]\d{7}\b/);

    // The sending is recorded with the rules' and policy's versions.
    await eventually(async () => (await runsOfTheSchedule()).some((r) => r.status === 'COMPLETED'));
    const [delivery] = await system.dataSource.query(`SELECT * FROM report_deliveries WHERE kind = 'monthly' AND period_id = '2026-10'`);
    expect(delivery).toMatchObject({ rules_version: policy.reports!.version, policy_version: policy.version, recipients: expect.any(Number) });
    expect(delivery.send_on).toBeDefined();
  });

  it('sends nothing twice: a second run of the same morning, and a retried activity', async () => {
    await backfillThatMorning();
    await eventually(async () => {
      const runs = await runsOfTheSchedule();
      return runs.length >= 2 && runs.every((r) => r.status === 'COMPLETED');
    }, 60_000);
    // A retry of the activity after a worker restart: the outbox rows say each email has gone.
    const transport = createMailTransport(process.env.SMTP_URL!);
    try {
      const again = await reportActivities({ dataSource: system.dataSource, mailer: smtpMailSender(transport, 'reports@example.test'), publicUrl: 'http://localhost:3000', logger: createLogger('test', 'silent'), reportFigures: figures })
        .deliverReport({ kind: 'monthly', periodId: '2026-10', sendOn: '2026-11-05', meetingAt: '2026-11-10T10:00:00.000Z', rulesVersion: policy.reports!.version, policyVersion: policy.version, recipients: policy.reports!.recipients });
      expect(again).toEqual({ recipients: 2, sent: 0 });
    } finally {
      transport.close();
    }
    expect(await mailTo(team.di.email)).toHaveLength(1);
    expect(await mailTo(team.ds.email)).toHaveLength(1);
  });

  it('is given the rules and calendar of the regional policy', () => {
    const input = reportWorkflowInput(policy);
    expect(input.calendar.nonWorkingDays).toContain('2026-12-25');
    expect(input.policyVersion).toBe(policy.version);
  });
});
