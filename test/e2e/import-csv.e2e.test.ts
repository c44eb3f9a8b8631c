import { join } from 'node:path';
import { TEMPLATE_CASES } from '../../api/imports/template';
import { createTeam, randomUrn, type Team } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';

const HEADER = 'urn,event,at,by,ref,unit,officerId,reportedAt,offence.type,offence.penetrative,offence.committedFrom,victim.name,victim.dateOfBirth,victim.vulnerable,victim.contactPreference,suspects.0.name,suspects.0.dateOfBirth,kind,note,summary,linesOfInquiry,issues,questions';

/** The long-form CSV import over HTTP against the real stack: a dry run of a spreadsheet's file, and the CSV template. */
describe('importing existing cases from CSV', () => {
  let system: RunningSystem;
  let team: Team;
  const dryRun = (body: string) => api(system.baseUrl, 'POST', '/imports?dryRun=true', { token: team.admin, body, headers: { 'content-type': 'text/csv' } });

  beforeAll(async () => {
    system = await startSystem({ policyFile: join(__dirname, '..', 'fixtures', 'import-policy.json') });
    team = await createTeam(system.baseUrl);
  }, 120_000);
  afterAll(() => system?.stop());

  it('dry-runs a two-case file: the readable case would be imported, the other refused by its CSV row', async () => {
    const [good, bad] = [randomUrn(team.forceCode), randomUrn(team.forceCode)];
    const registration = (urn: string) => `${urn},case.registered,,,,${team.unit},${team.officer.email},2026-09-01T10:00:00Z,rape,TRUE,2026-08-20,Testvictim Synthetic,1990-01-01,false,phone,Testsuspect Synthetic,1985-02-02,,,,,,`;
    const file = [
      HEADER,
      registration(good),
      // A note over two lines with a comma, and lists as one cell each.
      `${good},victim.contacted,2026-09-02T09:00:00Z,${team.officer.email},,,,,,,,,,,,,,support-referral,"Referred to the ISVA,\nwho will call weekly.",,,,`,
      `${good},early-advice.requested,2026-11-20T09:00:00Z,${team.ds.email},ea1,,,,,,,,,,,,,,,Synthetic summary: reported days after the event.,Phone download | CCTV,Consent disputed,Is the download needed?`,
      registration(bad),
      `${bad},victim.contacted,2026-09-02T09:00:00Z,${team.officer.email},,,,,,,,,,,,,,support-referral,"Referred" to the ISVA,,,,`, // row 6
    ].join('\r\n');
    const res = await dryRun(file);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ lines: 2, imported: 1, refused: 1, open: 1 });
    expect(res.body.refusals).toEqual([{ line: 2, urn: bad, rule: 'format', reason: 'row 6: a quoted cell has text after its closing quote' }]);
    expect((await system.dataSource.query('SELECT id FROM cases WHERE urn = $1', [good])).length).toBe(0);
  }, 60_000);

  it('downloads the CSV template, which dry-runs to the three template cases once the unit, people and URNs are a force\'s own', async () => {
    const res = await api(system.baseUrl, 'GET', '/imports/template?format=csv', { token: team.admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="import-template.csv"');
    const template = String(res.body);
    expect(template.split('\n')[0]).toMatch(/^urn,event,at,by,ref,/);
    let own = template.replaceAll('your-rasso-unit', team.unit)
      .replaceAll('officer@force.example.org', team.officer.email).replaceAll('ds@force.example.org', team.ds.email)
      .replaceAll('dcp@cps.example.org', team.dcp.email).replaceAll('prosecutor@cps.example.org', team.prosecutor.email);
    for (const { urn } of TEMPLATE_CASES) own = own.replaceAll(String(urn), randomUrn(team.forceCode));
    const dry = await dryRun(own);
    expect(dry.body).toMatchObject({ lines: 3, imported: 3, refused: 0 });
  }, 60_000);
});
