import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import { Person, PolicyVersion } from '../../db/entities';
import type { Logger } from '../../infra/logger';
import { caseWorkflowId, type PolicySnapshot, TASK_QUEUE } from '../../workflows/contracts';
import type { CaseState } from '../../workflows/pipeline/state';
import { queueEmail } from '../mail/outbox';
import { CLOCK_LABELS, renderImportSummary } from '../mail/templates';
import { type ImportContext, importCase, type LineResult, type OverdueForPerson } from './import-case';

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

/** The lines an activity takes at a time: a heartbeat-sized step of work, resumed from the first line not done. */
export const IMPORT_BATCH = 50;
/** Lines of a batch imported side by side. */
const IMPORT_LINES_AT_ONCE = 4;
const UNIQUE_VIOLATION = '23505';

/** The import's shared lookups: people by id or email, and policies by version, read once per import job. */
export function importContext(db: DataSource | EntityManager, job: Pick<ImportJob, 'importerId' | 'importerRole' | 'units' | 'policies'>, now = () => new Date().toISOString()): Omit<ImportContext, 'now'> & { now: () => string } {
  const people = new Map<string, Promise<Person | undefined>>();
  const policies = new Map<string, Promise<PolicySnapshot>>();
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
    policyFor(forceId) {
      const version = job.policies.forces[forceId] ?? job.policies.region;
      if (!policies.has(version)) {
        policies.set(version, db.getRepository(PolicyVersion).findOneBy({ version }).then((row) => {
          if (!row) throw new Error(`policy ${version} is not stored`);
          return row.document as unknown as PolicySnapshot;
        }));
      }
      return policies.get(version)!;
    },
  };
}

/** The import job's activities: a batch of lines at a time, then one catch-up summary per person who holds something overdue. */
export function importActivities(deps: ImportDeps) {
  return {
    /**
     * The next lines not yet done, each in its own transaction with its result (a retry skips what is done), then the
     * running workflow of each case still in flight (started once: the id is the case's, an existing one is kept).
     */
    async importBatch(job: ImportJob): Promise<{ done: number; remaining: boolean }> {
      const lines = (await deps.dataSource.query(
        `SELECT line_no, content, status FROM import_lines WHERE import_id = $1 AND (status IS NULL OR (needs_workflow AND NOT workflow_started)) ORDER BY line_no LIMIT $2`,
        [job.importId, IMPORT_BATCH],
      )) as { line_no: number; content: string | null; status: string | null }[];
      const ctx = importContext(deps.dataSource, job);
      const importOne = async (line: (typeof lines)[number]) => {
        if (line.status === null) {
          await deps.dataSource.transaction(async (tx) => {
            const result = await importCase(tx, line.content ?? '', { ...ctx, now: ctx.now() });
            await tx.query(
              `UPDATE import_lines SET status = $3, result = $4, case_id = $5, content = NULL, needs_workflow = $6 WHERE import_id = $1 AND line_no = $2`,
              [job.importId, line.line_no, result.status, JSON.stringify(result), 'caseId' in result ? result.caseId : null, result.status === 'imported' && result.open],
            );
          });
        }
        await startCaseWorkflow(deps, job.importId, line.line_no);
        // A worker that dies mid-batch is noticed within the heartbeat timeout, and the retry resumes with the lines not done.
        heartbeat(line.line_no);
      };
      // A few lines at a time, each in its own transaction: a line mostly waits on PostgreSQL, so the waits overlap.
      // Two lines of the same URN side by side collide on its unique key: the later one is done again alone after.
      const queue = lines.values();
      const again: typeof lines = [];
      await Promise.all(Array.from({ length: IMPORT_LINES_AT_ONCE }, async () => {
        for (const line of queue) {
          try {
            await importOne(line);
          } catch (err) {
            if ((err as { driverError?: { code?: string } }).driverError?.code !== UNIQUE_VIOLATION) throw err;
            again.push(line);
          }
        }
      }));
      for (const line of again) await importOne(line);
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

/** Starts an imported case's workflow from the state its past left, once; nothing for a line that needs none. */
async function startCaseWorkflow(deps: ImportDeps, importId: string, lineNo: number): Promise<void> {
  const [line] = (await deps.dataSource.query(
    `SELECT l.case_id, c.registration, c.live_state, c.policy_version FROM import_lines l JOIN cases c ON c.id = l.case_id
      WHERE l.import_id = $1 AND l.line_no = $2 AND l.needs_workflow AND NOT l.workflow_started`, [importId, lineNo],
  )) as { case_id: string; registration: never; live_state: CaseState; policy_version: string }[];
  if (!line) return;
  if (!deps.temporal) throw new Error('the import needs a Temporal client to start its cases\' workflows');
  const policy = (await deps.dataSource.getRepository(PolicyVersion).findOneByOrFail({ version: line.policy_version })).document as unknown as PolicySnapshot;
  await deps.temporal.workflow.start('caseWorkflow', {
    workflowId: caseWorkflowId(line.case_id), taskQueue: TASK_QUEUE, args: [{ registration: line.registration, policy, carried: line.live_state }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  await deps.dataSource.query('UPDATE import_lines SET workflow_started = true WHERE import_id = $1 AND line_no = $2', [importId, lineNo]);
}

export type { LineResult };

/** Heartbeats when running as an activity; a no-op when the import's code runs elsewhere (the API's dry run, tests). */
function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not in an activity
  }
}
