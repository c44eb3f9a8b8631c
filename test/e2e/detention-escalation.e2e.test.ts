import { join } from 'node:path';
import { caseBody, type Member, withSystemAndTeam } from '../support/fixtures';
import { tokenFor } from '../support/tokens';
import { api, type CaughtMail, eventually, mailTo } from '../support/system';

/**
 * A suspect in custody on the real stack, under a policy whose detention limit lasts seconds: left unextended, the
 * custody officer's and officer's reminder, then the Superintendent's and the Chief Superintendent's escalations arrive
 * in order; a Superintendent's extension before the limit re-arms the clock to the extended limit.
 */
describe('a detention limit runs out live', () => {
  const context = withSystemAndTeam({ policyFile: join(__dirname, '..', 'fixtures', 'fast-detention-policy.json') });

  it('escalates an unextended detention in order, and an extension re-arms the clock', async () => {
    const { team, system } = context;
    const call = (who: { token: string }, method: string, path: string, body?: unknown) => api(system.baseUrl, method, path, { token: who.token, body });
    const person = async (name: string, rank: string, roles: string[], reportsTo?: string): Promise<Member> => {
      const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now().toString(36)}@example.test`;
      const res = await call({ token: team.admin }, 'POST', '/people', { name, email, roles, organisation: 'police', rank, unit: team.unit, ...(reportsTo ? { reportsTo } : {}) });
      if (res.status !== 201) throw new Error(`creating ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id, email, token: await tokenFor({ sub: res.body.id, roles: roles as never, unit: team.unit }) };
    };
    // The chain above the DI, where detention escalates, and a custody officer outside it.
    const chief = await person('Chief Superintendent Test', 'ChiefSuperintendent', ['supervisor']);
    const superintendent = await person('Superintendent Test', 'Superintendent', ['supervisor'], chief.id);
    expect((await call({ token: team.admin }, 'PATCH', `/people/${team.di.id}`, { reportsTo: superintendent.id })).status).toBe(200);
    const custodyOfficer = await person('Custody Sergeant Test', 'DS', ['officer', 'custody']);

    // The policy in force shows each clock with its source label.
    const policy = (await call(team.officer, 'GET', '/policy')).body;
    expect(policy.clocks['custody.detention']).toMatchObject({ due: 'PT12S', limits: ['PT30S', 'PT96S'], source: expect.stringContaining('T27 [STATUTE]') });
    expect(policy.clocks['thresholdTest.review'].source).toMatch(/^T12 /);

    const register = async () => {
      const kase = (await call(team.officer, 'POST', '/cases', caseBody({ unit: team.unit, officerId: team.officer.id }))).body;
      const suspectId = (await call(team.officer, 'GET', `/cases/${kase.id}`)).body.suspects[0].id as string;
      return { caseId: kase.id as string, suspectId };
    };
    const arrive = (c: { caseId: string; suspectId: string }, custodyOfficerId: string) =>
      call(team.officer, 'POST', `/cases/${c.caseId}/suspects/${c.suspectId}/custody`, { relevantTime: new Date().toISOString(), custodyOfficerId });

    // Only a custody officer may be named as one.
    const unextended = await register();
    expect((await arrive(unextended, team.ds.id)).status).toBe(422);
    const arrived = await arrive(unextended, custodyOfficer.id);
    expect(arrived.status).toBe(200);
    const dueAt = arrived.body.clocks.find((c: { name: string }) => c.name === 'custody.detention').dueAt as string;
    expect(arrived.body.detention[0]).toMatchObject({ suspectId: unextended.suspectId, limitAt: dueAt, custodyOfficerId: custodyOfficer.id });

    const extended = await register();
    const relevantTime = new Date().toISOString();
    expect((await call(team.officer, 'POST', `/cases/${extended.caseId}/suspects/${extended.suspectId}/custody`, { relevantTime, custodyOfficerId: custodyOfficer.id })).status).toBe(200);
    const tooJunior = await call(team.officer, 'POST', `/cases/${extended.caseId}/suspects/${extended.suspectId}/custody/extend`, { authorisedBy: team.di.id, grounds: 'Synthetic grounds.' });
    expect(tooJunior.status).toBe(409);
    const extension = await call(team.officer, 'POST', `/cases/${extended.caseId}/suspects/${extended.suspectId}/custody/extend`, { authorisedBy: superintendent.id, grounds: 'Synthetic grounds for the extension.' });
    expect(extension.status).toBe(200);
    const extendedDue = extension.body.clocks.find((c: { name: string }) => c.name === 'custody.detention').dueAt as string;
    expect(Date.parse(extendedDue)).toBe(Date.parse(relevantTime) + 30_000);
    expect(extension.body.detention[0].extension).toMatchObject({ authorisedBy: superintendent.id });

    const about = (caseId: string) => (m: CaughtMail) => (m.subject?.includes('Detention time limit') ?? false) && (m.text?.includes(`/cases/${caseId}`) ?? false);
    const first = (address: string, caseId: string, prefix: string) => eventually(async () => (await mailTo(address)).find((m) => about(caseId)(m) && m.subject!.startsWith(prefix)), 40_000);
    const reminder = await first(custodyOfficer.email, unextended.caseId, 'Reminder');
    const officerReminder = await first(team.officer.email, unextended.caseId, 'Reminder');
    const superintendentMail = await first(superintendent.email, unextended.caseId, 'Overdue');
    const custodyEscalation = await first(custodyOfficer.email, unextended.caseId, 'Overdue');
    const chiefMail = await first(chief.email, unextended.caseId, 'Overdue');
    const at = (m: object) => Date.parse((m as { receivedAt: string }).receivedAt);
    expect(at(reminder)).toBeLessThan(Date.parse(dueAt));
    expect(at(officerReminder)).toBeLessThan(Date.parse(dueAt));
    expect(at(superintendentMail)).toBeGreaterThanOrEqual(Date.parse(dueAt) - 500);
    expect(at(custodyEscalation)).toBeGreaterThanOrEqual(Date.parse(dueAt) - 500);
    expect(at(reminder)).toBeLessThan(at(superintendentMail));
    expect(at(superintendentMail)).toBeLessThan(at(chiefMail));
    // Before the next authority is a court, the Superintendent is reminded too.
    expect((await mailTo(superintendent.email)).some((m) => about(unextended.caseId)(m) && m.subject!.startsWith('Reminder'))).toBe(true);
    // Once the 24 hours (here seconds) have run out, a Superintendent can no longer extend them.
    expect((await call(team.officer, 'POST', `/cases/${unextended.caseId}/suspects/${unextended.suspectId}/custody/extend`, { authorisedBy: superintendent.id, grounds: 'Too late.' })).status).toBe(409);

    // The extended detention did not escalate at the original limit; its clock reminds again before the new one.
    const extendedReminder = await first(custodyOfficer.email, extended.caseId, 'Reminder');
    expect(at(extendedReminder)).toBeGreaterThanOrEqual(Date.parse(extendedDue) - 6_000 - 500);
    expect((await mailTo(superintendent.email)).filter((m) => about(extended.caseId)(m) && m.subject!.startsWith('Overdue')).filter((m) => at(m) < Date.parse(extendedDue) - 500)).toEqual([]);

    const released = await call(team.officer, 'POST', `/cases/${extended.caseId}/suspects/${extended.suspectId}/bail`, { startedAt: new Date().toISOString(), authorisedBy: custodyOfficer.id });
    expect(released.status).toBe(200);
    expect(released.body.detention[0].released).toMatchObject({ outcome: 'bail' });
    expect(released.body.clocks.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['bail.expiry']));
    expect(released.body.clocks.map((c: { name: string }) => c.name)).not.toContain('custody.detention');
  });
});
