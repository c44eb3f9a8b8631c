import { caseWithOneAction, withSystemAndTeam } from '../support/fixtures';
import { policyFile } from '../support/policy-files';
import { api, eventually } from '../support/system';

/** The default ladder's shape (DS, then DI and prosecutor, then clinic and DCP) in seconds instead of days. */
const FAST_LADDER = policyFile({
  name: 'e2e-clinic-ladder', extends: 'default', timezone: 'Europe/London', nonWorkingDays: { source: 'england-and-wales', extra: [] },
  clocks: { 'actionPlan.item': { due: 'agreed', ladder: [{ after: 'PT1S', to: 'police:DS' }, { after: 'PT2S', to: ['police:DI', 'prosecutor'] }, { after: 'PT3S', to: ['clinic', 'cps:DCP'] }] } },
});

interface AgendaEntry { caseId: string; reasons: { code: string; detail: string }[] }

/**
 * The action ladder's clinic step (+14 days by default) puts the case on its unit's next clinic agenda with reason
 * `escalated`; a supervisor's referral puts another there with reason `referred`. Over HTTP, on the real stack.
 */
describe('the action ladder\'s clinic step and referrals reach the next clinic', () => {
  const context = withSystemAndTeam({ policyFile: FAST_LADDER });
  const call = (who: { token: string }, method: string, path: string, body?: unknown) => api(context.system.baseUrl, method, path, { token: who.token, body });

  const caseWithAction = (dueInMs: number) => caseWithOneAction(context.system.baseUrl, context.team, dueInMs);

  it('puts an action left past its clinic step on the next agenda as escalated, and a referred case as referred', async () => {
    const { team, system } = context;
    const { caseId: escalatedCase } = await caseWithAction(2_000);
    const { caseId: referredCase } = await caseWithAction(30 * 86_400_000);
    const refused = await call(team.officer, 'POST', `/cases/${referredCase}/clinic-referral`, { reason: 'Synthetic reason' });
    expect(refused.status).toBe(403);
    const referral = await call(team.ds, 'POST', `/cases/${referredCase}/clinic-referral`, { reason: 'Synthetic reason: the plan has stalled.' });
    expect(referral.status).toBe(201);
    expect(referral.body).toMatchObject({ caseId: referredCase, kind: 'referred' });

    // The clinic step fires once, whatever the retries: one referral for that firing.
    await eventually(async () => {
      const rows = (await system.dataSource.query(`SELECT kind, clock_key FROM clinic_referrals WHERE case_id = $1`, [escalatedCase])) as { kind: string; clock_key: string }[];
      return rows.length === 1 && rows[0].kind === 'escalated' && rows[0].clock_key.startsWith('actionPlan.item:');
    }, 30_000);

    const clinic = await call(team.di, 'POST', '/clinics', { unit: team.unit, sittingAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    expect(clinic.status).toBe(201);
    const byCase = new Map((clinic.body.agenda as AgendaEntry[]).map((e) => [e.caseId, e.reasons.map((r) => r.code)]));
    expect(byCase.get(escalatedCase)).toEqual(['action-overdue', 'escalated']);
    expect(byCase.get(referredCase)).toEqual(['referred']);
    expect(JSON.stringify(clinic.body.agenda)).not.toContain('the plan has stalled');

    // Taken up: the next sitting does not carry the referral again.
    const next = await call(team.di, 'POST', '/clinics', { unit: team.unit, sittingAt: new Date(Date.now() + 10 * 86_400_000).toISOString() });
    expect(new Map((next.body.agenda as AgendaEntry[]).map((e) => [e.caseId, e.reasons.map((r) => r.code)])).get(referredCase)).toBeUndefined();
  });
});
