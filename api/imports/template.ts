import { casesToCsv } from './csv';

/**
 * Synthetic cases in the import format, as a starting point for a force's own file: one still under investigation with
 * an action plan (one action done, one overdue), one charged, one closed with a police NFA. People are named by their
 * directory email; replace them, the unit and the URNs with your own. Nobody in it is real.
 */
export const TEMPLATE_CASES: Record<string, unknown>[] = [
  {
    urn: '01DM0000126', unit: 'your-rasso-unit', officerId: 'officer@force.example.org', reportedAt: '2026-06-01T10:00:00Z',
    offence: { type: 'rape', penetrative: true, committedFrom: '2026-05-20' },
    victim: { name: 'Synthetic Victim One', dateOfBirth: '1990-01-01', vulnerable: true, contactPreference: 'via-isva' },
    suspects: [{ name: 'Synthetic Suspect One', dateOfBirth: '1985-02-02', nationalId: 'PNC-SYN-0001' }],
    events: [
      { type: 'victim.contacted', at: '2026-06-02T09:00:00Z', by: 'officer@force.example.org', kind: 'support-referral', note: 'Referred to the ISVA service.' },
      { type: 'early-advice.requested', ref: 'ea1', at: '2026-06-10T09:00:00Z', by: 'ds@force.example.org', summary: 'Synthetic summary: reported ten days after the event; suspect known to the victim.', linesOfInquiry: ['Phone download requested'], issues: ['Consent disputed'], questions: ['Is the download needed before a charging request?'] },
      { type: 'early-advice.triaged', request: 'ea1', at: '2026-06-11T09:00:00Z', by: 'dcp@cps.example.org', decision: 'accept', prosecutorId: 'prosecutor@cps.example.org' },
      { type: 'early-advice.given', request: 'ea1', ref: 'plan1', at: '2026-06-20T09:00:00Z', by: 'prosecutor@cps.example.org', advice: 'Synthetic advice: obtain the download and the CCTV before submitting.',
        actionPlan: { actions: [
          { ref: 'cctv', description: 'Obtain CCTV from the venue', owner: 'police', dueAt: '2026-07-01T17:00:00Z', decisionCritical: true },
          { ref: 'phone', description: 'Obtain and review the phone download', owner: 'police', dueAt: '2026-07-15T17:00:00Z', decisionCritical: true },
        ] } },
      { type: 'action.completed', action: 'cctv', at: '2026-06-28T15:00:00Z', by: 'officer@force.example.org', note: 'CCTV obtained and reviewed.' },
    ],
  },
  {
    urn: '01DM0000226', unit: 'your-rasso-unit', officerId: 'officer@force.example.org', reportedAt: '2026-02-01T10:00:00Z',
    offence: { type: 'assault-by-penetration', penetrative: true, committedFrom: '2026-01-25' },
    victim: { name: 'Synthetic Victim Two', dateOfBirth: '1994-03-03', vulnerable: false, contactPreference: 'email' },
    suspects: [{ name: 'Synthetic Suspect Two', dateOfBirth: '1980-04-04' }],
    events: [
      { type: 'early-advice.not-sought', at: '2026-02-03T09:00:00Z', by: 'ds@force.example.org', reason: 'Suspect admitted the offence in interview.' },
      { type: 'file.submitted', ref: 'file1', at: '2026-03-01T09:00:00Z', by: 'officer@force.example.org', test: 'full-code', category: 'green',
        checklist: { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true },
        report: 'Synthetic MG3: the admissions in interview and the first-account witness.' },
      { type: 'file.approved', submission: 'file1', at: '2026-03-02T09:00:00Z', by: 'ds@force.example.org' },
      { type: 'file.triaged', submission: 'file1', at: '2026-03-03T09:00:00Z', by: 'dcp@cps.example.org', decision: 'accept', prosecutorId: 'prosecutor@cps.example.org' },
      { type: 'decision.made', submission: 'file1', at: '2026-03-20T09:00:00Z', by: 'prosecutor@cps.example.org', decision: 'charge', grounds: 'Synthetic: both stages of the Full Code Test are met.' },
    ],
  },
  {
    urn: '01DM0000325', unit: 'your-rasso-unit', officerId: 'officer@force.example.org', reportedAt: '2025-09-01T10:00:00Z',
    offence: { type: 'rape', penetrative: true, committedFrom: '2025-08-15' },
    victim: { name: 'Synthetic Victim Three', dateOfBirth: '1988-05-05', vulnerable: true, contactPreference: 'phone' },
    suspects: [{ name: 'Synthetic Suspect Three', dateOfBirth: '1979-06-06' }],
    events: [
      { type: 'police-nfa.recorded', at: '2025-12-01T09:00:00Z', by: 'ds@force.example.org', outcomeCode: 15, rationale: 'Synthetic: the download and CCTV do not corroborate the account.' },
      { type: 'victim.contacted', at: '2025-12-01T15:00:00Z', by: 'officer@force.example.org', kind: 'nfa-notification', note: 'Told of the decision and of the Right to Review.' },
    ],
  },
];

export function importTemplate(format: 'jsonl' | 'csv'): string {
  return format === 'csv' ? casesToCsv(TEMPLATE_CASES) : `${TEMPLATE_CASES.map((c) => JSON.stringify(c)).join('\n')}\n`;
}
