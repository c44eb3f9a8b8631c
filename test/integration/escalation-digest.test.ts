import { join } from 'node:path';
import { createActivities } from '../../activities';
import { createLogger } from '../../infra/logger';
import { caseBody, withSystemAndTeam } from '../support/fixtures';
import { api, eventually, mailTo } from '../support/system';

/** A DS who chose a daily digest gets escalations in one email, once per day, and not one per breach. */
describe('daily escalation digest', () => {
  const context = withSystemAndTeam({ policyFile: join(__dirname, '..', 'fixtures', 'fast-policy.json') });

  it('holds escalations for a digest, then sends one digest email per day however often it runs', async () => {
    expect((await api(context.system.baseUrl, 'PATCH', `/people/${context.team.ds.id}`, { token: context.team.admin, body: { escalationDelivery: 'daily-digest' } })).status).toBe(200);
    const call = (who: { token: string }, method: string, path: string, body?: unknown) => api(context.system.baseUrl, method, path, { token: who.token, body });
    // Reported a week ago: the 2-working-day support referral is already overdue, so the DS escalation comes at once.
    const body = { ...caseBody({ unit: context.team.unit, officerId: context.team.officer.id }), reportedAt: new Date(Date.now() - 7 * 86_400_000).toISOString() };
    const kase = (await call(context.team.officer, 'POST', '/cases', body)).body;

    const escalations = await eventually(async () => {
      const open = (await call(context.team.ds, 'GET', '/escalations')).body as { caseId: string; delivery: string }[];
      return open.filter((t) => t.caseId === kase.id).length >= 1 && open.filter((t) => t.caseId === kase.id);
    });
    expect(escalations.every((t) => t.delivery === 'daily-digest')).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await mailTo(context.team.ds.email)).filter((m) => m.subject?.startsWith('Overdue'))).toEqual([]);

    const logger = createLogger('test', 'silent');
    const activities = createActivities({ dataSource: context.system.dataSource, publicUrl: 'http://localhost:3000', logger });
    const first = await activities.sendEscalationDigests({ day: '2026-12-01' });
    expect(first.tasks).toBeGreaterThanOrEqual(escalations.length);
    await activities.sendEscalationDigests({ day: '2026-12-01' }); // a retry or a second run the same day
    const digests = await eventually(async () => { const m = (await mailTo(context.team.ds.email)).filter((x) => x.subject?.startsWith('Daily digest')); return m.length > 0 && m; });
    await new Promise((r) => setTimeout(r, 500));
    expect((await mailTo(context.team.ds.email)).filter((x) => x.subject?.startsWith('Daily digest'))).toHaveLength(1);
    expect(digests[0].text).toContain(kase.urn);
    expect(digests[0].text).toContain(`/cases/${kase.id}`);
  });
});
