import { caseBody, createTeam, randomUrn, type Team } from '../support/fixtures';
import { api, eventually, type RunningSystem, startSystem } from '../support/system';
import { startWorkerProcess } from '../support/worker-process';

const DAY = 86_400_000;
const ago = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const CASES = 400;

/**
 * A worker killed (SIGKILL) in the middle of an import: the API and the import's workflow carry on, and a new worker
 * finishes it, every case imported exactly once, each in-flight case with one running workflow.
 */
describe('an import when its worker is killed mid-way', () => {
  let system: RunningSystem;
  let team: Team;

  beforeAll(async () => {
    system = await startSystem({ worker: false });
    team = await createTeam(system.baseUrl);
  }, 120_000);
  afterAll(() => system?.stop());

  it('completes on restart with every case once', async () => {
    const urns = Array.from({ length: CASES }, () => randomUrn(team.forceCode));
    const file = urns.map((urn, i) => {
      const body = caseBody({ unit: team.unit, officerId: team.officer.email, urn, forceCode: team.forceCode });
      return JSON.stringify({ ...body, reportedAt: ago(30), events: i % 2 ? [] : [
        { type: 'victim.contacted', at: ago(29), by: team.officer.email, kind: 'support-referral', note: 'Referred to the ISVA service.' },
        { type: 'early-advice.requested', at: ago(20), by: team.ds.email, summary: 'Synthetic summary of a case brought in by import.', linesOfInquiry: ['Phone download'], issues: ['Consent'], questions: ['Is the download needed?'] },
      ] });
    }).join('\n');

    const first = startWorkerProcess();
    await first.ready;
    const started = await api(system.baseUrl, 'POST', '/imports', { token: team.admin, body: file, headers: { 'content-type': 'application/x-ndjson' } });
    expect(started.status).toBe(202);
    const progress = async () => (await api(system.baseUrl, 'GET', `/imports/${started.body.id}`, { token: team.admin })).body;
    // Killed once some lines are done and many are not.
    await eventually(async () => (await progress()).progress.done >= 60, 90_000);
    await first.kill();
    const atKill = (await progress()).progress.done;
    expect(atKill).toBeLessThan(CASES);

    const second = startWorkerProcess();
    try {
      await second.ready;
      const report = await eventually(async () => { const p = await progress(); return p.status === 'done' ? p : undefined; }, 150_000);
      expect(report).toMatchObject({ lines: CASES, imported: CASES, refused: 0, unchanged: 0 });
      const rows = (await system.dataSource.query('SELECT urn, count(*)::int AS n FROM cases WHERE urn = ANY($1) GROUP BY urn', [urns])) as { urn: string; n: number }[];
      expect(rows).toHaveLength(CASES);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      // One registration event per case, and every open case's workflow started once.
      const registered = (await system.dataSource.query(`SELECT count(*)::int AS n FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.urn = ANY($1) AND e.type = 'case-registered'`, [urns]))[0].n;
      expect(registered).toBe(CASES);
      const pending = (await system.dataSource.query('SELECT count(*)::int AS n FROM import_lines WHERE import_id = $1 AND needs_workflow AND NOT workflow_started', [started.body.id]))[0].n;
      expect(pending).toBe(0);
      const anyCase = (await system.dataSource.query('SELECT id FROM cases WHERE urn = $1', [urns[0]]))[0].id;
      await expect(system.client.workflow.getHandle(`case-${anyCase}`).describe()).resolves.toMatchObject({ status: { name: 'RUNNING' } });
    } finally {
      await second.kill();
    }
  }, 300_000);
});
