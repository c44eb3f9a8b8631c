import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import { type CaseRecord, Person, PolicyVersion } from '../../db/entities';
import type { Logger } from '../../infra/logger';
import { caseWorkflowId, type PolicySnapshot, TASK_QUEUE } from '../../workflows/contracts';
import type { CaseState } from '../../workflows/pipeline/state';
import { queueEmail } from '../mail/outbox';
import { CLOCK_LABELS, renderImportSummary } from '../mail/templates';
import { columns } from '../case-projection';
import { recipientResolver } from '../mail/recipients';
import { type ImportContext, type ImportUnit, type LineResult, type OverdueForPerson, prepareCase, type PreparedLine, writeCases } from './import-case';

export interface ImportJob {
  importId: string;
  importerId: string;
  importerRole: ImportContext['importer']['role'];
  units: string[] | null;
  /** The policy version each force's new cases run under (the region's for any force not named). */
  policies: { region: string; forces: Record<string, string> };
}

export interface ImportDeps {
  dataSource: DataSource;
  publicUrl: string;
  logger: Logger;
  /** Starts the running workflow of each case still in flight. */
  temporal?: Client;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The lines an activity takes at a time: resumed, after a crash, from the first line not done. */
export const IMPORT_BATCH = 200;
/** Lines written in one transaction, with their results: a statement per table for all their cases. */
const IMPORT_CHUNK = 50;
/** While an activity runs it heartbeats at least this often (and after every line it works out). */
const HEARTBEAT_MS = 3_000;

/** The import's shared lookups: people by id or email, units, recipients and policies, read once per batch of lines. */
export function importContext(db: DataSource | EntityManager, job: Pick<ImportJob, 'importerId' | 'importerRole' | 'units' | 'policies'>, now = () => new Date().toISOString()): Omit<ImportContext, 'now'> & { now: () => string; policy(version: string): Promise<PolicySnapshot> } {
  const people = new Map<string, Promise<Person | undefined>>();
  const policies = new Map<string, Promise<PolicySnapshot>>();
  const units = new Map<string, Promise<ImportUnit | undefined>>();
  const recipients = new Map<string, Promise<Person[]>>();
  const { resolve } = recipientResolver(db);
  const policy = (version: string) => {
    if (!policies.has(version)) {
      policies.set(version, db.getRepository(PolicyVersion).findOneBy({ version }).then((row) => {
        if (!row) throw new Error(`policy ${version} is not stored`);
        return row.document as unknown as PolicySnapshot;
      }));
    }
    return policies.get(version)!;
  };
  return {
    importer: { id: job.importerId, role: job.importerRole },
    units: job.units,
    now,
    person(idOrEmail) {
      const key = idOrEmail.toLowerCase();
      let found = people.get(key);
      if (!found) {
        const repo = db.getRepository(Person);
        found = (UUID.test(key) ? repo.findOneBy({ id: key }) : repo.createQueryBuilder('p').where('lower(p.email) = :key', { key }).getOne()).then((p) => p ?? undefined);
        people.set(key, found);
      }
      return found;
    },
    unit(id) {
      let found = units.get(id);
      if (!found) {
        found = (db.query(`SELECT u.id, u.force_id, f.code FROM units u JOIN forces f ON f.id = u.force_id WHERE u.id = $1 AND u.organisation = 'police'`, [id]) as Promise<ImportUnit[]>).then(([u]) => u);
        units.set(id, found);
      }
      return found;
    },
    recipients(recipient, kase, prosecutorId) {
      const key = `${recipient}|${kase.officerId}|${kase.unit}|${prosecutorId ?? ''}`;
      let found = recipients.get(key);
      if (!found) {
        found = resolve(recipient, kase as CaseRecord, prosecutorId);
        recipients.set(key, found);
      }
      return found;
    },
    policy,
    policyFor: (forceId) => policy(job.policies.forces[forceId] ?? job.policies.region),
  };
}

type Line = { line_no: number; content: string | null; status: string | null };

/** The import job's activities: a batch of lines at a time, then one catch-up summary per person who holds something overdue. */
export function importActivities(deps: ImportDeps) {
  return {
    /**
     * The next lines not yet done, a chunk at a time: each chunk's lines worked out (checked and replayed), then their
     * cases written with the lines' results in one transaction (a retry skips what is done), then the running workflow
     * of each case still in flight started (once: the id is the case's, an existing one is kept). A chunk is worked
     * out while the one before it is written and its workflows start.
     */
    async importBatch(job: ImportJob): Promise<{ done: number; remaining: boolean }> {
      const lines = (await deps.dataSource.query(
        `SELECT line_no, content, status FROM import_lines WHERE import_id = $1 AND (status IS NULL OR (needs_workflow AND NOT workflow_started)) ORDER BY line_no LIMIT $2`,
        [job.importId, IMPORT_BATCH],
      )) as Line[];
      const ctx = { ...importContext(deps.dataSource, job), registered: new Map<string, { id: string; unit: string } | null>() };
      // A worker that dies mid-batch is noticed within the heartbeat timeout, and the retry resumes with the lines not done.
      const beating = setInterval(() => heartbeat('writing'), HEARTBEAT_MS);
      try {
        let previous: Promise<void> = Promise.resolve();
        for (let i = 0; i < lines.length; i += IMPORT_CHUNK) {
          const chunk = lines.slice(i, i + IMPORT_CHUNK);
          const prepared = await prepareChunk(deps, ctx, chunk);
          await previous;
          const writing = writeChunk(deps, job, ctx, chunk, prepared);
          writing.catch(() => undefined); // awaited before the next chunk is written, or at the end
          previous = writing;
        }
        await previous;
      } finally {
        clearInterval(beating);
      }
      return { done: lines.length, remaining: lines.length === IMPORT_BATCH };
    },

    /** One email per person who holds something overdue, listing it all, sent once whatever the retries. */
    async sendImportSummaries({ importId }: { importId: string }): Promise<{ people: number }> {
      const rows = (await deps.dataSource.query(
        `SELECT l.result->>'urn' AS urn, l.case_id, o.* FROM import_lines l, jsonb_to_recordset(l.result->'overdue')
           AS o("personId" uuid, "clockName" text, "dueAt" text, kind text, flagged boolean)
          WHERE l.import_id = $1 AND l.status = 'imported' ORDER BY o."personId", o.flagged DESC, o."dueAt"`,
        [importId],
      )) as (Pick<OverdueForPerson, 'personId' | 'clockName' | 'dueAt' | 'kind' | 'flagged'> & { urn: string; case_id: string })[];
      const byPerson = new Map<string, typeof rows>();
      for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
      for (const [personId, items] of byPerson) {
        const person = await deps.dataSource.getRepository(Person).findOneBy({ id: personId });
        if (!person?.active) continue;
        await queueEmail(deps.dataSource, {
          key: `import:${importId}:${personId}`, to: person, template: 'import-summary',
          render: () => renderImportSummary({
            recipientName: person.name,
            items: items.map((i) => ({
              caseUrn: i.urn, clockName: CLOCK_LABELS[i.clockName] ?? i.clockName, escalated: i.kind === 'escalation', flagged: i.flagged,
              dueAt: DateTime.fromISO(i.dueAt).setZone('Europe/London').toFormat("ccc d LLL yyyy"),
              caseLink: `${deps.publicUrl.replace(/\/$/, '')}/cases/${i.case_id}`,
            })),
            inboxLink: `${deps.publicUrl.replace(/\/$/, '')}/`,
          }),
        });
      }
      deps.logger.info({ importId, people: byPerson.size, items: rows.length }, 'import summaries sent');
      return { people: byPerson.size };
    },

    async finishImport({ importId, failure }: { importId: string; failure?: string }): Promise<void> {
      await deps.dataSource.query(
        `UPDATE imports SET status = $2, failure = $3, finished_at = now(), summaries_sent = (SELECT count(*) FROM outbound_emails WHERE key LIKE 'import:' || $1 || ':%') WHERE id = $1`,
        [importId, failure ? 'failed' : 'done', failure ?? null],
      );
    },
  };
}

/** The chunk's lines not yet done, worked out one after another (the URNs already registered looked up together first). */
async function prepareChunk(deps: ImportDeps, ctx: ImportContextOf, chunk: Line[]): Promise<Map<number, PreparedLine>> {
  const todo = chunk.filter((l) => l.status === null);
  const urns = new Set<string>();
  for (const line of todo) {
    try {
      const urn = (JSON.parse(line.content ?? '') as { urn?: unknown } | null)?.urn;
      if (typeof urn === 'string' && !ctx.registered.has(urn)) urns.add(urn);
    } catch {
      // refused with its reason when it is worked out
    }
  }
  if (urns.size) {
    const found = (await deps.dataSource.query('SELECT urn, id, unit FROM cases WHERE urn = ANY($1)', [[...urns]])) as { urn: string; id: string; unit: string }[];
    for (const urn of urns) ctx.registered.set(urn, null);
    for (const row of found) if (!ctx.registered.get(row.urn)) ctx.registered.set(row.urn, { id: row.id, unit: row.unit });
  }
  const prepared = new Map<number, PreparedLine>();
  for (const line of todo) {
    prepared.set(line.line_no, await prepareCase(deps.dataSource, line.content ?? '', { ...ctx, now: ctx.now() }));
    heartbeat(line.line_no);
  }
  return prepared;
}

/**
 * The chunk's cases and its lines' results in one transaction, then the workflows of its cases in flight. A line
 * another attempt has done meanwhile rolls the chunk back: the retry finds it done.
 */
async function writeChunk(deps: ImportDeps, job: ImportJob, ctx: ImportContextOf, chunk: Line[], prepared: Map<number, PreparedLine>): Promise<void> {
  if (prepared.size) {
    const results = [...prepared].map(([lineNo, { result }]) => ({ lineNo, result }));
    await deps.dataSource.transaction(async (tx) => {
      const [{ updated }] = (await tx.query(
        `WITH u AS (
           UPDATE import_lines l SET status = r.status, result = r.result, case_id = r.case_id, content = NULL, needs_workflow = r.needs_workflow
           FROM unnest($2::int[], $3::text[], $4::jsonb[], $5::uuid[], $6::boolean[]) AS r(line_no, status, result, case_id, needs_workflow)
           WHERE l.import_id = $1 AND l.line_no = r.line_no AND l.status IS NULL RETURNING 1
         ) SELECT count(*)::int AS updated FROM u`,
        [job.importId, ...columns(results, ({ lineNo, result }) => [lineNo, result.status, JSON.stringify(result), 'caseId' in result ? result.caseId : null, result.status === 'imported' && result.open])],
      )) as { updated: number }[];
      if (updated !== results.length) throw new Error('lines of this chunk were done by another attempt; the retry resumes after them');
      await writeCases(tx, [...prepared.values()].flatMap((p) => (p.write ? [p.write] : [])));
    });
  }
  await startCaseWorkflows(deps, ctx, job.importId, chunk.map((l) => l.line_no));
}

/** Starts the workflow of each case of these lines still in flight, from the state its past left, once. */
async function startCaseWorkflows(deps: ImportDeps, ctx: ImportContextOf, importId: string, lineNos: number[]): Promise<void> {
  const lines = (await deps.dataSource.query(
    `SELECT l.line_no, l.case_id, c.registration, c.live_state, c.policy_version FROM import_lines l JOIN cases c ON c.id = l.case_id
      WHERE l.import_id = $1 AND l.line_no = ANY($2) AND l.needs_workflow AND NOT l.workflow_started ORDER BY l.line_no`, [importId, lineNos],
  )) as { line_no: number; case_id: string; registration: never; live_state: CaseState; policy_version: string }[];
  if (!lines.length) return;
  const temporal = deps.temporal;
  if (!temporal) throw new Error('the import needs a Temporal client to start its cases\' workflows');
  // One after another, overlapping the next chunk being worked out: 8 at a time measured no faster on two cores, and
  // the worker's memory grew more.
  for (const line of lines) {
    await temporal.workflow.start('caseWorkflow', {
      workflowId: caseWorkflowId(line.case_id), taskQueue: TASK_QUEUE, args: [{ registration: line.registration, policy: await ctx.policy(line.policy_version), carried: line.live_state }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
  await deps.dataSource.query('UPDATE import_lines SET workflow_started = true WHERE import_id = $1 AND line_no = ANY($2)', [importId, lines.map((l) => l.line_no)]);
}

type ImportContextOf = ReturnType<typeof importContext> & { registered: Map<string, { id: string; unit: string } | null> };

export type { LineResult };

/** Heartbeats when running as an activity; a no-op when the import's code runs elsewhere (the API's dry run, tests). */
function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not in an activity
  }
}
