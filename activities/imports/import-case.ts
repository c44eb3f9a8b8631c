import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { stableId } from '../../api/common/idempotency';
import type { FieldProblem } from '../../api/common/api-error';
import { createValidationPipe } from '../../api/common/validation';
import { RegisterCaseDto } from '../../api/cases/dto/register-case.dto';
import type { CaseParty, CaseRecord, Person } from '../../db/entities';
import { caseWorkflowId, type CaseRegistration, type CommandActor, type PolicySnapshot, type Rank } from '../../workflows/contracts';
import { DECIDED_STAGES } from '../../workflows/pipeline/state';
import { type OverdueClock, type PastCommand, replayCase } from '../../workflows/pipeline/replay';
import { caseView } from '../../workflows/pipeline/view';
import { columns, type ImportedCaseInput, writeImportedCases } from '../case-projection';
import { type EventRefs, IMPORT_EVENTS, PERSON_FIELDS, type RefKind, routeBody } from './events';

/** What became of one line of an import file. Never a victim's or suspect's detail: ids, the URN, rules and field names. */
export type LineResult =
  | { status: 'imported'; caseId: string; urn: string; stage: string; open: boolean; events: number; overdue: OverdueForPerson[]; missing: string[] }
  | { status: 'unchanged'; caseId: string; urn: string }
  | { status: 'refused'; urn?: string; event?: number; eventType?: string; rule: string; reason: string; fields?: FieldProblem[] };

/** One overdue clock of an imported case, for one person its past steps would have told. */
export interface OverdueForPerson {
  personId: string;
  clockKey: string;
  clockName: string;
  dueAt: string;
  step: number;
  kind: 'reminder' | 'escalation';
  owner: 'police' | 'cps';
  /** A bail expiry or a Victims' Code duty already breached: flagged for the supervisor. */
  flagged: boolean;
}

/** Optional fields whose absence the import report counts (data quality shown, not hidden). */
const OPTIONAL_FIELDS: [string, (c: RegisterCaseDto) => boolean][] = [
  ['offence.committedTo', (c) => !c.offence.committedTo],
  ['victim.address', (c) => !c.victim.address],
  ['victim.phone', (c) => !c.victim.phone],
  ['victim.email', (c) => !c.victim.email],
  ['suspects.nationalId', (c) => c.suspects.some((s) => !s.nationalId)],
];

/** Clocks whose breach the supervisor is told of in the summary, whoever else holds them. */
const FLAGGED = (clockName: string) => clockName === 'bail.expiry' || clockName.startsWith('victim.');

export interface ImportContext {
  /** Whoever runs the import: recorded as having registered the case. */
  importer: { id: string; role: 'supervisor' | 'officer' | 'admin' };
  /** The units the importer may bring cases into (a DCI: their own; an admin: any, as `null`). */
  units: string[] | null;
  /** The moment the import counts as "now": clocks past it are overdue. */
  now: string;
  policyFor(forceId: string): Promise<PolicySnapshot>;
  /** People by id or lower-cased email (cached across the lines of one import). */
  person(idOrEmail: string): Promise<Person | undefined>;
  /** A police unit of the directory with its force and the force's code (cached). */
  unit(id: string): Promise<ImportUnit | undefined>;
  /** Who a recipient relative to a case is, as the notify activity resolves them (cached: the directory only). */
  recipients(recipient: string, kase: Pick<CaseRecord, 'officerId' | 'unit'>, prosecutorId?: string): Promise<Person[]>;
  /**
   * The case already registered under a URN, when the caller knows (an import's batch looks them up together and
   * remembers the cases it brings in, `null` for none); otherwise it is looked up.
   */
  registered?: Map<string, { id: string; unit: string } | null>;
}

export interface ImportUnit { id: string; force_id: string; code: string }

/** A case an import brings in: every row it writes, worked out from its line before anything is written. */
export interface CaseWrite {
  caseId: string;
  forceId: string;
  parties: Omit<CaseParty, 'nameKey' | 'nationalIdKey'>[];
  documents: { id: string; kind: string; body: object; authorId: string; at: string }[];
  projection: ImportedCaseInput;
  /** The inbox task each holder of an overdue clock gets, keyed as the step's own (so the running case adds none). */
  tasks: { dedupeKey: string; personId: string; kind: string; clockKey: string; clockName: string; step: number; dueAt: string; why: string }[];
}

/** A line worked out: its result, and the case to write when it is imported. */
export interface PreparedLine { result: LineResult; write?: CaseWrite }

class Refused extends Error {
  constructor(readonly result: Extract<LineResult, { status: 'refused' }>) { super(result.reason); }
}

const refuse = (result: Omit<Extract<LineResult, { status: 'refused' }>, 'status'>): never => { throw new Refused({ status: 'refused', ...result }); };

/** The routes' validation, one pipe for every line (it holds no state between calls). */
const validation = createValidationPipe();

async function validated<T extends object>(dto: new () => T, body: unknown, at: Omit<Extract<LineResult, { status: 'refused' }>, 'status' | 'rule' | 'reason'>): Promise<T> {
  try {
    return (await validation.transform(body, { type: 'body', metatype: dto })) as T;
  } catch (err) {
    const details = ((err as { getResponse?: () => { details?: FieldProblem[] } }).getResponse?.() ?? {}).details;
    if (!details) throw err;
    return refuse({ ...at, rule: 'validation', reason: details.map((d) => `${d.field}: ${d.problem}`).join('; '), fields: details });
  }
}

/**
 * One case of an import file: checked as its route would check it, its past replayed through the pipeline's rules at
 * the original times, and written whole in the caller's transaction: parties, documents, projection and timeline, the
 * inbox tasks of what is overdue. A case already registered (same URN and unit) is left as it is. Pure of Temporal: the
 * caller starts the running case workflow of an open case once the transaction has committed.
 */
export async function importCase(tx: EntityManager, text: string, ctx: ImportContext): Promise<LineResult> {
  const { result, write } = await prepareCase(tx, text, ctx);
  if (write) await writeCases(tx, [write]);
  return result;
}

/**
 * One line worked out without writing anything: checked, replayed, and its rows made ready for `writeCases`. Reads
 * the directory (through the context's caches) and whether the URN is registered; an import writes many at once.
 */
export async function prepareCase(db: Pick<EntityManager, 'query'>, text: string, ctx: ImportContext): Promise<PreparedLine> {
  try {
    return await importLine(db, text, ctx);
  } catch (err) {
    if (err instanceof Refused) return { result: err.result };
    throw err;
  }
}

/**
 * Writes prepared cases whole in the caller's transaction, a statement per table for all of them: parties (the
 * registration tables, the only place personal data goes), documents, projection, timeline and outbox, flags, tasks.
 */
export async function writeCases(tx: EntityManager, writes: CaseWrite[]): Promise<void> {
  if (!writes.length) return;
  const parties = writes.flatMap((w) => w.parties);
  await tx.query(
    `INSERT INTO case_parties (id, case_id, kind, name, date_of_birth, national_id, vulnerable, contact_preference, address, phone, email, created_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::text[], $7::boolean[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])`,
    columns(parties, (p) => [p.id, p.caseId, p.kind, p.name, p.dateOfBirth, p.nationalId, p.vulnerable, p.contactPreference, p.address, p.phone, p.email, p.createdAt]),
  );
  const documents = writes.flatMap((w) => w.documents.map((d) => ({ ...d, caseId: w.caseId, forceId: w.forceId })));
  if (documents.length) {
    await tx.query(
      `INSERT INTO case_documents (id, case_id, force_id, kind, body, author_id, created_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::uuid[], $7::timestamptz[])`,
      columns(documents, (d) => [d.id, d.caseId, d.forceId, d.kind, JSON.stringify(d.body), d.authorId, new Date(d.at)]),
    );
  }
  await writeImportedCases(tx, writes.map((w) => w.projection));
  const tasks = writes.flatMap((w) => w.tasks.map((t) => ({ ...t, caseId: w.caseId, forceId: w.forceId })));
  if (tasks.length) {
    await tx.query(
      `INSERT INTO tasks (dedupe_key, person_id, case_id, force_id, kind, clock_key, clock_name, step, due_at, why, delivery)
       SELECT *, 'immediate' FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::timestamptz[], $10::text[])
       ON CONFLICT (dedupe_key) DO NOTHING`,
      columns(tasks, (t) => [t.dedupeKey, t.personId, t.caseId, t.forceId, t.kind, t.clockKey, t.clockName, t.step, t.dueAt, t.why]),
    );
  }
}

async function importLine(db: Pick<EntityManager, 'query'>, text: string, ctx: ImportContext): Promise<PreparedLine> {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return refuse({ rule: 'format', reason: 'the line is not JSON' });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return refuse({ rule: 'format', reason: 'the line is not a JSON object' });
  const { events: rawEvents = [], ...rawCase } = parsed;
  const urn = typeof rawCase.urn === 'string' ? rawCase.urn : undefined;
  // A case of a CSV file whose rows could not be read: the reader names the row (api/imports/csv.ts).
  if (typeof rawCase.csvError === 'string') return refuse({ urn, rule: 'format', reason: rawCase.csvError });
  if (!Array.isArray(rawEvents)) return refuse({ urn, rule: 'format', reason: 'events must be a list' });

  // People named by email are looked up in the directory; an unknown one refuses the line.
  const personId = async (value: unknown, field: string, event?: number) => {
    if (typeof value !== 'string') return value;
    const person = await ctx.person(value);
    if (!person) return refuse({ urn, event, rule: 'unknown-person', reason: `${field} names nobody in the people directory`, fields: [{ field, problem: 'names nobody in the directory' }] });
    return person.id;
  };
  const dto = await validated(RegisterCaseDto, { ...rawCase, officerId: await personId(rawCase.officerId, 'officerId') }, { urn });
  if (ctx.units && !ctx.units.includes(dto.unit)) return refuse({ urn, rule: 'scope', reason: `you may not import into unit ${dto.unit}` });
  const unit = await ctx.unit(dto.unit);
  if (!unit) return refuse({ urn, rule: 'unknown-unit', reason: `unit ${dto.unit} is not a police unit in the directory`, fields: [{ field: 'unit', problem: 'is not a police unit' }] });
  if (!dto.urn.startsWith(unit.code)) return refuse({ urn, rule: 'urn', reason: `the URN must carry the force code of the case's unit (${unit.code})`, fields: [{ field: 'urn', problem: `must start with ${unit.code}` }] });
  const officer = await ctx.person(dto.officerId);
  if (!officer || !officer.active || officer.organisation !== 'police' || officer.forceId !== unit.force_id) {
    return refuse({ urn, rule: 'unknown-person', reason: 'officerId is not an active officer of the unit\'s force', fields: [{ field: 'officerId', problem: 'is not an active officer of the force' }] });
  }
  const existing = ctx.registered?.has(dto.urn)
    ? ctx.registered.get(dto.urn)
    : ((await db.query('SELECT id, unit FROM cases WHERE urn = $1', [dto.urn])) as { id: string; unit: string }[])[0];
  if (existing) {
    if (existing.unit === dto.unit) return { result: { status: 'unchanged' as const, caseId: existing.id, urn: dto.urn } };
    return refuse({ urn, rule: 'duplicate', reason: 'a case with that URN is already registered in another unit' });
  }

  const caseId = randomUUID();
  const policy = await ctx.policyFor(unit.force_id);
  const victimId = randomUUID();
  const suspectIds = dto.suspects.map(() => randomUUID());
  const registration: CaseRegistration = {
    caseId, urn: dto.urn, unit: dto.unit, officerId: dto.officerId, offence: { ...dto.offence }, reportedAt: new Date(dto.reportedAt).toISOString(),
    victim: { partyId: victimId, vulnerable: dto.victim.vulnerable }, suspectPartyIds: suspectIds,
    registeredBy: { id: ctx.importer.id, role: ctx.importer.role === 'officer' ? 'officer' : 'supervisor' },
  };

  // Each event: the actor, the route's body validated as the route does, then the command the route would build.
  const known = new Map<string, string>();
  const past: PastCommand[] = [];
  const documents: { id: string; kind: string; body: object; authorId: string; at: string }[] = [];
  for (const [index, raw] of rawEvents.entries()) {
    const event = (raw && typeof raw === 'object' ? { ...raw } : {}) as Record<string, unknown>;
    const eventType = typeof event.type === 'string' ? event.type : undefined;
    const where = { urn, event: index + 1, eventType };
    const spec = eventType ? IMPORT_EVENTS[eventType] : undefined;
    if (!spec) return refuse({ ...where, rule: 'format', reason: `event ${index + 1} has an unknown type`, fields: [{ field: `events.${index}.type`, problem: 'is not an event the import knows' }] });
    // Strict: a day the month does not have (30 February) is refused, not rolled into the next month.
    const when = typeof event.at === 'string' && /T/.test(event.at) ? DateTime.fromISO(event.at, { zone: 'utc' }) : undefined;
    const at = when?.isValid ? when.toUTC().toISO()! : undefined;
    if (!at) return refuse({ ...where, rule: 'format', reason: `event ${index + 1} has no valid time`, fields: [{ field: `events.${index}.at`, problem: 'must be a date and time (ISO 8601)' }] });
    for (const field of PERSON_FIELDS) if (field in event) event[field] = await personId(event[field], `events.${index}.${field}`, index + 1);
    const actor = actorOf(await ctx.person(String(event.by ?? '')));
    if (!actor) return refuse({ ...where, rule: 'unknown-person', reason: `event ${index + 1} is by nobody who may act on a case`, fields: [{ field: `events.${index}.by`, problem: 'is not an active officer, supervisor or prosecutor' }] });
    const body = spec.dto ? await validated(spec.dto, routeBody(event, spec.refs), where) : {};
    const refs = eventRefs(caseId, index, at, known, suspectIds, where);
    const [command, extra] = spec.build(body, event, refs);
    const documentId = extra.document ? stableId(caseId, String(index), 'document') : undefined;
    if (extra.document) documents.push({ id: documentId!, kind: extra.document.kind, body: extra.document.body, authorId: actor.id, at });
    const namedRanks: Record<string, Rank> = {};
    for (const id of extra.named ?? []) {
      const named = await ctx.person(id);
      if (named) namedRanks[id] = named.rank;
    }
    past.push({ at, input: { command, actor, documentId, namedRanks } });
  }

  const replay = replayCase(registration, policy, past, ctx.now);
  if (!replay.ok) {
    const eventType = rawEvents[replay.index]?.type as string | undefined;
    return refuse({ urn, event: replay.index + 1, eventType, rule: replay.rule, reason: `event ${replay.index + 1} (${eventType}) ${replay.rule === 'chronology' ? replay.reason : `was refused by the case's rules: ${replay.reason}`}` });
  }
  const { state, events, overdue } = replay;
  const view = caseView(registration, policy, state, Date.parse(ctx.now));
  const workflowId = caseWorkflowId(caseId);

  const partyAt = Date.parse(registration.reportedAt);
  const parties: CaseWrite['parties'] = [
    { id: victimId, caseId, kind: 'victim', name: dto.victim.name, dateOfBirth: dto.victim.dateOfBirth, vulnerable: dto.victim.vulnerable, contactPreference: dto.victim.contactPreference, nationalId: null,
      address: dto.victim.address ?? null, phone: dto.victim.phone ?? null, email: dto.victim.email ?? null, createdAt: new Date(partyAt) },
    ...dto.suspects.map((s, i) => ({ id: suspectIds[i], caseId, kind: 'suspect' as const, name: s.name, dateOfBirth: s.dateOfBirth, nationalId: s.nationalId ?? null, vulnerable: null, contactPreference: null,
      address: s.address ?? null, phone: s.phone ?? null, email: s.email ?? null, createdAt: new Date(partyAt + i + 1) })),
  ];
  const projection: ImportedCaseInput = {
    workflowId, seq: state.seq, registration, policyVersion: policy.version, snapshot: view, state, occurredAt: registration.reportedAt, forceId: unit.force_id,
    events: events.map((e) => ({
      seq: e.seq, type: e.outcome.eventType, actorId: e.input.actor.id, actorRole: e.input.actor.role, fromStage: e.fromStage, toStage: e.toStage,
      reason: e.outcome.reason ?? null, data: { ...e.outcome.data, imported: true }, documentId: e.input.documentId, occurredAt: e.at,
    })),
  };
  const { owed, tasks } = await overdueFor(ctx, workflowId, { officerId: dto.officerId, unit: dto.unit }, state as never, overdue);
  const missing = OPTIONAL_FIELDS.filter(([, absent]) => absent(dto)).map(([field]) => field);
  // A case still moving, or with a clock still running (an NFA's victim notification), runs its workflow; one that is
  // over needs none until someone acts on it (a Right to Review, a reopening), when the command starts it from here.
  const open = ![...DECIDED_STAGES, 'closed'].includes(state.stage) || state.clocks.some((c) => !c.stoppedAt);
  ctx.registered?.set(dto.urn, { id: caseId, unit: dto.unit });
  return {
    result: { status: 'imported' as const, caseId, urn: dto.urn, stage: state.stage, open, events: events.length, overdue: owed, missing },
    write: { caseId, forceId: unit.force_id, parties, documents, projection, tasks },
  };
}

/** The actor of an event as the case's rules see them: directory id, acting role, organisation and rank. */
function actorOf(person: Person | undefined): CommandActor | undefined {
  if (!person?.active) return undefined;
  const role = (['supervisor', 'officer', 'cps'] as const).find((r) => person.roles.includes(r));
  if (!role || (person.organisation !== 'police' && person.organisation !== 'cps')) return undefined;
  return { id: person.id, role, organisation: person.organisation, rank: person.rank };
}

/** The file's references for one event: ids derived from the case and the reference, so they are the same on every attempt. */
function eventRefs(caseId: string, index: number, at: string, known: Map<string, string>, suspectIds: string[], where: { urn?: string; event: number; eventType?: string }): EventRefs {
  const label = (kind: RefKind, ref: unknown) => `${kind}:${String(ref)}`;
  return {
    id(kind, ref) {
      if (kind === 'suspect') {
        const n = Number(ref ?? 1);
        if (!Number.isInteger(n) || n < 1 || n > suspectIds.length) refuse({ ...where, rule: 'reference', reason: `event ${where.event} names suspect ${String(ref)}, who is not on the case`, fields: [{ field: `events.${index}.suspect`, problem: 'is not a suspect number of the case' }] });
        return suspectIds[n - 1];
      }
      const id = ref === undefined ? [...known.entries()].findLast(([k]) => k.startsWith(`${kind}:`))?.[1] : known.get(label(kind, ref));
      if (!id) refuse({ ...where, rule: 'reference', reason: `event ${where.event} refers to ${kind} ${ref === undefined ? '(the latest)' : `"${String(ref)}"`}, which no earlier event created`, fields: [{ field: `events.${index}.${kind}`, problem: 'refers to nothing earlier in the case' }] });
      return id!;
    },
    create(kind, ref) {
      const id = stableId(caseId, `${index}:${String(ref ?? '')}`, kind);
      known.set(label(kind, ref ?? `#${index}`), id);
      return id;
    },
    plan(planRef, actionRefs) {
      let n = 0;
      return {
        now: Date.parse(at),
        id: () => {
          const id = stableId(caseId, `${index}:${n}`, 'plan');
          if (n === 0) known.set(label('plan', planRef ?? `#${index}`), id);
          else known.set(label('action', actionRefs[n - 1] ?? `#${index}.${n}`), id);
          n += 1;
          return id;
        },
      };
    },
  };
}

/**
 * Who holds each overdue clock: everyone its past steps would have told, resolved in the directory as the notify
 * activity resolves them, plus the officer's DS for a breached bail or Victims' Code duty. Each gets the inbox task
 * the last step would have left (keyed as that step's, so the running case never adds a second).
 */
async function overdueFor(ctx: ImportContext, workflowId: string, kase: Pick<CaseRecord, 'officerId' | 'unit'>, state: { clocks: { key: string; startedAt: string }[]; submissions: { prosecutorId?: string }[]; earlyAdvice: { prosecutorId?: string }[] }, overdue: OverdueClock[]): Promise<{ owed: OverdueForPerson[]; tasks: CaseWrite['tasks'] }> {
  const owed: OverdueForPerson[] = [];
  const tasks: CaseWrite['tasks'] = [];
  if (!overdue.length) return { owed, tasks };
  const prosecutorId = state.submissions.findLast((s) => s.prosecutorId)?.prosecutorId ?? state.earlyAdvice.findLast((r) => r.prosecutorId)?.prosecutorId;
  for (const clock of overdue) {
    const flagged = FLAGGED(clock.clockName);
    const people = new Map<string, Person>();
    for (const recipient of [...clock.recipients, ...(flagged ? ['police:DS'] : [])]) for (const p of await ctx.recipients(recipient, kase, prosecutorId)) people.set(p.id, p);
    for (const person of people.values()) {
      owed.push({ personId: person.id, clockKey: clock.clockKey, clockName: clock.clockName, dueAt: clock.dueAt, step: clock.step, kind: clock.kind, owner: clock.owner, flagged });
      tasks.push({
        dedupeKey: `${workflowId}:clock:${clock.clockKey}:${clock.startedAt}:step-${clock.step}:${person.id}`, personId: person.id, kind: clock.kind, clockKey: clock.clockKey,
        clockName: clock.clockName, step: clock.step, dueAt: clock.dueAt,
        why: flagged ? 'overdue when the case was imported (breach flagged for the supervisor)' : 'overdue when the case was imported',
      });
    }
  }
  return { owed, tasks };
}

