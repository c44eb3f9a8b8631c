import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { caseBody, createForceAdmin, createTeam, type Member, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';
import { tokenFor } from '../support/tokens';

/** Distinctive synthetic people and details, planted in the parties and in the free text (nobody real). */
const VICTIM = 'Marisol Vantablack-Pemberton';
const SUSPECT = 'Ottoline Grimsditch';
const VICTIM_DOB = '1991-02-14';
const SUSPECT_DOB = '1985-09-03';
const NATIONAL_ID = 'PNC-PANEL-550917K';
const ADDRESS = '27 Wrenfield Crescent, Hollowmere HM7 3QX';
const PHONE = '07700 900461';
const EMAIL = 'marisol.vp@example.test';
/** Everything that must not reach a pack, the report, an email or a log, in the forms it was written. */
const PLANTED = [
  'Marisol', 'Vantablack', 'Pemberton', 'Ottoline', 'Grimsditch', VICTIM_DOB, '14/02/1991', '14 February 1991', SUSPECT_DOB, NATIONAL_ID,
  'Wrenfield', 'HM7 3QX', '900461', EMAIL,
];
const leaked = (text: string) => PLANTED.filter((p) => text.toLowerCase().includes(p.toLowerCase()));
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const ahead = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const CHECKLIST = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };
const SCORES = { suspectFocus: 2, victimEngagement: 3, proportionality: 4, timeliness: 1, rationaleQuality: 2, language: 3 };

/**
 * An NFA scrutiny panel over HTTP against the real stack: two cases closed as NFA (one police, one CPS) and one
 * charged; a panel convened over the unit, its sample drawn from a recorded seed; packs read by two independent members
 * with every planted detail redacted; reviews, a referral to the DCI, a learning action, the report and its emails;
 * and nothing planted in the packs, the report, the emails or the logs.
 */
describe('an NFA scrutiny panel', () => {
  let system: RunningSystem;
  let team: Team;
  let dci: Member;
  const members: Member[] = [];
  const logFile = join(mkdtempSync(join(tmpdir(), 'precharge-panel-logs-')), 'app.log');
  const printed: string[] = [];
  const spies: jest.SpyInstance[] = [];
  const cases: { policeNfa?: string; cpsNfa?: string; charged?: string } = {};
  let urn = '';
  let panelId = '';
  let labels: string[] = [];

  const call = (who: { token: string }, method: string, path: string, body?: unknown) => api(system.baseUrl, method, path, { token: who.token, body });
  const ok = async (who: { token: string }, method: string, path: string, body?: unknown) => {
    const res = await call(who, method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const person = async (name: string, roles: string[], organisation: string, rank: string, reportsTo?: string): Promise<Member> => {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 6)}@example.test`;
    const created = await ok({ token: team.admin }, 'POST', '/people', { name, email, roles, organisation, rank, unit: team.unit, ...(reportsTo ? { reportsTo } : {}) });
    return { id: created.id, email, token: await tokenFor({ sub: created.id, roles: roles as never, unit: team.unit }) };
  };

  /** A case with the planted details in its parties and its Early Advice request, referred to the CPS with an action plan. */
  async function referredCase(plant: boolean): Promise<string> {
    const body = caseBody({ unit: team.unit, officerId: team.officer.id, forceCode: team.forceCode });
    const kase = await ok(team.officer, 'POST', '/cases', plant
      ? { ...body, victim: { ...body.victim, name: VICTIM, dateOfBirth: VICTIM_DOB, address: ADDRESS, phone: PHONE, email: EMAIL }, suspects: [{ name: SUSPECT, dateOfBirth: SUSPECT_DOB, nationalId: NATIONAL_ID }] } : body);
    if (plant) urn = kase.urn;
    const summary = plant
      ? `Marisol reported that ottoline grimsditch attacked her at ${ADDRESS} on 2026-11-18. MARISOL's mother was present. Ms Vantablack-Pemberton (born 14/02/1991) can be reached on ${PHONE} or ${EMAIL}. Suspect ${NATIONAL_ID}, URN ${kase.urn}.`
      : 'Synthetic summary of a contrast case.';
    const { requestId } = await ok(team.officer, 'POST', `/cases/${kase.id}/early-advice`, { summary, linesOfInquiry: ['Phone download'], issues: ['Consent disputed'], questions: ['Is the download needed?'] });
    await ok(team.ds, 'POST', `/early-advice/${requestId}/endorse`);
    await ok(team.dcp, 'POST', `/early-advice/${requestId}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id });
    await ok(team.prosecutor, 'POST', `/early-advice/${requestId}/advice`, {
      advice: plant ? 'Grimsditch\'s account must be tested against the download; Pemberton\'s ISVA should be consulted.' : 'Synthetic advice for a contrast case.',
      actionPlan: { actions: [{ description: 'Obtain the phone download', owner: 'police', dueAt: ahead(14), decisionCritical: false }] },
    });
    return kase.id;
  }

  /** Submitted for a charging decision and decided by the prosecutor. */
  async function decided(caseId: string, decision: Record<string, unknown>): Promise<void> {
    const { submissionId } = await ok(team.officer, 'POST', `/cases/${caseId}/submissions`, { test: 'full-code', category: 'green', checklist: CHECKLIST, report: 'Synthetic MG3: the file as submitted.' });
    await ok(team.ds, 'POST', `/submissions/${submissionId}/approve`);
    await ok(team.dcp, 'POST', `/submissions/${submissionId}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id });
    await ok(team.prosecutor, 'POST', `/submissions/${submissionId}/decision`, decision);
  }

  beforeAll(async () => {
    process.env.LOG_DESTINATION = logFile;
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
      spies.push(jest.spyOn(stream, 'write').mockImplementation((...args: unknown[]) => { printed.push(String(args[0])); return original(...args); }));
    }
    system = await startSystem({ env: { LOG_LEVEL: 'debug' } });
    team = await createTeam(system.baseUrl);
    dci = await person('DCI Test Chief', ['supervisor'], 'police', 'DCI');
    members.push(await person('Panel Member One', ['panel'], 'independent', 'PanelMember'), await person('Panel Member Two', ['panel'], 'independent', 'PanelMember'));

    cases.policeNfa = await referredCase(true);
    await ok(team.ds, 'POST', `/cases/${cases.policeNfa}/police-nfa`, {
      outcomeCode: 15, rationale: `Marisol Vantablack-Pemberton's account was consistent, but Ottoline's phone download (seized at ${ADDRESS}) did not corroborate it. Victim informed on ${PHONE}.`,
    });
    cases.cpsNfa = await referredCase(false);
    await decided(cases.cpsNfa, { decision: 'nfa', outcomeCode: 15, grounds: 'Synthetic: the evidential stage is not met.', preNfaMeetingAt: ago(1) });
    cases.charged = await referredCase(false);
    await decided(cases.charged, { decision: 'charge', grounds: 'Synthetic: both stages of the full code test are met.' });
  }, 180_000);
  afterAll(async () => {
    await system?.stop();
    for (const spy of spies) spy.mockRestore();
    delete process.env.LOG_DESTINATION;
    rmSync(dirname(logFile), { recursive: true, force: true });
  });

  it('draws a stratified sample from a recorded seed, reports the empty stratum, and draws the same again from the same seed', async () => {
    const body = { scope: { unit: team.unit }, period: { from: ago(1), to: ahead(1) }, sittingAt: ahead(7), members: members.map((m) => m.id), seed: 'e2e-seed-1' };
    const panel = await ok(team.di, 'POST', '/panels', body);
    panelId = panel.id;
    expect(panel).toMatchObject({ seed: 'e2e-seed-1', status: 'sampled', population: 3, drawn: 3, rulesVersion: expect.stringMatching(/^panels@/) });
    expect(panel.strata.map(({ code, population, drawn, empty }: Record<string, unknown>) => ({ code, population, drawn, empty }))).toEqual([
      { code: 'police-nfa', population: 1, drawn: 1, empty: false },
      { code: 'cps-nfa', population: 1, drawn: 1, empty: false },
      { code: 'admin-finalised', population: 0, drawn: 0, empty: true },
      { code: 'charged', population: 1, drawn: 1, empty: false },
    ]);
    labels = (await ok(members[0], 'GET', `/panels/${panelId}/cases`)).map((c: { label: string }) => c.label);
    expect(labels).toHaveLength(3);
    for (const label of labels) expect(label).toMatch(/^P-20\d\dQ[1-4]-0[1-3]$/);
    const again = await ok(team.di, 'POST', '/panels', { ...body, members: [members[1].id] });
    const drawnBy = async (id: string) => system.dataSource.query('SELECT label, case_id FROM panel_cases WHERE panel_id = $1 ORDER BY label', [id]);
    expect(await drawnBy(again.id)).toEqual(await drawnBy(panelId));
    expect((await drawnBy(panelId)).map((r: { case_id: string }) => r.case_id).sort()).toEqual([cases.policeNfa, cases.cpsNfa, cases.charged].sort());
  });

  it('schedules panels quarterly in the force\'s zone, each drawn a lead time before it sits', async () => {
    const soon = DateTime.now().setZone('Europe/London').plus({ days: 3 });
    const first = (soon.weekday > 5 ? soon.plus({ days: 8 - soon.weekday }) : soon).toFormat("yyyy-LL-dd'T'10:00");
    const schedule = await ok(team.di, 'POST', '/panel-schedules', { scope: { unit: team.unit }, firstSittingAt: first, timezone: 'Europe/London', members: [members[1].id] });
    expect(schedule).toMatchObject({ rrule: 'FREQ=MONTHLY;INTERVAL=3', leadTime: 'P7D', unit: team.unit });
    expect(schedule.nextSittings).toHaveLength(4);
    expect(DateTime.fromISO(schedule.nextSittings[0], { zone: 'Europe/London' }).toFormat("yyyy-LL-dd'T'HH:mm")).toBe(first);
    expect((await ok(team.di, 'GET', '/panel-schedules')).map((s: { id: string }) => s.id)).toContain(schedule.id);
    // The first sitting is within the lead time: its panel is made and drawn at once, over the quarter before it.
    const made = await eventually(async () => ((await ok(members[1], 'GET', '/panels')) as { scheduleId: string | null; status: string }[]).find((p) => p.scheduleId === schedule.id && p.status === 'sampled'));
    expect(made).toMatchObject({ unit: team.unit, members: [members[1].id], sittingAt: schedule.nextSittings[0] });
    expect((await call(members[0], 'POST', '/panel-schedules', { scope: { unit: team.unit }, firstSittingAt: first, timezone: 'Europe/London', members: [members[0].id] })).status).toBe(403);
  });

  it('gives each member anonymised packs: no planted detail, readable sentences, days since the report, every read audited', async () => {
    const packs = await Promise.all(labels.map((label) => ok(members[0], 'GET', `/panels/${panelId}/cases/${label}`)));
    const planted = packs.find((p) => p.closedAs.closure === 'police-nfa');
    const text = JSON.stringify(planted);
    expect(leaked(JSON.stringify(packs))).toEqual([]);
    expect(text).not.toContain(urn);
    for (const id of Object.values(cases)) expect(JSON.stringify(packs)).not.toContain(id);
    expect(text).toContain('The victim reported that suspect 1 attacked her at [address] on day');
    expect(text).toContain('The victim\'s mother was present');
    expect(text).toContain('can be reached on [phone] or [email]');
    expect(text).toContain('Suspect 1\'s account must be tested against the download; the victim\'s ISVA should be consulted.');
    expect(text).toContain('The victim\'s account was consistent, but suspect 1\'s phone download');
    expect(planted).toMatchObject({ offence: { type: 'rape' }, closedAs: { outcomeCode: 15 }, actionPlans: [expect.objectContaining({ owner: 'police', decisionCritical: false })] });
    expect(planted.stages[0]).toMatchObject({ day: expect.stringMatching(/^day -?\d+$/), event: 'case-registered' });
    const audited = await system.dataSource.query(`SELECT resource_id, actor_id FROM audit_log WHERE route = '/api/panels/:id/cases/:label' AND actor_id = $1`, [members[0].id]);
    expect(audited.map((a: { resource_id: string }) => a.resource_id).sort()).toEqual(labels.map((l) => `${panelId}:${l}`).sort());
  });

  it('lets a panel member read only the packs of the panels they sit on', async () => {
    const [member, other] = members;
    const otherPanel = await ok(team.di, 'POST', '/panels', { scope: { unit: team.unit }, period: { from: ago(1), to: ahead(1) }, sittingAt: ahead(7), members: [other.id] });
    expect((await call(member, 'GET', `/panels/${otherPanel.id}`)).status).toBe(404);
    expect((await call(member, 'GET', `/panels/${otherPanel.id}/cases`)).status).toBe(404);
    expect((await call(member, 'GET', `/panels/${otherPanel.id}/cases/${labels[0]}`)).status).toBe(404);
    expect((await call(member, 'GET', `/panels/${panelId}/report`)).status).toBe(403);
    expect((await call(member, 'GET', `/cases/${cases.policeNfa}`)).status).toBe(403);
    expect((await call(member, 'GET', '/cases')).status).toBe(403);
    expect((await call(member, 'GET', `/panels/${panelId}/cases/P-2000Q1-99`)).status).toBe(404);
    expect((await ok(member, 'GET', '/panels')).map((p: { id: string }) => p.id)).toEqual([panelId]);
    expect((await call(team.officer, 'GET', `/panels/${panelId}`)).status).toBe(403);
  });

  it('takes one review per member per case, gives a referral to the DCI, runs a learning action and reports the scores and themes', async () => {
    const nfaLabels: string[] = [];
    for (const label of labels) {
      const pack = await ok(members[0], 'GET', `/panels/${panelId}/cases/${label}`);
      if (pack.closedAs.closure !== 'charge-authorised') nfaLabels.push(label);
    }
    for (const [i, member] of members.entries()) {
      for (const label of nfaLabels) {
        const referral = i === 0 && label === nfaLabels[0] ? { recommendReferral: { reason: 'The rationale does not address the download.' } } : {};
        await ok(member, 'POST', `/panels/${panelId}/cases/${label}/review`, { scores: { ...SCORES, timeliness: i + 1 }, themes: i === 0 ? ['suspect-focus', 'action-plans'] : ['suspect-focus'], comments: 'Synthetic comment.', ...referral });
      }
    }
    expect((await call(members[0], 'POST', `/panels/${panelId}/cases/${nfaLabels[0]}/review`, { scores: SCORES, themes: [], comments: '' })).status).toBe(409);
    expect((await call(members[0], 'POST', `/panels/${panelId}/cases/${nfaLabels[1]}/review`, { scores: SCORES, themes: ['not-a-theme'], comments: '' })).status).toBe(422);

    const task = await eventually(async () => ((await ok(dci, 'GET', '/tasks?mine=true&status=open')) as { kind: string; caseId: string; clockKey: string }[]).find((t) => t.kind === 'panel-referral'));
    const referralId = task.clockKey.replace('panel-referral:', '');
    await ok(dci, 'POST', `/panels/${panelId}/referrals/${referralId}/outcome`, { outcome: 'referred-for-review', note: 'Referred to the force\'s review team.' });

    const action = await ok(team.di, 'POST', `/panels/${panelId}/learning-actions`, { description: 'Brief the unit on suspect-focused rationales.', ownerId: team.ds.id, dueAt: ahead(30) });
    const second = await ok(members[1], 'POST', `/panels/${panelId}/learning-actions`, { description: 'Add the download to the NFA checklist.', ownerId: team.ds.id, dueAt: ahead(60) });
    await ok(team.ds, 'POST', `/panels/${panelId}/learning-actions/${second.id}/close`, { note: 'Checklist updated.' });

    const report = await ok(team.di, 'GET', `/panels/${panelId}/report`);
    expect(report).toMatchObject({
      casesSampled: 3, casesReviewed: 2, reviews: 4,
      scores: { suspectFocus: { distribution: { 1: 0, 2: 4, 3: 0, 4: 0 }, mean: 2 }, timeliness: { distribution: { 1: 2, 2: 2, 3: 0, 4: 0 }, mean: 1.5 } },
      themes: [{ code: 'suspect-focus', count: 4 }, { code: 'action-plans', count: 2 }],
      referrals: [{ label: nfaLabels[0], outcome: 'referred-for-review' }],
      learningActions: { open: [expect.objectContaining({ id: action.id })], closed: [expect.objectContaining({ id: second.id })] },
    });
    expect(leaked(JSON.stringify(report))).toEqual([]);

    await ok(team.di, 'POST', `/panels/${panelId}/close`);
    for (const who of [...members, dci]) {
      const mails = await eventually(async () => (await mailTo(who.email)).filter((m) => m.subject === 'Scrutiny panel report').length > 0 && mailTo(who.email));
      expect(mails.find((m) => m.subject === 'Scrutiny panel report')!.text).toContain('Case strategy: suspect focus: 4');
    }
    const everyMail = (await Promise.all([...members, dci, team.di, team.ds].map((w) => mailTo(w.email)))).flat();
    expect(leaked(everyMail.map((m) => `${m.subject} ${m.text} ${m.html}`).join('\n'))).toEqual([]);
    // The case's own notices carry its URN, as every case notice does; the panel's emails never do.
    const panelMail = everyMail.filter((m) => /scrutiny panel/i.test(m.subject ?? ''));
    expect(panelMail.map((m) => m.subject)).toEqual(expect.arrayContaining(['Scrutiny panel report', 'A scrutiny panel recommended a referral']));
    expect(panelMail.map((m) => `${m.subject} ${m.text} ${m.html}`).join('\n')).not.toContain(urn);
  });

  it('withholds a pack whose final check still finds a known detail, and alerts the force\'s administrator', async () => {
    const admin = await createForceAdmin(system.baseUrl, team);
    // Glued to another word, the national id escapes the redaction's word boundaries; the final check still finds it.
    await system.dataSource.query(
      `INSERT INTO case_documents (id, case_id, force_id, kind, body, author_id) VALUES ($1, $2, $3, 'victim-contact', $4, $5)`,
      [randomUUID(), cases.policeNfa, team.forceId, JSON.stringify({ note: `Cross-checked ref X${NATIONAL_ID} with the PNC.` }), team.officer.id],
    );
    const [{ label }] = await system.dataSource.query('SELECT label FROM panel_cases WHERE panel_id = $1 AND case_id = $2', [panelId, cases.policeNfa]);
    const refused = await call(members[0], 'GET', `/panels/${panelId}/cases/${label}`);
    expect(refused.status).toBe(409);
    expect(leaked(JSON.stringify(refused.body))).toEqual([]);
    const alert = await eventually(async () => (await mailTo(admin.email)).find((m) => m.subject === `Scrutiny panel pack ${label} withheld`));
    expect(alert.text).toContain('national-id');
    expect(leaked(`${alert.text} ${alert.html}`)).toEqual([]);
  });

  it('wrote nothing planted to the logs', async () => {
    const logs = `${readFileSync(logFile, 'utf8')}\n${printed.join('')}`;
    expect(logs).toContain('panel sample drawn'); // the search can find what is there
    expect(leaked(logs)).toEqual([]);
  });
});
