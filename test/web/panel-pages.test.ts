import { randomUUID } from 'node:crypto';
import { createTeam, type Member, SYNTHETIC_NATIONAL_ID_PREFIX, SYNTHETIC_SUSPECT, SYNTHETIC_VICTIM, type Team } from '../support/fixtures';
import { convenePanel, ok, panelMember, policeNfaCase } from '../support/panel-seed';
import { api, eventually, type RunningSystem, startSystem } from '../support/system';
import { pageOrigin, signedInClient, WebClient } from '../support/web-session';

const titleOf = (html: string) => html.match(/<title>([^<]*)<\/title>/)?.[1] ?? '';
const SCORES = { 'scores[suspectFocus]': '2', 'scores[victimEngagement]': '3', 'scores[proportionality]': '4', 'scores[timeliness]': '1', 'scores[rationaleQuality]': '2', 'scores[language]': '3' };
/** The row of one label on the panel page. */
const rowOf = (html: string, label: string) => html.slice(html.indexOf(`data-label="${label}"`)).split('</tr>')[0];

/**
 * The scrutiny panel pages answer as the panels API does, because they call the same PanelsService: the same status
 * for a panel or report the person may not see, the same validation of a review (shown as field errors), the same
 * audit; and no case id, URN or party name anywhere in a pack's page. Over HTTP, without a browser.
 */
describe('scrutiny panel pages', () => {
  let system: RunningSystem;
  let team: Team;
  let member: Member;
  let other: Member;
  let memberPages: WebClient;
  const cases: { id: string; urn: string }[] = [];
  let panelId = '';
  let otherPanelId = '';
  let labels: string[] = [];

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' } });
    team = await createTeam(system.baseUrl);
    [member, other] = [await panelMember(system.baseUrl, team, 'Panel Member One'), await panelMember(system.baseUrl, team, 'Panel Member Two')];
    cases.push(await policeNfaCase(system.baseUrl, team), await policeNfaCase(system.baseUrl, team));
    panelId = (await convenePanel(system.baseUrl, team, [member])).id;
    otherPanelId = (await convenePanel(system.baseUrl, team, [other])).id;
    labels = ((await ok(system.baseUrl, member, 'GET', `/panels/${panelId}/cases`)) as { label: string }[]).map((c) => c.label);
    expect(labels).toHaveLength(2);
    memberPages = await signedInClient(pageOrigin(system), member.id);
  }, 180_000);
  afterAll(() => system?.stop());

  it('starts a panel member at their panels, linked from the header, and shows the panel\'s strata and sampled labels', async () => {
    const start = await new WebClient(pageOrigin(system)).signInAs(member.id);
    expect(start.location).toBe('/panels');
    const list = await memberPages.get('/panels');
    expect(list.status).toBe(200);
    expect(list.body).toContain('href="/panels"');
    expect(list.body).toContain(`href="/panels/${panelId}"`);
    expect(list.body).not.toContain(otherPanelId);

    const page = await memberPages.get(`/panels/${panelId}`);
    expect(page.status).toBe(200);
    const strata = page.body.slice(page.body.indexOf('data-test="strata"')).split('</table>')[0];
    expect(strata).toContain('Police NFA');
    expect(strata).toContain('(none closed)');
    for (const label of labels) {
      expect(rowOf(page.body, label)).toContain(`href="/panels/${panelId}/cases/${label}"`);
      expect(rowOf(page.body, label)).toContain('To review');
    }
    // The report is the convenors': the member is not offered it.
    expect(page.body).not.toContain(`/panels/${panelId}/report`);
  });

  it('renders a pack readably with no case id, URN or party name anywhere in the page, and audits the read', async () => {
    const page = await memberPages.get(`/panels/${panelId}/cases/${labels[0]}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(titleOf(page.body)).toMatch(new RegExp(`^Case ${labels[0]}, Panel sitting `));
    expect(page.body).toContain('Police no further action');
    expect(page.body).toContain('Evidential difficulties (outcome 15)');
    expect(page.body.slice(page.body.indexOf('data-test="stages"')).split('</table>')[0]).toContain('>Police NFA<');
    expect(page.body).toContain('The victim&#39;s account was consistent, but suspect 1&#39;s phone download');
    expect(page.body).toContain('data-form="panel-review"');
    for (const leak of [...cases.flatMap((c) => [c.id, c.urn]), SYNTHETIC_VICTIM, SYNTHETIC_SUSPECT, 'Zephyrine', 'Testvictim', 'Quillon', 'Testsuspect', SYNTHETIC_NATIONAL_ID_PREFIX, '1994-03-17']) {
      expect(page.body).not.toContain(leak);
    }
    const audited = await system.dataSource.query(`SELECT resource_id FROM audit_log WHERE route = '/panels/:id/cases/:label' AND actor_id = $1`, [member.id]);
    expect(audited.map((a: { resource_id: string }) => a.resource_id)).toContain(`${panelId}:${labels[0]}`);
  });

  it.each([
    ['the member, another panel', () => member, () => `/panels/${otherPanelId}`],
    ['the member, another panel\'s pack', () => member, () => `/panels/${otherPanelId}/cases/${labels[0]}`],
    ['the member, a label not drawn', () => member, () => `/panels/${panelId}/cases/P-2000Q1-99`],
    ['the member, a panel that does not exist', () => member, () => `/panels/${randomUUID()}`],
    ['the member, the report', () => member, () => `/panels/${panelId}/report`],
    ['a member of another panel, this panel', () => other, () => `/panels/${panelId}`],
    ['an officer, the panel', () => team.officer, () => `/panels/${panelId}`],
    ['an officer, the list', () => team.officer, () => '/panels'],
  ])('answers %s with the same status as the API', async (_who, person, path) => {
    const page = await (await signedInClient(pageOrigin(system), person().id)).get(path());
    const route = await api(system.baseUrl, 'GET', path(), { token: person().token });
    expect([403, 404]).toContain(route.status);
    expect(page.status).toBe(route.status);
  });

  it('refuses a review the API refuses: the error summary linked to the fields, the answers kept, nothing recorded', async () => {
    const refused = await memberPages.post(`/panels/${panelId}/cases/${labels[0]}/review`, { 'scores[suspectFocus]': '2', themes: 'suspect-focus', comments: 'Synthetic comment to keep', recommend: 'yes' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('govuk-error-summary');
    expect(titleOf(refused.body)).toMatch(/^Error: Case /);
    expect(refused.body).toContain('href="#scores-victimEngagement"');
    expect(refused.body).toContain('href="#recommendReferral-reason"');
    expect(refused.body).not.toContain('href="#scores-suspectFocus"');
    expect(refused.body).toMatch(/name="scores\[suspectFocus\]" type="radio" value="2" checked/);
    expect(refused.body).toMatch(/value="suspect-focus" checked/);
    expect(refused.body).toContain('>Synthetic comment to keep</textarea>');
    // The pack is still shown beside the form.
    expect(refused.body).toContain('Police no further action');
    const unknown = await memberPages.post(`/panels/${panelId}/cases/${labels[0]}/review`, { ...SCORES, themes: 'not-a-theme' });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toContain('not a theme');
    expect((await ok(system.baseUrl, member, 'GET', `/panels/${panelId}/cases`)).every((c: { reviews: number }) => c.reviews === 0)).toBe(true);
  });

  it('records a review, shows the case as reviewed after the redirect, and refuses a second one as the API does', async () => {
    const res = await memberPages.post(`/panels/${panelId}/cases/${labels[0]}/review`, { ...SCORES, themes: 'suspect-focus', comments: 'Synthetic: the rationale is thin.' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/panels/${panelId}`);
    const page = await memberPages.get(`/panels/${panelId}`);
    expect(page.body).toContain(`Review of ${labels[0]} recorded`);
    expect(rowOf(page.body, labels[0])).toContain('Reviewed');
    expect(rowOf(page.body, labels[1])).toContain('To review');
    const pack = await memberPages.get(`/panels/${panelId}/cases/${labels[0]}`);
    expect(pack.body).toContain('data-test="reviewed"');
    expect(pack.body).not.toContain('data-form="panel-review"');
    const again = await memberPages.post(`/panels/${panelId}/cases/${labels[0]}/review`, SCORES);
    expect(again.status).toBe(409);
    expect(again.body).toContain('already reviewed');
    // A referral recommended with its reason: the same method signals the panel's workflow, which gives it to the DCI.
    const referred = await memberPages.post(`/panels/${panelId}/cases/${labels[1]}/review`, { ...SCORES, 'scores[suspectFocus]': '4', comments: '', recommend: 'yes', 'recommendReferral[reason]': 'Synthetic: the download was never weighed.' });
    expect(referred.status).toBe(303);
    expect((await memberPages.get(`/panels/${panelId}`)).body).toContain('your recommended referral has gone to the unit&#39;s DCI');
    const audit = await system.dataSource.query(`SELECT outcome FROM audit_log WHERE route = '/panels/:id/cases/:label/review' AND actor_id = $1 ORDER BY seq`, [member.id]);
    expect(audit.map((a: { outcome: number }) => a.outcome)).toEqual(expect.arrayContaining([303, 409]));
  });

  it('shows the convenor the report: reviews, score distributions per criterion, themes, referrals and learning actions', async () => {
    await ok(system.baseUrl, team.di, 'POST', `/panels/${panelId}/learning-actions`, { description: 'Brief the unit on suspect-focused rationales.', ownerId: team.ds.id, dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString() });
    const di = await signedInClient(pageOrigin(system), team.di.id);
    expect((await di.get('/panels')).body).toContain(`href="/panels/${panelId}"`);
    expect((await di.get(`/panels/${panelId}`)).body).toContain(`href="/panels/${panelId}/report"`);
    // The referral is recorded by the panel's workflow, a moment after the review.
    const page = await eventually(async () => { const p = await di.get(`/panels/${panelId}/report`); return p.body.includes(`${labels[1]}: awaiting the DCI`) && p; });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const scores = page.body.slice(page.body.indexOf('data-test="scores"')).split('</table>')[0];
    expect(scores.match(/<tr class="govuk-table__row">/g)).toHaveLength(7);
    // Suspect focus, the first criterion: one review scored it 2, the other 4.
    expect(scores).toMatch(/<th scope="row" class="govuk-table__header">[^<]+<\/th>\s*<td[^>]*>0<\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>0<\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>3<\/td>/);
    expect(page.body.slice(page.body.indexOf('data-test="themes"')).split('</table>')[0]).toMatch(/>1<\/td>/);
    expect(page.body).toContain('1 open, 0 closed.');
    expect(page.body).toContain('Brief the unit on suspect-focused rationales.');
    for (const leak of [...cases.flatMap((c) => [c.id, c.urn]), 'Testvictim', 'Testsuspect']) expect(page.body).not.toContain(leak);
  });

  it('shows a withheld pack as withheld, never its content', async () => {
    const [{ case_id: caseId }] = await system.dataSource.query('SELECT case_id FROM panel_cases WHERE panel_id = $1 AND label = $2', [panelId, labels[1]]);
    const [{ national_id: nationalId }] = await system.dataSource.query(`SELECT national_id FROM case_parties WHERE case_id = $1 AND kind = 'suspect'`, [caseId]);
    // Glued to another word, the national id escapes the redaction's word boundaries; the final check still finds it.
    await system.dataSource.query(
      `INSERT INTO case_documents (id, case_id, force_id, kind, body, author_id) VALUES ($1, $2, $3, 'victim-contact', $4, $5)`,
      [randomUUID(), caseId, team.forceId, JSON.stringify({ note: `Cross-checked ref X${nationalId} with the PNC.` }), team.officer.id],
    );
    const page = await memberPages.get(`/panels/${panelId}/cases/${labels[1]}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-test="withheld"');
    expect(page.body).not.toContain('data-test="stages"');
    expect(page.body).not.toContain('PNC-SYN');
    expect(page.body).not.toContain('data-form="panel-review"');
  });
});
