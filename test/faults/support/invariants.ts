import type { CaughtMessage } from '../../../scripts/stack/mail-catcher';
import { type ExpectedStep, FAULT_CLOCK, FAULT_CLOCK_STEPS, type FaultSystem, sleep, until } from './fault-system';

/** What broke an "each exactly once" invariant: keys never seen, keys seen more than once (with how often), keys not expected. */
export interface OnceReport { missing: string[]; doubled: string[]; unexpected: string[] }

/** Counts `items` by key against the keys expected: each expected key exactly once, nothing else. */
export function eachOnce<T>(expected: string[], items: T[], keyOf: (item: T) => string): OnceReport {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  const wanted = new Set(expected);
  return {
    missing: expected.filter((k) => !counts.has(k)),
    doubled: [...counts].filter(([k, n]) => wanted.has(k) && n > 1).map(([k, n]) => `${k} ×${n}`),
    unexpected: [...counts.keys()].filter((k) => !wanted.has(k)),
  };
}

/** Fails the test naming the invariant and the first offending keys when `items` are not each expected key exactly once. */
export function expectEachOnce<T>(invariant: string, expected: string[], items: T[], keyOf: (item: T) => string): void {
  const report = eachOnce(expected, items, keyOf);
  const short = (keys: string[]) => (keys.length > 10 ? [...keys.slice(0, 10), `… ${keys.length - 10} more`] : keys);
  expect({ invariant, missing: short(report.missing), doubled: short(report.doubled), unexpected: short(report.unexpected) })
    .toEqual({ invariant, missing: [], doubled: [], unexpected: [] });
}

const TEMPLATE_OF_SUBJECT: [RegExp, ExpectedStep['template']][] = [[/^New RASSO case /, 'case-registered'], [/^Reminder: /, 'clock-reminder'], [/^Overdue: /, 'clock-escalation']];
const URN = /\b\d{2}DM\d{7}\b/;

/** An email as a user sees it: which case (its URN), which kind (by its subject), to whom. */
export function emailKey(m: Pick<CaughtMessage, 'subject' | 'to'>): string {
  const subject = m.subject ?? '';
  const template = TEMPLATE_OF_SUBJECT.find(([re]) => re.test(subject))?.[1] ?? subject;
  return `${URN.exec(subject)?.[0] ?? '?'} ${template} → ${m.to.join(',')}`;
}

export interface DeliveryFigures { expected: number; received: number; copies: number; uncertainAttempts: number; failures: number }

/**
 * The invariants of the fault clock's steps on `cases`, checked where a user would see them:
 *   - at the SMTP catcher: every expected email (registration, reminder, two escalations) of every case, each once as
 *     a user sees it (by case, kind and recipient, with one Message-ID); a further copy of one message (same
 *     Message-ID) only where its outbox row records an attempt a crash ended without an answer (activities/mail/outbox.ts),
 *     so never without a kill (`crashes: false`);
 *   - in each person's inbox: every step's task exactly once (by case, clock, step and person);
 *   - on the timeline: every step's event exactly once (the case's outgoing events), and the workflow's own record of
 *     the clock (its firings, as the case API shows them) with each step once.
 */
export async function expectFaultClockStepsOnce(fs: FaultSystem, cases: { id: string; urn: string }[], opts: { crashes: boolean }): Promise<DeliveryFigures> {
  const ours = new Set(cases.map((c) => c.urn));
  // The emails of these cases' registration and fault clock (a command's own emails are not counted here).
  const caught = (await fs.caught()).filter((m) => ours.has(URN.exec(m.subject ?? '')?.[0] ?? '') && TEMPLATE_OF_SUBJECT.some(([re]) => re.test(m.subject ?? '')));
  const expectedEmails = cases.flatMap((c) => FAULT_CLOCK_STEPS.map((s) => emailKey({ subject: `${subjectPrefix(s.template)}${c.urn}`, to: [fs.emails[s.person]] })));
  // One message per email: copies of one Message-ID are one message, counted apart below.
  const byMessageId = new Map<string, CaughtMessage[]>();
  for (const m of caught) byMessageId.set(m.messageId ?? `no-id-${m.id}`, [...(byMessageId.get(m.messageId ?? `no-id-${m.id}`) ?? []), m]);
  expectEachOnce('every expected email delivered, none twice (by case, kind and recipient)', expectedEmails, [...byMessageId.values()].map((copies) => copies[0]), emailKey);

  const outbox = (await fs.db.query(
    `SELECT message_id, status, attempts, failures FROM outbound_emails WHERE case_id = ANY($1::uuid[]) AND template IN ('case-registered', 'clock-reminder', 'clock-escalation')`,
    [cases.map((c) => c.id)],
  )) as { message_id: string; status: string; attempts: number; failures: number }[];
  const rows = new Map(outbox.map((r) => [r.message_id, r]));
  const copiesBeyondRecord = [...byMessageId].flatMap(([id, copies]) => {
    const row = rows.get(id);
    const uncertain = row ? row.attempts - row.failures - 1 : 0;
    return !row || row.status !== 'sent' || copies.length > 1 + uncertain ? [`${emailKey(copies[0])} ${id}: ${copies.length} copies, ${row ? `${row.status}, ${row.attempts} attempts, ${row.failures} failed` : 'no outbox row'}`] : [];
  });
  expect({ invariant: 'a second copy of an email only where a crash left an attempt unanswered, on record', copiesBeyondRecord }).toEqual({ invariant: 'a second copy of an email only where a crash left an attempt unanswered, on record', copiesBeyondRecord: [] });
  const uncertainAttempts = outbox.reduce((n, r) => n + Math.max(0, r.attempts - r.failures - 1), 0);
  if (!opts.crashes) expect({ invariant: 'without a crash, every email sent exactly once (no copies)', copies: caught.length - byMessageId.size, uncertainAttempts }).toEqual({ invariant: 'without a crash, every email sent exactly once (no copies)', copies: 0, uncertainAttempts: 0 });

  const steps = FAULT_CLOCK_STEPS.filter((s) => s.step !== undefined);
  const stepKey = (caseId: string, step: number, personId: string) => `${caseId} ${FAULT_CLOCK} step ${step} → ${personId}`;
  const tasks = (await fs.db.query(`SELECT case_id, clock_name, step, person_id FROM tasks WHERE case_id = ANY($1::uuid[])`, [cases.map((c) => c.id)])) as { case_id: string; clock_name: string; step: number; person_id: string }[];
  expectEachOnce('every inbox task exactly once (by case, clock, step and person)', cases.flatMap((c) => steps.map((s) => stepKey(c.id, s.step!, fs.ids[s.person]))), tasks, (t) => stepKey(t.case_id, t.step, t.person_id));

  const events = (await fs.db.query(
    `SELECT case_id, type, envelope #>> '{data,details,clock}' AS clock, (envelope #>> '{data,details,step}')::int AS step FROM webhook_events WHERE case_id = ANY($1::uuid[]) AND type LIKE 'case.clock.%'`,
    [cases.map((c) => c.id)],
  )) as { case_id: string; clock: string; step: number }[];
  const eventKey = (caseId: string, clock: string, step: number) => `${caseId} ${clock} step ${step}`;
  expectEachOnce('every clock step on the timeline exactly once (outgoing events)', cases.flatMap((c) => steps.map((s) => eventKey(c.id, FAULT_CLOCK, s.step!))), events, (e) => eventKey(e.case_id, e.clock, e.step));

  const firings: string[] = [];
  for (const c of cases) {
    const kase = (await fs.call('GET', `/cases/${c.id}`, fs.tokens.officer)) as { clocks?: { name: string; firings?: { step: number }[] }[] };
    for (const clock of kase.clocks ?? []) for (const f of clock.firings ?? []) firings.push(eventKey(c.id, clock.name, f.step));
  }
  expectEachOnce('the workflow records every clock step exactly once (its firings)', cases.flatMap((c) => steps.map((s) => eventKey(c.id, FAULT_CLOCK, s.step!))), firings, (f) => f);

  return { expected: expectedEmails.length, received: byMessageId.size, copies: caught.length - byMessageId.size, uncertainAttempts, failures: outbox.reduce((n, r) => n + r.failures, 0) };
}

function subjectPrefix(template: ExpectedStep['template']): string {
  return { 'case-registered': 'New RASSO case ', 'clock-reminder': 'Reminder: ', 'clock-escalation': 'Overdue: ' }[template];
}

/** The fault clock's emails (reminders and escalations) the catcher holds, each copy. */
export async function clockEmails(fs: FaultSystem): Promise<CaughtMessage[]> {
  return (await fs.caught()).filter((m) => /^(Reminder|Overdue): /.test(m.subject ?? ''));
}

/** Whether every expected email of `cases` has reached the catcher (each counted once by Message-ID). */
export async function allDelivered(fs: FaultSystem, cases: { urn: string }[]): Promise<boolean> {
  const ours = new Set(cases.map((c) => c.urn));
  const ids = new Set((await fs.caught()).filter((m) => ours.has(URN.exec(m.subject ?? '')?.[0] ?? '') && TEMPLATE_OF_SUBJECT.some(([re]) => re.test(m.subject ?? ''))).map((m) => m.messageId));
  return ids.size >= cases.length * FAULT_CLOCK_STEPS.length;
}

/** Every case's registration email at the catcher: the cases' workflows run, their clocks armed. */
export async function registrationsOut(fs: FaultSystem, cases: unknown[]): Promise<void> {
  await until('every registration email out', async () => (await fs.caught()).filter((m) => /^New RASSO case /.test(m.subject ?? '')).length >= cases.length, 300_000);
}

/**
 * The end of a fault test: waits until every expected email of `cases` has arrived, then a while longer for a copy
 * that should not exist, and checks that no process died unasked and every invariant of the steps (above).
 */
export async function expectEachStepOnceAfterFault(fs: FaultSystem, cases: { id: string; urn: string }[], opts: { crashes: boolean }): Promise<DeliveryFigures> {
  await until('every expected email delivered', () => allDelivered(fs, cases), 600_000, 2000);
  // A message the killed worker handed over but never marked sent is pending until its lease (60 s) runs out and a
  // live dispatcher sends it again: the outbox settles before its record is judged.
  await until('no email of these cases pending', async () => ((await fs.db.query(
    `SELECT count(*)::int AS n FROM outbound_emails WHERE case_id = ANY($1::uuid[]) AND status = 'pending' AND template IN ('case-registered', 'clock-reminder', 'clock-escalation')`, [cases.map((c) => c.id)],
  )) as { n: number }[])[0].n === 0, 180_000, 2000);
  await sleep(10_000);
  expect(fs.unexpectedExit()).toBeUndefined();
  return expectFaultClockStepsOnce(fs, cases, opts);
}
