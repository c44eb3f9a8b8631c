import { join } from 'node:path';
import { createActivities } from '../../activities';
import { createLogger } from '../../infra/logger';
import { createMailTransport } from '../../infra/mail-transport';
import { smtpMailSender } from '../../worker/create-worker';
import { caseBody, createTeam, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';

/** A DS who chose a daily digest gets escalations in one email, once per day, and not one per breach. */
describe('daily escalation digest', () => {
  let system: RunningSystem;
  let team: Team;

  beforeAll(async () => {
    system = await startSystem({ policyFile: join(__dirname, '..', 'fixtures', 'fast-policy.json') });
    team = await createTeam(system.baseUrl);
  });
  afterAll(() => system?.stop());

  it('holds escalations for a digest, then sends one digest email per day however often it runs', async () => {
    expect((await api(system.baseUrl, 'PATCH', `/people/${team.ds.id}`, { token: team.admin, body: { escalationDelivery: 'daily-digest' } })).status).toBe(200);
    const call = (who: { token: string }, method: string, path: string, body?: unknown) => api(system.baseUrl, method, path, { token: who.token, body });
    // Reported a week ago: the 2-working-day support referral is already overdue, so the DS escalation comes at once.
    const body = { ...caseBody({ unit: team.unit, officerId: team.officer.id }), reportedAt: new Date(Date.now() - 7 * 86_400_000).toISOString() };
    const kase = (await call(team.officer, 'POST', '/cases', body)).body;

    const escalations = await eventually(async () => {
      const open = (await call(team.ds, 'GET', '/escalations')).body as { caseId: string; delivery: string }[];
      return open.filter((t) => t.caseId === kase.id).length >= 1 && open.filter((t) => t.caseId === kase.id);
    });
    expect(escalations.every((t) => t.delivery === 'daily-digest')).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await mailTo(team.ds.email)).filter((m) => m.subject?.startsWith('Overdue'))).toEqual([]);

    const logger = createLogger('test', 'silent');
    const transport = createMailTransport(process.env.SMTP_URL!);
    const activities = createActivities({ dataSource: system.dataSource, mailer: smtpMailSender(transport, 'test@example.test'), publicUrl: 'http://localhost:3000', logger });
    const first = await activities.sendEscalationDigests({ day: '2026-12-01' });
    expect(first.tasks).toBeGreaterThanOrEqual(escalations.length);
    await activities.sendEscalationDigests({ day: '2026-12-01' }); // a retry or a second run the same day
    const digests = await eventually(async () => { const m = (await mailTo(team.ds.email)).filter((x) => x.subject?.startsWith('Daily digest')); return m.length > 0 && m; });
    await new Promise((r) => setTimeout(r, 500));
    expect((await mailTo(team.ds.email)).filter((x) => x.subject?.startsWith('Daily digest'))).toHaveLength(1);
    expect(digests[0].text).toContain(kase.urn);
    expect(digests[0].text).toContain(`/cases/${kase.id}`);
    transport.close();
  });
});
