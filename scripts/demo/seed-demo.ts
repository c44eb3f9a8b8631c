import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { demoCasePeople, generateCases } from '../generate-cases';
import { caseSteps, DAY_MS, DEMO_ADMIN_ID, DEMO_FORCES, DEMO_PEOPLE, type DemoAction, demoClient, demoTokens, ensureDemoClinics, ensureDemoPanel, ensureDemoPeople, signDemoToken } from './demo-api';

/**
 * The local demo, seeded through the public API like any client would: a region of two forces, each with a RASSO
 * unit, and one CPS liaison team serving both; the first force's unit has its whole supervision chain and synthetic
 * cases at every stage a page shows, the second a DS, an officer and a few cases (so the prosecutor's inbox holds
 * both forces' cases, and the second force's officer finds the first's absent), reported days to months ago so that their
 * clocks are already overdue in each age band of the supervisor dashboard (0–7, 8–14, 15–28, over 28 days). Seeded
 * once, on an empty database. Every `npm start` also registers one fresh case, whose demo-policy clocks remind the
 * officer and escalate to the DS and DI within a minute.
 */
/** The plan the prosecutor sets on the action-plan case: police work outstanding, one CPS action. */
const ACTION_PLAN: DemoAction[] = [
  { description: 'Obtain and review the download of the suspect\u2019s phone', owner: 'police', dueInMs: 10 * DAY_MS, decisionCritical: true },
  { description: 'Obtain CCTV from the venue and the taxi firm', owner: 'police', dueInMs: 5 * DAY_MS, decisionCritical: true },
  { description: 'Take a statement from the first-account witness', owner: 'police', dueInMs: 7 * DAY_MS, decisionCritical: false },
  { description: 'Confirm the disclosure strategy', owner: 'cps', dueInMs: 14 * DAY_MS, decisionCritical: false },
];

export async function seedDemo(opts: { apiUrl: string; webUrl: string; dataSource: DataSource; jwtSecret?: string; varDir: string; say: (m: string) => void }): Promise<string> {
  if (!opts.jwtSecret) return '  (demo not seeded: it needs JWT_SECRET to sign demo tokens)';
  const call = demoClient(opts.apiUrl);
  const admin = await signDemoToken(opts.jwtSecret, DEMO_ADMIN_ID, ['admin'], 'headquarters');
  const fresh = Number((await opts.dataSource.query('SELECT count(*) AS n FROM cases'))[0].n) === 0;
  const ids = await ensureDemoPeople(call, admin, opts.dataSource);
  const tokens: Record<string, string> = { admin, ...(await demoTokens(opts.jwtSecret, ids)) };
  writeFileSync(join(opts.varDir, 'demo-tokens.json'), JSON.stringify(tokens, null, 2), { mode: 0o600 });
  const step = caseSteps(call, ids, tokens);

  if (fresh) {
    opts.say('seeding the demo: unit, supervision chain, CPS team, cases at every stage of the pipeline');
    // Each case's own steps run in order; the cases run side by side. Reported N days ago: its victim-update and
    // support-referral clocks are about N days overdue, so each dashboard age band has cases.
    const file = async (officerKey: string, n: number, reportedDaysAgo: number) => step.submit((await step.register(officerKey, n, reportedDaysAgo)).id, officerKey);
    await Promise.all([
      step.register('officer2', 1, 5), // investigating (officer)
      step.register('officer', 2, 3).then((c) => step.requestAdvice(c.id, 'officer')), // awaiting the DS's endorsement
      step.register('officer', 3, 12).then((c) => step.requestAdvice(c.id)), // awaiting CPS triage (DCP)
      step.register('officer2', 4, 20).then((c) => step.requestAdvice(c.id)).then(step.acceptAdvice), // with the prosecutor
      (async () => { // action plan open, suspect on bail that expires within 30 days
        const c = await step.register('officer', 5, 80);
        await step.bail(c.id, 'officer', 75);
        await step.advise(await step.acceptAdvice(await step.requestAdvice(c.id)), ACTION_PLAN);
      })(),
      file('officer', 6, 26), // awaiting the gatekeeper (DS)
      file('officer2', 7, 35).then(step.approve), // awaiting CPS triage (DCP)
      file('officer', 8, 50).then(step.approve).then(step.acceptFile), // in CPS review (prosecutor)
      file('officer2', 9, 120).then(step.approve).then(step.acceptFile).then(step.charge), // charged
      file('officer', 10, 150).then(step.approve).then(step.acceptFile).then((s) => step.nfa(s, 2)), // NFA: the officer tells the victim
      step.register('officer2', 14, 210).then((c) => step.policeNfa(c.id)), // police NFA: a panel reviews it
      // The second force: its officer and DS see only these; the CPS team serving both forces sees them beside the first's.
      step.register('southOfficer', 11, 9), // investigating (second force)
      step.register('southOfficer', 12, 15).then((c) => step.requestAdvice(c.id, 'southDs')), // awaiting CPS triage (DCP)
      step.register('southOfficer', 13, 30).then((c) => step.requestAdvice(c.id, 'southDs')).then(step.acceptAdvice), // with the prosecutor
    ]);
  }
  if (fresh) await importDemoHistory(opts.apiUrl, admin, opts.say);
  await ensureDemoClinics(call, ids, tokens, opts.say);
  await ensureDemoPanel(call, ids, tokens, opts.say);
  // Every start: a case whose routine victim update and an action due in 30 s both escalate live.
  const live = await step.register('officer', randomInt(10, 99));
  await step.advise(await step.acceptAdvice(await step.requestAdvice(live.id)), [
    { description: 'Obtain and review the phone download', owner: 'police', dueInMs: 30_000, decisionCritical: true },
    { description: 'Confirm the disclosure strategy', owner: 'cps', dueInMs: 14 * DAY_MS, decisionCritical: false },
  ]);
  opts.say(`registered a fresh demo case ${live.urn}: its reminders and DS/DI escalations arrive in the inbox within a minute`);

  const nameWidth = Math.max(...DEMO_PEOPLE.map((p) => p.name.length));
  const people = DEMO_PEOPLE.map((p) => `      ${p.name.padEnd(nameWidth)}  ${p.rank.padEnd(10)}  ${p.demoRole}`).join('\n');
  return `
  Demo (synthetic data)
    Sign in at ${opts.webUrl}sign-in and choose one of these people on the sign-in page:
${people}
    live case               ${opts.webUrl}cases/${live.id}  (API: ${opts.apiUrl}/cases/${live.id})
    API tokens (valid 12 h) for every demo person are in var/demo-tokens.json, e.g.
    officer DC Casey Ward   curl -H "Authorization: Bearer $(node -p "require('./var/demo-tokens.json').officer")" ${opts.apiUrl}/cases
    admin                   curl -H "Authorization: Bearer $(node -p "require('./var/demo-tokens.json').admin")" ${opts.apiUrl}/people`;
}

/** Cases of the unit's past the demo brings in through the import, so that lists, agendas, panels and figures have a history. */
const DEMO_HISTORY_CASES = 300;

/**
 * Synthetic history for the first force's unit: a few hundred cases over the last three years from the case generator
 * (a fixed seed), imported as a force would bring its own in, through `POST /api/imports`; waits for the job.
 */
async function importDemoHistory(apiUrl: string, adminToken: string, say: (m: string) => void): Promise<void> {
  const force = DEMO_FORCES[0];
  const lines = [...generateCases({ cases: DEMO_HISTORY_CASES, years: 3, seed: 'demo-history', until: new Date(), unit: force.unit.id, forceCode: force.code, people: demoCasePeople(force.unit.id) })];
  const headers = { authorization: `Bearer ${adminToken}` };
  const started = await fetch(`${apiUrl}/imports`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-ndjson' }, body: lines.map((c) => c.line).join('\n') });
  if (started.status !== 202) throw new Error(`demo: importing the history answered ${started.status} ${await started.text()}`);
  const { id } = (await started.json()) as { id: string };
  say(`importing ${DEMO_HISTORY_CASES} synthetic cases of the last three years through the import (job ${id})`);
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const job = (await (await fetch(`${apiUrl}/imports/${id}`, { headers })).json()) as { status: string; imported: number; refused: number; progress: { percent: number } };
    if (job.status === 'done' || job.status === 'failed') {
      say(`history imported: ${job.imported} cases, ${job.refused} refused${job.status === 'failed' ? ' (the job failed: see GET /api/imports/' + id + ')' : ''}`);
      return;
    }
  }
}
