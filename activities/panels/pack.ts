import type { DataSource } from 'typeorm';
import { type KnownParty, type LeakKind, PackRedactor } from './redact';

/** One sampled case as a panel sees it: no name, no id, no URN, no date (days since the report instead). */
export interface AnonymisedPack {
  label: string;
  offence: { type: string; penetrative: boolean; committed: string };
  closedAs: { closure: string; outcomeCode: number | null; day: string };
  stages: { day: string; event: string; from: string | null; to: string | null; by: string | null; reason: string | null }[];
  clocks: { name: string; due: string; status: 'met' | 'missed' | 'running' }[];
  actionPlans: { owner: string | null; due: string | null; status: string; decisionCritical: boolean | null }[];
  victimContact: { day: string; event: string }[];
  documents: { kind: string; day: string; text: { field: string; text: string }[] }[];
}

export type PackResult = { pack: AnonymisedPack } | { withheld: LeakKind[] };

/** The documents a panel judges, and the notes that say what happened (all free text, all redacted). */
const DOCUMENT_KINDS = ['early-advice-request', 'early-advice', 'early-advice-not-sought', 'early-advice-rejection', 'charging-submission', 'charging-decision', 'file-return', 'police-nfa', 'admin-finalisation', 'victim-contact', 'victim-withdrawal', 'withdrawal-review', 'clinic-outcome', 'reopening'];
const CLOSURES = ['police-nfa', 'cps-nfa', 'admin-finalised', 'charge-authorised'];

/** Every string in a document body, by its path (`actionPlan.actions.0.description`). */
function stringsOf(value: unknown, path = ''): { field: string; text: string }[] {
  if (typeof value === 'string') return [{ field: path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, path ? `${path}.${i}` : String(i)));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsOf(v, path ? `${path}.${k}` : k));
  return [];
}

/** The case's own parties, each with the label a pack uses: "the victim", "suspect 1", "suspect 2". */
export async function knownParties(db: DataSource, caseId: string): Promise<KnownParty[]> {
  const rows = (await db.query(
    `SELECT kind, name, to_char(date_of_birth, 'YYYY-MM-DD') AS dob, national_id, address, phone, email FROM case_parties WHERE case_id = $1 ORDER BY kind DESC, created_at, id`, [caseId],
  )) as { kind: string; name: string; dob: string | null; national_id: string | null; address: string | null; phone: string | null; email: string | null }[];
  let suspects = 0;
  return rows.map((r) => ({
    role: r.kind === 'victim' ? 'the victim' : `suspect ${(suspects += 1)}`,
    name: r.name, dateOfBirth: r.dob, nationalId: r.national_id, address: r.address, phone: r.phone, email: r.email,
  }));
}

/** A redactor for a case: its parties, its URN, its report date. */
export async function redactorFor(db: DataSource, caseId: string): Promise<PackRedactor> {
  const [kase] = (await db.query('SELECT urn, reported_at FROM cases WHERE id = $1', [caseId])) as { urn: string; reported_at: Date }[];
  return new PackRedactor(await knownParties(db, caseId), kase.urn, kase.reported_at);
}

/**
 * Builds a sampled case's pack at the moment it is asked for (never stored): the record's facts by role and day, and
 * its free text redacted. Then the final check: a pack that still holds any known party's detail, or the URN, is not
 * returned; the caller gets the kinds of detail found, to alert the administrator, and the panel sees nothing.
 */
export async function buildPack(db: DataSource, caseId: string, label: string): Promise<PackResult> {
  const [kase] = (await db.query('SELECT offence_type, penetrative, committed_from, reported_at, outcome_code FROM cases WHERE id = $1', [caseId])) as {
    offence_type: string; penetrative: boolean; committed_from: string; reported_at: Date; outcome_code: number | null;
  }[];
  const redactor = await redactorFor(db, caseId);
  const day = (d: Date | string | null) => (d === null ? null : redactor.dayOf(d) ?? null);
  const events = (await db.query(
    `SELECT type, from_stage, to_stage, actor_role, reason, occurred_at FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId],
  )) as { type: string; from_stage: string | null; to_stage: string | null; actor_role: string | null; reason: string | null; occurred_at: Date }[];
  const closing = [...events].reverse().find((e) => CLOSURES.includes(e.type));
  const clocks = (await db.query(
    `SELECT k.name, k.due_at, k.status, EXISTS (SELECT 1 FROM tasks t WHERE t.clock_key = k.key AND t.kind = 'escalation') AS escalated
       FROM case_clocks k WHERE k.case_id = $1 ORDER BY k.started_at, k.key`, [caseId],
  )) as { name: string; due_at: Date; status: string; escalated: boolean }[];
  const actions = (await db.query(
    `SELECT owner, due_at, status, decision_critical FROM case_items WHERE case_id = $1 AND kind = 'action' ORDER BY due_at NULLS LAST, id`, [caseId],
  )) as { owner: string | null; due_at: Date | null; status: string; decision_critical: boolean | null }[];
  const documents = (await db.query(
    `SELECT kind, body, created_at FROM case_documents WHERE case_id = $1 AND kind = ANY($2) ORDER BY created_at, id`, [caseId, DOCUMENT_KINDS],
  )) as { kind: string; body: Record<string, unknown>; created_at: Date }[];
  const now = Date.now();

  const pack: AnonymisedPack = {
    label,
    offence: { type: kase.offence_type, penetrative: kase.penetrative, committed: day(kase.committed_from)! },
    closedAs: { closure: closing?.type ?? 'unknown', outcomeCode: kase.outcome_code, day: day(closing?.occurred_at ?? null) ?? 'unknown' },
    stages: events.map((e) => ({ day: day(e.occurred_at)!, event: e.type, from: e.from_stage, to: e.to_stage, by: e.actor_role, reason: e.reason === null ? null : redactor.redact(e.reason) })),
    clocks: clocks.map((k) => ({ name: k.name, due: day(k.due_at)!, status: k.escalated ? 'missed' : k.status === 'stopped' ? 'met' : k.due_at.getTime() < now ? 'missed' : 'running' })),
    actionPlans: actions.map((a) => ({ owner: a.owner, due: day(a.due_at), status: a.status, decisionCritical: a.decision_critical })),
    victimContact: events.filter((e) => e.type.startsWith('victim-')).map((e) => ({ day: day(e.occurred_at)!, event: e.type })),
    documents: documents.map((d) => ({
      kind: d.kind, day: day(d.created_at)!,
      text: stringsOf(d.body).map((s) => ({ field: s.field, text: redactor.redact(s.text) })),
    })),
  };
  const leaks = redactor.leaks(JSON.stringify(pack));
  return leaks.length ? { withheld: leaks } : { pack };
}
