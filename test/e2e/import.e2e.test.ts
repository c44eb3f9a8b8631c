import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { caseWorkflowId } from '../../workflows/contracts';
import { computeDue } from '../../workflows/clocks/calendar';
import { caseBody, createTeam, randomUrn, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';

const DAY = 86_400_000;
/** `n` days ago at 10:00 UTC: the file's original times. */
const ago = (n: number) => new Date(Math.floor(Date.now() / DAY) * DAY - n * DAY + 10 * 3_600_000).toISOString();
const CHECKLIST = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };
const EA = { summary: 'Synthetic summary: reported days after the event; suspect known to the victim.', linesOfInquiry: ['Phone download'], issues: ['Consent disputed'], questions: ['Is the download needed?'] };

/**
 * The import of a force's existing cases over HTTP against the real stack: a hand-made file mixing cases at every
 * stage with refused ones; catch-up without an email storm; a dry run that writes nothing; the same file twice; and a
 * closed NFA case brought in that can still be reviewed and reopened.
 */
describe('importing existing cases', () => {
  let system: RunningSystem;
  let team: Team;
  const urns = { inFlight: '', charged: '', closedNfa: '', triage: '' };
  let file = '';
  const post = (body: string, query = '') => api(system.baseUrl, 'POST', `/imports${query}`, { token: team.admin, body, headers: { 'content-type': 'application/x-ndjson' } });
  const registration = (urn: string, reportedDaysAgo: number) => {
    const body = caseBody({ unit: team.unit, officerId: team.officer.email, urn, forceCode: team.forceCode });
    return { ...body, reportedAt: ago(reportedDaysAgo), offence: { ...body.offence, committedFrom: ago(reportedDaysAgo + 10).slice(0, 10) } };
  };
  const caseByUrn = async (urn: string) => (await system.dataSource.query('SELECT id, stage FROM cases WHERE urn = $1', [urn]))[0] as { id: string; stage: string } | undefined;
  const finished = async (id: string) => eventually(async () => {
    const res = await api(system.baseUrl, 'GET', `/imports/${id}`, { token: team.admin });
    return res.body.status === 'done' ? res.body : undefined;
  }, 60_000);

  beforeAll(async () => {
    system = await startSystem({ policyFile: join(__dirname, '..', 'fixtures', 'import-policy.json') });
    team = await createTeam(system.baseUrl);
    urns.inFlight = randomUrn(team.forceCode);
    urns.charged = randomUrn(team.forceCode);
    urns.closedNfa = randomUrn(team.forceCode);
    urns.triage = randomUrn(team.forceCode);
    const { officer, ds, dcp, prosecutor } = team;
    const lines = [
      // 1. Under investigation: Early Advice given with a plan, one action done, one 20 days overdue.
      { ...registration(urns.inFlight, 60), events: [
        { type: 'victim.contacted', at: ago(59), by: officer.email, kind: 'support-referral', note: 'Referred to the ISVA service.' },
        { type: 'early-advice.requested', ref: 'ea1', at: ago(50), by: ds.email, ...EA },
        { type: 'early-advice.triaged', request: 'ea1', at: ago(49), by: dcp.email, decision: 'accept', prosecutorId: prosecutor.email },
        { type: 'early-advice.given', request: 'ea1', ref: 'plan', at: ago(40), by: prosecutor.id, advice: 'Synthetic advice: obtain the download and the CCTV first.',
          actionPlan: { actions: [
            { ref: 'cctv', description: 'Obtain the CCTV', owner: 'police', dueAt: ago(30), decisionCritical: true },
            { ref: 'phone', description: 'Obtain the phone download', owner: 'police', dueAt: ago(20), decisionCritical: true },
          ] } },
        // Routine updates every 28 days keep the Victims' Code duty in time.
        { type: 'victim.contacted', at: ago(32), by: officer.email, kind: 'routine-update', note: 'Updated on progress.' },
        { type: 'action.completed', action: 'cctv', at: ago(31), by: officer.email, note: 'CCTV obtained.' },
        { type: 'victim.contacted', at: ago(5), by: officer.email, kind: 'routine-update', note: 'Updated on progress.' },
      ] },
      // 2. Charged months ago: no running workflow.
      { ...registration(urns.charged, 200), events: [
        { type: 'victim.contacted', at: ago(199), by: officer.email, kind: 'support-referral', note: 'Referred.' },
        { type: 'early-advice.not-sought', at: ago(198), by: ds.email, reason: 'Admissions in interview.' },
        { type: 'file.submitted', ref: 'f1', at: ago(150), by: officer.email, test: 'full-code', category: 'green', checklist: CHECKLIST, report: 'Synthetic MG3: the account, the interview and the CCTV.' },
        { type: 'file.approved', submission: 'f1', at: ago(149), by: ds.email },
        { type: 'file.triaged', submission: 'f1', at: ago(148), by: dcp.email, decision: 'accept', prosecutorId: prosecutor.email },
        { type: 'decision.made', submission: 'f1', at: ago(120), by: prosecutor.email, decision: 'charge', grounds: 'Synthetic: the Full Code Test is met.' },
        { type: 'victim.contacted', at: ago(119), by: officer.email, kind: 'key-event-update', note: 'Told of the charge.' },
      ] },
      // 3. A police NFA, the victim told, the case closed.
      { ...registration(urns.closedNfa, 300), events: [
        { type: 'victim.contacted', at: ago(299), by: officer.email, kind: 'support-referral', note: 'Referred.' },
        { type: 'police-nfa.recorded', at: ago(40), by: ds.email, outcomeCode: 15, rationale: 'Synthetic: the evidence does not corroborate the account.' },
        { type: 'victim.contacted', at: ago(39), by: officer.email, kind: 'nfa-notification', note: 'Told of the decision and the Right to Review.' },
        { type: 'case.closed', at: ago(38), by: ds.email },
      ] },
      // 4. Early Advice awaiting CPS triage, requested 5 days ago.
      { ...registration(urns.triage, 10), events: [
        { type: 'victim.contacted', at: ago(9), by: officer.email, kind: 'support-referral', note: 'Referred.' },
        { type: 'early-advice.requested', at: ago(5), by: ds.email, ...EA },
      ] },
      // 5. Refused: advice before its request.
      { ...registration(randomUrn(team.forceCode), 30), events: [
        { type: 'early-advice.given', request: 'ea1', at: ago(20), by: prosecutor.email, advice: 'Synthetic advice given before anyone asked for it.' },
      ] },
      // 6. Refused: a decision on a file no supervisor approved.
      { ...registration(randomUrn(team.forceCode), 30), events: [
        { type: 'file.submitted', at: ago(20), by: officer.email, test: 'full-code', category: 'green', checklist: CHECKLIST, report: 'Synthetic MG3: the account, the interview and the CCTV.' },
        { type: 'decision.made', at: ago(10), by: prosecutor.email, decision: 'charge', grounds: 'Synthetic: both stages of the test are met.' },
      ] },
      // 7. Refused: a date that does not exist.
      { ...registration(randomUrn(team.forceCode), 30), events: [{ type: 'victim.contacted', at: '2026-02-30T10:00:00Z', by: officer.email, kind: 'support-referral', note: 'Referred.' }] },
      // 8. Refused: an officer nobody knows.
      { ...registration(randomUrn(team.forceCode), 30), officerId: `nobody.${randomUUID().slice(0, 6)}@example.test`, events: [] },
    ];
    file = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
  }, 120_000);
  afterAll(() => system?.stop());

  it('accepts each case at its stage with clocks from the original times, and refuses each bad line with its reason', async () => {
    const res = await post(file);
    expect(res.status).toBe(202);
    const report = await finished(res.body.id);
    expect(report).toMatchObject({ lines: 8, imported: 4, refused: 4, unchanged: 0, open: 2, closed: 2, progress: { done: 8, total: 8, percent: 100 } });
    const refusals = Object.fromEntries(report.refusals.map((r: { line: number }) => [r.line, r]));
    expect(refusals[5]).toMatchObject({ event: 1, eventType: 'early-advice.given', rule: 'reference' });
    expect(refusals[5].reason).toMatch(/request "ea1", which no earlier event created/);
    expect(refusals[6]).toMatchObject({ event: 2, eventType: 'decision.made', rule: 'IllegalTransition' });
    expect(refusals[6].reason).toMatch(/refused by the case's rules/);
    expect(refusals[7]).toMatchObject({ event: 1, rule: 'format', fields: [{ field: 'events.0.at', problem: expect.stringMatching(/date and time/) }] });
    expect(refusals[8]).toMatchObject({ rule: 'unknown-person', fields: [{ field: 'officerId', problem: expect.any(String) }] });
    // Nothing of a victim or suspect in the report.
    expect(JSON.stringify(report)).not.toMatch(/Testvictim|Testsuspect/);

    const inFlight = (await caseByUrn(urns.inFlight))!;
    const view = (await api(system.baseUrl, 'GET', `/cases/${inFlight.id}`, { token: team.officer.token })).body;
    expect(view.stage).toBe('action-plan-open');
    const phone = view.clocks.find((c: { name: string; dueAt: string }) => c.name === 'actionPlan.item' && c.dueAt === ago(20));
    expect(phone).toBeDefined();
    const triage = (await caseByUrn(urns.triage))!;
    const triageView = (await api(system.baseUrl, 'GET', `/cases/${triage.id}`, { token: team.officer.token })).body;
    expect(triageView.stage).toBe('ea-triage');
    // Due from the request's own time, five days ago, not from the import.
    expect(triageView.clocks.find((c: { name: string }) => c.name === 'earlyAdvice.triage').dueAt).toBe(computeDue(ago(5), system.policies.region.clocks['earlyAdvice.triage'].due, system.policies.region).dueAt);
    expect((await caseByUrn(urns.charged))!.stage).toBe('charged');
    expect((await caseByUrn(urns.closedNfa))!.stage).toBe('closed');

    // The cases in flight run their workflows; the closed ones need none.
    await expect(system.client.workflow.getHandle(caseWorkflowId(inFlight.id)).describe()).resolves.toMatchObject({ status: { name: 'RUNNING' } });
    await expect(system.client.workflow.getHandle(caseWorkflowId((await caseByUrn(urns.charged))!.id)).describe()).rejects.toThrow(/not found/i);
    // Each timeline event at its original time.
    const events = (await system.dataSource.query('SELECT type, occurred_at FROM case_events WHERE case_id = $1 ORDER BY seq', [inFlight.id])) as { type: string; occurred_at: Date }[];
    expect(events.map((e) => e.type)).toEqual(['case-registered', 'victim-contact-recorded', 'early-advice-endorsed', 'early-advice-accepted', 'early-advice-recorded', 'victim-contact-recorded', 'action-completed', 'victim-contact-recorded']);
    expect(events[2].occurred_at.toISOString()).toBe(ago(50));

    // The report figures were kept again before the import was done, with the imported past in them: every month of the
    // monthly pack's trend and every quarter of the quarterly's, and as many new cases as the unit has in those months.
    const kept = (await system.dataSource.query(
      `SELECT kind, count(*)::int AS periods, min(period_id) AS first, max(period_id) AS last,
         sum((SELECT coalesce(sum((f->>2)::int), 0) FROM jsonb_array_elements(facts) f WHERE f->>0 = 'newCases'))::int AS new_cases
       FROM report_unit_periods WHERE unit = $1 GROUP BY kind ORDER BY kind`, [team.unit])) as { kind: string; periods: number; first: string; last: string; new_cases: number }[];
    expect(kept.map((k) => [k.kind, k.periods])).toEqual([['monthly', 13], ['quarterly', 13]]);
    const monthly = kept[0];
    const [{ n }] = await system.dataSource.query(
      `SELECT count(*)::int AS n FROM cases WHERE unit = $1 AND to_char(reported_at AT TIME ZONE 'Europe/London', 'YYYY-MM') BETWEEN $2 AND $3`, [team.unit, monthly.first, monthly.last]);
    expect(n).toBeGreaterThan(0);
    expect(monthly.new_cases).toBe(n);
  }, 120_000);

  it('puts an action 20 days overdue at the DI step and sends its officer, DS and DI one summary each, none of the past steps', async () => {
    const inFlight = (await caseByUrn(urns.inFlight))!;
    const [clock] = await system.dataSource.query(`SELECT steps_fired FROM case_clocks WHERE case_id = $1 AND name = 'actionPlan.item' AND status <> 'stopped'`, [inFlight.id]);
    expect(clock.steps_fired).toBe(3); // reminder, DS at +1 day, DI at +14 days; the DCI's at +28 days is still to come
    for (const person of [team.officer, team.ds, team.di]) {
      const mail = await eventually(async () => { const m = await mailTo(person.email); return m.length ? m : undefined; });
      await new Promise((r) => setTimeout(r, 500));
      const all = await mailTo(person.email);
      expect(all.filter((m) => /Imported cases/.test(m.subject ?? ''))).toHaveLength(1);
      expect(all.filter((m) => /^(Reminder|Overdue):/.test(m.subject ?? ''))).toHaveLength(0);
      expect(mail[0].text).toContain(urns.inFlight);
    }
    const tasks = await system.dataSource.query(`SELECT person_id FROM tasks WHERE case_id = $1 AND clock_name = 'actionPlan.item' AND status = 'open'`, [inFlight.id]);
    expect(tasks.map((t: { person_id: string }) => t.person_id).sort()).toEqual([team.officer.id, team.ds.id, team.di.id].sort());
  }, 60_000);

  it('changes nothing when the same file is imported again, and reports each case as unchanged', async () => {
    const before = Number((await system.dataSource.query('SELECT count(*) AS n FROM cases'))[0].n);
    const res = await post(file);
    const report = await finished(res.body.id);
    expect(report).toMatchObject({ imported: 0, unchanged: 4, refused: 4 });
    expect(Number((await system.dataSource.query('SELECT count(*) AS n FROM cases'))[0].n)).toBe(before);
  }, 60_000);

  it('writes nothing on a dry run, and answers what the real run then does', async () => {
    const urn = randomUrn(team.forceCode);
    const line = JSON.stringify({ ...registration(urn, 60), events: [
      { type: 'early-advice.requested', at: ago(50), by: team.ds.email, ...EA },
      { type: 'early-advice.triaged', at: ago(49), by: team.dcp.email, decision: 'accept', prosecutorId: team.prosecutor.email },
      { type: 'early-advice.given', at: ago(40), by: team.prosecutor.email, advice: 'Synthetic advice: one action, long overdue.',
        actionPlan: { actions: [{ description: 'Obtain the phone download', owner: 'police', dueAt: ago(20), decisionCritical: true }] } },
    ] });
    const counts = async () => (await system.dataSource.query(
      `SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM imports)::int AS imports, (SELECT count(*) FROM outbound_emails)::int AS emails, (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM case_parties)::int AS parties`))[0];
    const before = await counts();
    const workflows = (await system.client.workflow.count('WorkflowType = "caseWorkflow"')).count;
    const dry = await post(line, '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ lines: 1, imported: 1, refused: 0, open: 1 });
    expect(dry.body.summaries.map((s: { personId: string }) => s.personId).sort()).toEqual(expect.arrayContaining([team.officer.id, team.ds.id, team.di.id]));
    expect(dry.body.overdueByOwner).toMatchObject({ police: expect.any(Number) });
    // No support referral or routine update was ever recorded: Victims' Code duties breached, flagged for the DS.
    expect(dry.body.summaries.find((s: { personId: string }) => s.personId === team.ds.id).flagged).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1000)); // visibility is eventually consistent
    expect(await counts()).toEqual(before);
    expect((await system.client.workflow.count('WorkflowType = "caseWorkflow"')).count).toBe(workflows);
    expect(await caseByUrn(urn)).toBeUndefined();

    const real = await finished((await post(line)).body.id);
    const outcome = Object.fromEntries(Object.keys(dry.body).map((k) => [k, real[k]]));
    expect(outcome).toEqual(dry.body);
    expect((await caseByUrn(urn))?.stage).toBe('action-plan-open');
    const dsSummary = await eventually(async () => (await mailTo(team.ds.email)).find((m) => /Imported cases/.test(m.subject ?? '') && m.text?.includes(urn)));
    expect(dsSummary.text).toMatch(/\[BREACH\] (Victim referral to support services|Routine victim update), case /);
  }, 60_000);

  it('takes every kind of event the pipeline knows, each through its rules', async () => {
    const { officer, ds, di, dcp, prosecutor } = team;
    const note = (text: string) => `Synthetic: ${text}.`;
    const lines = [
      // Early Advice rejected, appealed and given with a plan; an action re-dated and done; the plan reviewed; a file
      // returned by the gatekeeper and resubmitted; a CPS NFA; the victim told; a review under the CPS scheme; upheld.
      { ...registration(randomUrn(team.forceCode), 200), events: [
        { type: 'victim.contacted', at: ago(199), by: officer.email, kind: 'support-referral', note: note('referred') },
        { type: 'early-advice.requested', ref: 'ea1', at: ago(190), by: ds.email, ...EA },
        { type: 'early-advice.triaged', request: 'ea1', at: ago(189), by: dcp.email, decision: 'reject', reasons: ['no-mg3'], note: note('no MG3 attached') },
        { type: 'early-advice.appealed', request: 'ea1', at: ago(188), by: di.email, reason: note('the MG3 was attached to the request') },
        { type: 'early-advice.triaged', request: 'ea1', at: ago(187), by: dcp.email, decision: 'accept', prosecutorId: prosecutor.email },
        { type: 'early-advice.given', request: 'ea1', ref: 'plan', at: ago(180), by: prosecutor.email, advice: 'Synthetic advice: one action before a file.',
          actionPlan: { actions: [{ ref: 'a1', description: 'Obtain the phone download', owner: 'police', dueAt: ago(150), decisionCritical: true }] } },
        { type: 'action.re-dated', action: 'a1', at: ago(160), by: officer.email, dueAt: ago(140), reason: note('the lab needs longer'), approverId: ds.email },
        { type: 'action.completed', action: 'a1', at: ago(145), by: officer.email, note: note('download reviewed') },
        { type: 'action-plan.reviewed', plan: 'plan', at: ago(144), by: prosecutor.email, outcome: 'ready-to-submit' },
        { type: 'file.submitted', ref: 'f1', at: ago(140), by: officer.email, test: 'full-code', category: 'green', checklist: CHECKLIST, report: 'Synthetic MG3: the account and the download.' },
        { type: 'file.returned', submission: 'f1', at: ago(139), by: ds.email, reasons: ['nfs-incomplete'], note: note('exhibits list missing') },
        { type: 'file.submitted', ref: 'f2', at: ago(135), by: officer.email, test: 'full-code', category: 'green', checklist: CHECKLIST, report: 'Synthetic MG3: the account, the download and the exhibits.' },
        { type: 'file.approved', submission: 'f2', at: ago(134), by: ds.email },
        { type: 'file.triaged', submission: 'f2', at: ago(133), by: dcp.email, decision: 'accept', prosecutorId: prosecutor.email },
        { type: 'decision.made', submission: 'f2', at: ago(120), by: prosecutor.email, decision: 'nfa', outcomeCode: 15, preNfaMeetingAt: ago(121), grounds: 'Synthetic: the evidential stage is not met.' },
        { type: 'victim.contacted', at: ago(119), by: officer.email, kind: 'nfa-notification', note: note('told of the decision') },
        { type: 'review.requested', ref: 'r1', at: ago(100), by: officer.email, scheme: 'cps', request: note('the victim asks for a review') },
        { type: 'review.decided', review: 'r1', at: ago(80), by: dcp.email, outcome: 'upheld', reasons: note('the decision stands') },
      ] },
      // Bail and its extension, a withdrawal reviewed as evidence-led, a release under investigation.
      { ...registration(randomUrn(team.forceCode), 120), events: [
        { type: 'victim.contacted', at: ago(119), by: officer.email, kind: 'support-referral', note: note('referred') },
        { type: 'bail.started', suspect: 1, at: ago(118), by: officer.email, startedAt: ago(118), authorisedBy: ds.email, conditions: note('no contact with the victim') },
        { type: 'bail.extended', suspect: 1, at: ago(30), by: officer.email, authorisedBy: di.email },
        { type: 'victim.withdrew', at: ago(20), by: officer.email, reason: note('the victim no longer supports the investigation') },
        { type: 'victim.withdrawal-reviewed', at: ago(15), by: ds.email, decision: 'evidence-led', rationale: note('CCTV and the first account carry the case') },
        { type: 'rui.recorded', suspect: 1, at: ago(10), by: officer.email },
      ] },
      // Administratively finalised by the CPS, then reopened on new evidence.
      { ...registration(randomUrn(team.forceCode), 100), events: [
        { type: 'victim.contacted', at: ago(99), by: officer.email, kind: 'support-referral', note: note('referred') },
        { type: 'early-advice.requested', at: ago(90), by: ds.email, ...EA },
        { type: 'early-advice.triaged', at: ago(89), by: dcp.email, decision: 'accept', prosecutorId: prosecutor.email },
        { type: 'early-advice.given', at: ago(80), by: prosecutor.email, advice: 'Synthetic advice: obtain the download.',
          actionPlan: { actions: [{ description: 'Obtain the phone download', owner: 'police', dueAt: ago(60), decisionCritical: true }] } },
        { type: 'case.admin-finalised', at: ago(50), by: dcp.email, reason: note('no response to the action plan') },
        { type: 'case.reopened', at: ago(20), by: ds.email, ground: 'new-evidence', reason: note('the download arrived') },
      ] },
    ];
    const dry = await post(`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`, '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body.refusals).toEqual([]);
    expect(dry.body).toMatchObject({ imported: 3 });
  }, 60_000);

  it('lets an imported closed NFA case be reviewed and reopened, starting its workflow when first needed', async () => {
    const closed = (await caseByUrn(urns.closedNfa))!;
    const asked = await api(system.baseUrl, 'POST', `/cases/${closed.id}/reviews`, { token: team.officer.token, body: { scheme: 'police', request: 'Synthetic: the victim asks for a review.' } });
    expect(asked.status).toBe(201);
    expect(asked.body.case.stage).toBe('vrr-review');
    const reviewId = asked.body.reviewId;
    expect((await api(system.baseUrl, 'POST', `/reviews/${reviewId}/acknowledge`, { token: team.ds.token })).status).toBeLessThan(300);
    const decided = await api(system.baseUrl, 'POST', `/reviews/${reviewId}/decision`, { token: team.di.token, body: { outcome: 'upheld', reasons: 'Synthetic: the decision stands.' } });
    expect(decided.body.stage).toBe('closed');
    const reopened = await api(system.baseUrl, 'POST', `/cases/${closed.id}/reopen`, { token: team.ds.token, body: { ground: 'new-evidence', reason: 'Synthetic: a new witness came forward.' } });
    expect(reopened.status).toBeLessThan(300);
    expect(reopened.body.stage).toBe('investigating');
    const timeline = (await system.dataSource.query('SELECT type FROM case_events WHERE case_id = $1 ORDER BY seq', [closed.id])).map((e: { type: string }) => e.type);
    expect(timeline.slice(-4)).toEqual(['victim-review-requested', 'victim-review-acknowledged', 'victim-review-decided', 'case-reopened']);
  }, 60_000);

  it('is for administrators and a force\'s DCIs: a DS is refused, and a bad content type is a 400', async () => {
    const ds = await api(system.baseUrl, 'POST', '/imports?dryRun=true', { token: team.ds.token, body: file, headers: { 'content-type': 'application/x-ndjson' } });
    expect(ds.status).toBe(403);
    const wrong = await api(system.baseUrl, 'POST', '/imports', { token: team.admin, body: file, headers: { 'content-type': 'text/plain' } });
    expect(wrong.status).toBe(400);
    const template = await api(system.baseUrl, 'GET', '/imports/template', { token: team.admin });
    expect(template.status).toBe(200);
    expect(String(template.body).split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3);
  });
});
