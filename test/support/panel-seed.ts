import { randomUUID } from 'node:crypto';
import { caseBody, type Member, type Team } from './fixtures';
import { api } from './system';
import { tokenFor } from './tokens';

const DAY = 86_400_000;
export const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
export const ahead = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** One API call that must succeed (the setup of a test, not what it tests). */
export async function ok(baseUrl: string, who: { token: string }, method: string, path: string, body?: unknown) {
  const res = await api(baseUrl, method, path, { token: who.token, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An independent panel member (role `panel`) in the unit's directory. */
export async function panelMember(baseUrl: string, team: Team, name: string): Promise<Member> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 6)}@example.test`;
  const created = await ok(baseUrl, { token: team.admin }, 'POST', '/people', { name, email, roles: ['panel'], organisation: 'independent', rank: 'PanelMember', unit: team.unit });
  return { id: created.id, email, token: await tokenFor({ sub: created.id, roles: ['panel'], unit: team.unit }) };
}

/** A registered case (synthetic victim and suspect) closed at once as a police NFA, its rationale naming them both. */
export async function policeNfaCase(baseUrl: string, team: Team): Promise<{ id: string; urn: string }> {
  const kase = await ok(baseUrl, team.officer, 'POST', '/cases', caseBody({ unit: team.unit, officerId: team.officer.id, forceCode: team.forceCode }));
  await ok(baseUrl, team.ds, 'POST', `/cases/${kase.id}/police-nfa`, {
    outcomeCode: 15, rationale: `Zephyrine Testvictim's account was consistent, but Testsuspect's phone download did not corroborate it (URN ${kase.urn}).`,
  });
  return { id: kase.id, urn: kase.urn };
}

/** A panel over the unit's cases closed since yesterday, convened by its DI, with these members. */
export async function convenePanel(baseUrl: string, team: Team, members: Member[]): Promise<{ id: string }> {
  return ok(baseUrl, team.di, 'POST', '/panels', { scope: { unit: team.unit }, period: { from: ago(1), to: ahead(1) }, sittingAt: ahead(7), members: members.map((m) => m.id) });
}
