import { randomUUID } from 'node:crypto';
import type { DateTime } from 'luxon';
import { caseBody, randomUrn, type Team } from './fixtures';
import { api, eventually, type RunningSystem } from './system';

/** A suspect as an import line names them (synthetic names only). */
export interface SuspectRecord { name: string; dateOfBirth: string; nationalId?: string }

/** How an imported case ends: decided no further action by the police, charged, NFA then reopened, or still open. */
export type Ending = 'police-nfa' | 'charged' | 'reopened' | 'open';

const CHECKLIST = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };
const iso = (t: DateTime) => t.toUTC().toISO()!;

/** A synthetic suspect no other test names: an invented name with a random part, a date of birth, no national id. */
export function syntheticSuspect(over: Partial<SuspectRecord> = {}): SuspectRecord {
  return { name: `Oswin Repeatsuspect-${randomUUID().slice(0, 8)}`, dateOfBirth: '1979-04-12', ...over };
}

/**
 * One line of an import file: a case of the team's unit naming `suspect`, reported at `reportedAt` (or, for a decided
 * case, 30 days before the decision at `at`), ending as `ending` at `at`. The events are the ones a real case has on
 * the way there, by the team's people, so the pipeline's rules accept them at their original times.
 */
export function importLine(team: Team, suspect: SuspectRecord, ending: Ending, at: DateTime, opts: { penetrative?: boolean; reportedAt?: DateTime } = {}) {
  const reported = opts.reportedAt ?? (ending === 'open' ? at : at.minus({ days: 30 }));
  const body = caseBody({ unit: team.unit, officerId: team.officer.email, urn: randomUrn(team.forceCode) });
  const penetrative = opts.penetrative ?? true;
  const { officer, ds, dcp, prosecutor } = team;
  const contacted = { type: 'victim.contacted', at: iso(reported.plus({ hours: 2 })), by: officer.email, kind: 'support-referral', note: 'Referred to the ISVA service.' };
  const nfa = [
    { type: 'police-nfa.recorded', at: iso(at), by: ds.email, outcomeCode: 15, rationale: 'Synthetic: the evidence does not corroborate the account.' },
    { type: 'victim.contacted', at: iso(at.plus({ hours: 1 })), by: officer.email, kind: 'nfa-notification', note: 'Told of the decision and the Right to Review.' },
  ];
  const events = {
    open: [contacted],
    'police-nfa': [contacted, ...nfa],
    reopened: [contacted, ...nfa, { type: 'case.reopened', at: iso(at.plus({ hours: 2 })), by: ds.email, ground: 'new-evidence', reason: 'Synthetic: a new witness came forward.' }],
    charged: [
      contacted,
      { type: 'early-advice.not-sought', at: iso(reported.plus({ days: 1 })), by: ds.email, reason: 'Admissions in interview.' },
      { type: 'file.submitted', ref: 'f1', at: iso(at.minus({ days: 10 })), by: officer.email, test: 'full-code', category: 'green', checklist: CHECKLIST, report: 'Synthetic MG3: the account, the interview and the CCTV.' },
      { type: 'file.approved', submission: 'f1', at: iso(at.minus({ days: 9 })), by: ds.email },
      { type: 'file.triaged', submission: 'f1', at: iso(at.minus({ days: 8 })), by: dcp.email, decision: 'accept', prosecutorId: prosecutor.email },
      { type: 'decision.made', submission: 'f1', at: iso(at), by: prosecutor.email, decision: 'charge', grounds: 'Synthetic: the Full Code Test is met.' },
      { type: 'victim.contacted', at: iso(at.plus({ hours: 1 })), by: officer.email, kind: 'key-event-update', note: 'Told of the charge.' },
    ],
  }[ending];
  return {
    ...body,
    reportedAt: iso(reported),
    offence: { type: penetrative ? 'rape' : 'sexual-assault', penetrative, committedFrom: reported.minus({ days: 10 }).toISODate()!, committedTo: reported.minus({ days: 9 }).toISODate()! },
    suspects: [suspect],
    events,
  };
}

/**
 * Imports the lines through the API as the team's administrator and waits for the job; fails on any refused line.
 * Answers each line's case id, in the file's order.
 */
export async function importLines(system: Pick<RunningSystem, 'baseUrl' | 'dataSource'>, team: Team, lines: { urn: string }[]): Promise<string[]> {
  const { baseUrl } = system;
  const posted = await api(baseUrl, 'POST', '/imports', { token: team.admin, body: `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`, headers: { 'content-type': 'application/x-ndjson' } });
  if (posted.status !== 202) throw new Error(`import: ${posted.status} ${JSON.stringify(posted.body)}`);
  const report = await eventually(async () => {
    const res = await api(baseUrl, 'GET', `/imports/${posted.body.id}`, { token: team.admin });
    return ['done', 'failed'].includes(res.body.status) && res.body;
  }, 90_000);
  if (report.status !== 'done' || report.refused) throw new Error(`import ${report.status}: ${JSON.stringify(report.refusals ?? report.failure)}`);
  const rows = (await system.dataSource.query('SELECT id, urn FROM cases WHERE urn = ANY($1)', [lines.map((l) => l.urn)])) as { id: string; urn: string }[];
  return lines.map((l) => rows.find((r) => r.urn === l.urn)!.id);
}
