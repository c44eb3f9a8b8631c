import { randomUUID } from 'node:crypto';
import { caseBody, createTeam, randomUrn, type Team } from '../support/fixtures';
import { api, eventually, type RunningSystem, startSystem } from '../support/system';
import { pageOrigin, signedInClient, type WebClient } from '../support/web-session';

const DAY = 86_400_000;
const ago = (n: number) => new Date(Date.now() - n * DAY).toISOString();

/**
 * The import pages for a force's DCI: choose a file, check it (nothing written), import it, follow the job; the same
 * service, access rule and CSRF protection as the rest of the front end, with the file streamed to disk, not memory.
 */
describe('import pages', () => {
  let system: RunningSystem;
  let team: Team;
  let dci: WebClient;
  let file = '';
  let validUrn = '';

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' } });
    team = await createTeam(system.baseUrl);
    const created = await api(system.baseUrl, 'POST', '/people', {
      token: team.admin, body: { name: 'DCI Import Lead', email: `dci.import.${randomUUID().slice(0, 6)}@example.test`, roles: ['supervisor'], organisation: 'police', rank: 'DCI', unit: team.unit },
    });
    expect(created.status).toBe(201);
    dci = await signedInClient(pageOrigin(system), created.body.id);
    validUrn = randomUrn(team.forceCode);
    const registration = (urn: string) => ({ ...caseBody({ unit: team.unit, officerId: team.officer.email, urn, forceCode: team.forceCode }), reportedAt: ago(20) });
    file = [
      JSON.stringify({ ...registration(validUrn), events: [{ type: 'victim.contacted', at: ago(19), by: team.officer.email, kind: 'support-referral', note: 'Referred.' }] }),
      JSON.stringify({ ...registration(randomUrn(team.forceCode)), events: [{ type: 'early-advice.given', at: ago(10), by: team.prosecutor.email, advice: 'Synthetic advice nobody asked for.' }] }),
    ].join('\n');
  }, 120_000);
  afterAll(() => system?.stop());

  it('shows a DCI the way in, and nobody below', async () => {
    const page = await dci.get('/imports');
    expect(page.status).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toMatch(/service-navigation__link" href="\/imports"[\s\S]{0,200}Import cases/);
    const ds = await signedInClient(pageOrigin(system), team.ds.id);
    expect((await ds.get('/')).body).not.toContain('Import cases');
    expect((await ds.get('/imports')).status).toBe(403);
  });

  it('checks a file without writing anything, then imports it and follows the job', async () => {
    const checked = await dci.postFile('/imports', { action: 'check' }, { field: 'file', name: 'cases.jsonl', content: file, type: 'application/x-ndjson' });
    expect(checked.status).toBe(200);
    expect(checked.body).toContain('Import check');
    expect(checked.body).toMatch(/Would be imported[\s\S]*?1 \(1 still in progress, 0 closed\)/);
    expect(checked.body).toMatch(/data-test="refusals"[\s\S]*early-advice\.given[\s\S]*which no earlier event created/);
    expect(checked.body).not.toContain('Testvictim');
    expect((await system.dataSource.query('SELECT 1 FROM cases WHERE urn = $1', [validUrn])).length).toBe(0);

    const imported = await dci.postFile('/imports', { action: 'import' }, { field: 'file', name: 'cases.jsonl', content: file, type: 'application/x-ndjson' });
    expect(imported.status).toBe(303);
    expect(imported.location).toMatch(/^\/imports\/[0-9a-f-]{36}$/);
    const done = await eventually(async () => { const page = await dci.get(imported.location!); return /Finished/.test(page.body) ? page : undefined; }, 60_000);
    expect(done.body).toMatch(/Imported[\s\S]*?1 \(1 still in progress, 0 closed\)/);
    expect((await system.dataSource.query('SELECT 1 FROM cases WHERE urn = $1', [validUrn])).length).toBe(1);
    expect((await dci.get('/imports')).body).toContain(imported.location!);
  }, 90_000);

  it('asks for a file when none is chosen, and refuses a form without its CSRF token', async () => {
    const empty = await dci.postFile('/imports', { action: 'check' }, undefined);
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('govuk-error-summary');
    const forged = await dci.postFile('/imports', { action: 'import' }, { field: 'file', name: 'cases.jsonl', content: file, type: 'application/x-ndjson' }, { csrf: null });
    expect(forged.status).toBe(403);
  });

  it('downloads the templates', async () => {
    const lines = await dci.get('/imports/template?format=jsonl');
    expect(lines.status).toBe(200);
    expect(lines.headers.get('content-disposition')).toContain('import-template.jsonl');
    expect(lines.body.trim().split('\n').length).toBeGreaterThanOrEqual(3);
  });
});
