import { importCase, type ImportContext } from '../../activities/imports/import-case';
import { casesToCsv, csvCases } from '../../api/imports/csv';
import { TEMPLATE_CASES } from '../../api/imports/template';

/** The file's lines as readline hands them over: a quoted cell's line break splits it. */
async function* linesOf(text: string) {
  for (const line of text.split('\n')) yield line;
}

async function casesOf(text: string): Promise<Record<string, unknown>[]> {
  const cases: Record<string, unknown>[] = [];
  for await (const line of csvCases(linesOf(text))) cases.push(JSON.parse(line) as Record<string, unknown>);
  return cases;
}

const HEADER = ['urn', 'event', 'at', 'by', 'unit', 'officerId', 'reportedAt', 'offence.type', 'offence.penetrative', 'offence.committedFrom',
  'victim.name', 'victim.dateOfBirth', 'victim.vulnerable', 'victim.contactPreference', 'suspects.0.name', 'suspects.0.dateOfBirth', 'kind', 'note'];

/** A CSV text from rows given by column; a cell that needs quoting is given quoted. */
const csv = (rows: Record<string, string>[], header = HEADER) => [header.join(','), ...rows.map((r) => header.map((c) => r[c] ?? '').join(','))].join('\n');

const registered = (urn: string): Record<string, string> => ({
  urn, event: 'case.registered', unit: 'your-rasso-unit', officerId: 'officer@force.example.org', reportedAt: '2026-06-01T10:00:00Z',
  'offence.type': 'rape', 'offence.penetrative': 'TRUE', 'offence.committedFrom': '2026-05-20', 'victim.name': 'Synthetic Victim',
  'victim.dateOfBirth': '1990-01-01', 'victim.vulnerable': 'false', 'victim.contactPreference': 'phone', 'suspects.0.name': 'Synthetic Suspect', 'suspects.0.dateOfBirth': '1985-02-02',
});
const contacted = (urn: string, note = 'Referred to the ISVA service.'): Record<string, string> => ({
  urn, event: 'victim.contacted', at: '2026-06-02T09:00:00Z', by: 'officer@force.example.org', kind: 'support-referral', note,
});

describe('long-form CSV of the import format', () => {
  it('reads the CSV template back as the template cases, and the template has every column of the format', async () => {
    const template = casesToCsv(TEMPLATE_CASES);
    expect(await casesOf(template)).toEqual(TEMPLATE_CASES);
    const header = template.split('\n')[0].split(',');
    expect(header.slice(0, 2)).toEqual(['urn', 'event']);
    // Columns no template case uses are there too, for the events a force's data will have.
    expect(header).toEqual(expect.arrayContaining(['suspect', 'startedAt', 'authorisedBy', 'victim.email', 'suspects.0.nationalId', 'actionPlan.actions.1.ref', 'checklist.exhibits', 'extendTo']));
    expect(new Set(header).size).toBe(header.length);
  });

  it('reads lists, booleans and numbers only where the route takes them, and leaves other cells as text', async () => {
    const header = ['event', 'urn', 'at', 'by', 'ref', 'request', 'submission', 'suspect', 'summary', 'linesOfInquiry', 'issues', 'questions', 'reasons', 'outcome', 'note', 'outcomeCode', 'rationale', ...HEADER.slice(4, 16)];
    const [kase] = await casesOf(csv([
      registered('01DM0000126'),
      { urn: '01DM0000126', event: 'early-advice.requested', at: '2026-06-10T09:00:00Z', by: 'ds@force.example.org', ref: '7', summary: 'true', linesOfInquiry: 'Phone download | CCTV|  Neighbours ', issues: 'Consent disputed', questions: 'Is the download needed?' },
      { urn: '01DM0000126', event: 'file.returned', at: '2026-06-12T09:00:00Z', by: 'ds@force.example.org', submission: '1', reasons: 'missing-mg3 | missing-exhibits', note: '15' },
      { urn: '01DM0000126', event: 'review.decided', at: '2026-06-13T09:00:00Z', by: 'ds@force.example.org', outcome: 'upheld', reasons: 'The evidence | as a whole' },
      { urn: '01DM0000126', event: 'rui.recorded', at: '2026-06-14T09:00:00Z', by: 'ds@force.example.org', suspect: '2' },
      { urn: '01DM0000126', event: 'police-nfa.recorded', at: '2026-06-15T09:00:00Z', by: 'ds@force.example.org', outcomeCode: '15', rationale: 'false' },
    ], header));
    expect(kase).toMatchObject({ offence: { penetrative: true }, victim: { vulnerable: false } });
    expect(kase.events).toEqual([
      { type: 'early-advice.requested', at: '2026-06-10T09:00:00Z', by: 'ds@force.example.org', ref: '7', summary: 'true', linesOfInquiry: ['Phone download', 'CCTV', 'Neighbours'], issues: ['Consent disputed'], questions: ['Is the download needed?'] },
      // A list where the route takes a list; text where it takes text, though the column is the same.
      { type: 'file.returned', at: '2026-06-12T09:00:00Z', by: 'ds@force.example.org', submission: '1', reasons: ['missing-mg3', 'missing-exhibits'], note: '15' },
      { type: 'review.decided', at: '2026-06-13T09:00:00Z', by: 'ds@force.example.org', outcome: 'upheld', reasons: 'The evidence | as a whole' },
      { type: 'rui.recorded', at: '2026-06-14T09:00:00Z', by: 'ds@force.example.org', suspect: 2 },
      { type: 'police-nfa.recorded', at: '2026-06-15T09:00:00Z', by: 'ds@force.example.org', outcomeCode: 15, rationale: 'false' },
    ]);
  });

  it('keeps a quoted cell\'s comma, line breaks and quote marks', async () => {
    const note = 'Spoke to the victim, then the ISVA.\nAgreed "weekly" updates.\n\nBy phone.';
    const [kase] = await casesOf(csv([registered('01DM0000126'), contacted('01DM0000126', `"${note.replace(/"/g, '""')}"`), contacted('01DM0000126', 'After.')]));
    expect((kase.events as { note: string }[]).map((e) => e.note)).toEqual([note, 'After.']);
    // And written back the same way.
    const [again] = await casesOf(casesToCsv([kase]));
    expect(again).toEqual(kase);
  });

  it('refuses a case whose rows are not together, or start with an event, naming the row; the other cases are read', async () => {
    const cases = await casesOf(csv([
      registered('01DM0000126'), contacted('01DM0000126'), // rows 2-3
      registered('01DM0000226'), // row 4
      contacted('01DM0000126'), contacted('01DM0000126'), // rows 5-6: the first case again
      contacted('01DM0000325'), registered('01DM0000325'), // rows 7-8: an event before the registration
      registered('01DM0000425'), // row 9
    ]));
    expect(cases.map((c) => [c.urn, c.csvError ?? (c.events as unknown[]).length])).toEqual([
      ['01DM0000126', 1],
      ['01DM0000226', 0],
      ['01DM0000126', expect.stringMatching(/^row 5: the rows of 01DM0000126 are not together \(its rows from row 2/)],
      ['01DM0000325', expect.stringMatching(/^row 7: a victim\.contacted row of 01DM0000325 comes before its case\.registered row/)],
      ['01DM0000425', 0],
    ]);
  });

  it('refuses a file with an unknown column, naming it', async () => {
    const cases = await casesOf(csv([registered('01DM0000126')], [...HEADER, 'victim.nmae', 'suspects.01.name', 'suspects.100.name']));
    expect(cases).toEqual([{ csvError: 'row 1: unknown columns "victim.nmae", "suspects.01.name", "suspects.100.name": not a field of the import format' }]);
  });

  it('refuses the case of a row that cannot be read, by its row, and reads on: a quote left open costs one row', async () => {
    const cases = await casesOf(csv([
      registered('01DM0000126'), contacted('01DM0000126', '"Bad "quoting" here"'), // row 3
      registered('01DM0000226'), contacted('01DM0000226'),
      registered('01DM0000325'), contacted('01DM0000325', '"Left open'), // row 7, swallowing the rows after it
      registered('01DM0000425'), contacted('01DM0000425'),
      { urn: '01DM0000425', event: 'file.approved', unit: 'a,b' }, // row 10: more cells than the header
      registered('01DM0000525'), { ...contacted('01DM0000525'), event: 'victim.phoned' },
    ]));
    expect(cases.map((c) => [c.urn, c.csvError ?? (c.events as unknown[]).length])).toEqual([
      ['01DM0000126', 'row 3: a quoted cell has text after its closing quote'],
      ['01DM0000226', 1],
      ['01DM0000325', 'row 7: a quoted cell is not closed'],
      ['01DM0000425', `row 10: it has ${HEADER.length + 1} cells where the header has ${HEADER.length}`],
      ['01DM0000525', 'row 12: "victim.phoned" is not an event the import knows'],
    ]);
  });

  it('hands each case on as soon as the next begins, never holding the file', async () => {
    const lines = csv([registered('01DM0000126'), contacted('01DM0000126'), registered('01DM0000226'), contacted('01DM0000226'), contacted('01DM0000226')]).split('\n');
    let fed = 0;
    let release!: () => void;
    const lastLine = new Promise<void>((resolve) => { release = resolve; });
    async function* slowly() {
      for (const [i, line] of lines.entries()) {
        if (i === lines.length - 1) await lastLine;
        fed += 1;
        yield line;
      }
    }
    const reader = csvCases(slowly())[Symbol.asyncIterator]();
    const first = await reader.next();
    expect(JSON.parse(first.value as string)).toMatchObject({ urn: '01DM0000126', events: [{ type: 'victim.contacted' }] });
    expect(fed).toBe(lines.length - 1);
    release();
    expect(JSON.parse((await reader.next()).value as string)).toMatchObject({ urn: '01DM0000226', events: [{ type: 'victim.contacted' }, { type: 'victim.contacted' }] });
    expect((await reader.next()).done).toBe(true);
  }, 10_000);

  it('has the import refuse a case the CSV reader could not read, under rule format, with the reader\'s reason', async () => {
    const result = await importCase(undefined as never, JSON.stringify({ urn: '01DM0000126', csvError: 'row 3: a quoted cell is not closed' }), {} as ImportContext);
    expect(result).toEqual({ status: 'refused', urn: '01DM0000126', rule: 'format', reason: 'row 3: a quoted cell is not closed' });
  });
});
