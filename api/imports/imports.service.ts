import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { importContext, type ImportJob } from '../../activities/imports';
import { importCase, type LineResult } from '../../activities/imports/import-case';
import { Person } from '../../db/entities';
import type { RegionPolicies } from '../../policy/load-policy';
import { importWorkflowId, TASK_QUEUE } from '../../workflows/contracts';
import type { importWorkflow } from '../../workflows/import.workflow';
import { rankAtLeast } from '../../workflows/pipeline/decide';
import { hasRole, type Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE, POLICIES, TEMPORAL_CLIENT } from '../infrastructure/tokens';
import { csvCases } from './csv';
import { importTemplate } from './template';

export type ImportFormat = 'jsonl' | 'csv';

const FORMATS: Record<string, ImportFormat> = { 'application/x-ndjson': 'jsonl', 'application/jsonl': 'jsonl', 'application/jsonlines': 'jsonl', 'text/csv': 'csv' };

/** Lines written to the database at a time while the file streams in. */
const RECEIVE_BATCH = 500;

/** Thrown inside a dry run's transaction so that nothing it wrote stays. */
class DryRunRollback extends Error {}

/** What an import did or would do: counts, each refused line, what is overdue by person, and data quality. */
export interface ImportReport {
  lines: number;
  imported: number;
  unchanged: number;
  refused: number;
  open: number;
  closed: number;
  refusals: ({ line: number } & Omit<Extract<LineResult, { status: 'refused' }>, 'status'>)[];
  /** Per person who holds something overdue: the one summary email (and inbox items) they get. */
  summaries: { personId: string; name: string; items: number; escalated: number; flagged: number }[];
  /** Overdue clocks by whose they are (the police or the CPS), counted once per clock. */
  overdueByOwner: Record<string, number>;
  /** How many accepted cases lack each optional field. */
  missingOptional: Record<string, number>;
}

/**
 * Imports of a force's existing cases. A dry run replays every line in a transaction that is rolled back and answers
 * the report; a real import stores the file line by line as it streams in and hands it to its durable workflow.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(POLICIES) private readonly policies: RegionPolicies,
  ) {}

  /**
   * Who may import, and into which units: a regional administrator into any; a force's administrator, or a DCI (or
   * above) of a force, into that force's units. Anyone else: 403.
   */
  async scope(principal: Principal): Promise<{ role: ImportJob['importerRole']; units: string[] | null }> {
    if (hasRole(principal, 'admin') && !principal.forceId && !principal.areaId) return { role: 'admin', units: null };
    const person = await this.db.getRepository(Person).findOneBy({ id: principal.id });
    const dci = hasRole(principal, 'supervisor') && person?.active && person.organisation === 'police' && rankAtLeast(person.rank, 'DCI');
    if (!principal.forceId || !(dci || hasRole(principal, 'admin'))) throw ApiError.forbidden('Cases are imported by an administrator or a DCI of the force.');
    const units = (await this.db.query(`SELECT id FROM units WHERE force_id = $1 AND organisation = 'police'`, [principal.forceId])) as { id: string }[];
    return { role: hasRole(principal, 'admin') ? 'admin' : 'supervisor', units: units.map((u) => u.id) };
  }

  /** The file's format: as asked (?format=), else from its Content-Type; 400 for anything else. */
  format(contentType: string | undefined, asked?: ImportFormat): ImportFormat {
    const format = asked ?? FORMATS[(contentType ?? '').split(';')[0].trim().toLowerCase()];
    if (!format) throw ApiError.badRequest('Send the file as application/x-ndjson (one case per line) or text/csv, or say ?format=.', [{ field: 'content-type', problem: 'is not an import format' }]);
    return format;
  }

  private async job(principal: Principal, importId: string): Promise<ImportJob> {
    const { role, units } = await this.scope(principal);
    const forces = (await this.db.query('SELECT id FROM forces')) as { id: string }[];
    return {
      importId, importerId: principal.id, importerRole: role, units,
      policies: { region: this.policies.region.version, forces: Object.fromEntries(forces.map((f) => [f.id, this.policies.forForce(f.id).version])) },
    };
  }

  /** The cases of the file, one JSON text each, whatever its format. */
  private lines(body: Readable, format: ImportFormat): AsyncIterable<string> {
    const lines = linesOf(body);
    return format === 'csv' ? csvCases(lines) : lines;
  }

  async dryRun(principal: Principal, body: Readable, contentType: string | undefined, asked?: ImportFormat): Promise<ImportReport> {
    const job = await this.job(principal, 'dry-run');
    const format = this.format(contentType, asked);
    const ctx = importContext(this.db, job);
    const report = emptyReport();
    for await (const text of this.lines(body, format)) {
      if (!text.trim()) continue;
      report.lines += 1;
      let result: LineResult | undefined;
      await this.db.transaction(async (tx) => {
        result = await importCase(tx, text, { ...ctx, now: ctx.now() });
        throw new DryRunRollback();
      }).catch((err) => { if (!(err instanceof DryRunRollback)) throw err; });
      tally(report, report.lines, result!);
    }
    return this.named(report);
  }

  /** The summaries' recipients by name (staff, never a case's parties). */
  private async named<T extends ImportReport>(report: T): Promise<T> {
    const people = report.summaries.length ? await this.db.getRepository(Person).findBy(report.summaries.map((s) => ({ id: s.personId }))) : [];
    for (const s of report.summaries) s.name = people.find((p) => p.id === s.personId)?.name ?? '';
    return report;
  }

  /** Receives the file (line by line, never whole in memory) and starts the import's workflow: 202 with its id. */
  async start(principal: Principal, body: Readable, contentType: string | undefined, asked?: ImportFormat): Promise<{ id: string; status: string; lines: number }> {
    const id = randomUUID();
    const job = await this.job(principal, id);
    const format = this.format(contentType, asked);
    await this.db.query(`INSERT INTO imports (id, created_by, units, format, status) VALUES ($1, $2, $3, $4, 'receiving')`, [id, principal.id, job.units, format]);
    let count = 0;
    let batch: string[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const values = batch.map((_, i) => `($1, $${i * 2 + 2}, $${i * 2 + 3})`).join(', ');
      await this.db.query(`INSERT INTO import_lines (import_id, line_no, content) VALUES ${values}`, [id, ...batch.flatMap((text, i) => [count - batch.length + i + 1, text])]);
      batch = [];
    };
    try {
      for await (const text of this.lines(body, format)) {
        if (!text.trim()) continue;
        count += 1;
        batch.push(text);
        if (batch.length >= RECEIVE_BATCH) await flush();
      }
      await flush();
    } catch (err) {
      await this.db.query(`UPDATE imports SET status = 'failed', failure = 'the upload was interrupted or unreadable', finished_at = now() WHERE id = $1`, [id]);
      throw err instanceof ApiError ? err : ApiError.badRequest('The file could not be read to its end; nothing was imported.');
    }
    if (!count) {
      await this.db.query('DELETE FROM imports WHERE id = $1', [id]);
      throw ApiError.unprocessable('The file has no cases in it.', [{ field: 'body', problem: 'is empty' }]);
    }
    await this.db.query(`UPDATE imports SET lines = $2, status = 'running', workflow_id = $3 WHERE id = $1`, [id, count, importWorkflowId(id)]);
    await this.temporal.workflow.start<typeof importWorkflow>('importWorkflow', { workflowId: importWorkflowId(id), taskQueue: TASK_QUEUE, args: [job] });
    this.logger.log(`import ${id} started: ${count} lines`);
    return { id, status: 'running', lines: count };
  }

  /** A template file of synthetic cases in the format asked for, for whoever may import. */
  async template(principal: Principal, format: ImportFormat = 'jsonl'): Promise<{ fileName: string; contentType: string; body: Buffer }> {
    await this.scope(principal);
    return { fileName: `import-template.${format}`, contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8', body: Buffer.from(importTemplate(format)) };
  }

  async list(principal: Principal) {
    await this.scope(principal);
    const rows = (await this.db.query(
      `SELECT id, status, lines, format, created_at, finished_at FROM imports WHERE created_by = $1 OR $2 ORDER BY created_at DESC LIMIT 100`, [principal.id, hasRole(principal, 'admin')],
    )) as { id: string; status: string; lines: number; format: string; created_at: Date; finished_at: Date | null }[];
    return rows.map((r) => ({ id: r.id, status: r.status, lines: r.lines, format: r.format, createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null }));
  }

  /** Progress, counts and every refused line; the importer's own imports (an administrator's: any). */
  async get(principal: Principal, id: string) {
    await this.scope(principal);
    const [row] = (await this.db.query('SELECT * FROM imports WHERE id = $1', [id])) as { id: string; created_by: string; status: string; lines: number; format: string; created_at: Date; finished_at: Date | null; summaries_sent: number | null; failure: string | null }[];
    if (!row || (row.created_by !== principal.id && !hasRole(principal, 'admin'))) throw ApiError.notFound('That import');
    const { done, report } = await storedReport(this.db, id, row.lines);
    await this.named(report);
    return {
      id: row.id, status: row.status, format: row.format, createdAt: row.created_at.toISOString(), finishedAt: row.finished_at?.toISOString() ?? null,
      progress: { done, total: row.lines, percent: row.lines ? Math.floor((100 * done) / row.lines) : 100 },
      summariesSent: row.summaries_sent, failure: row.failure, ...report,
    };
  }
}

/**
 * The report of the lines done so far, as `tally` makes it line by line, added up by PostgreSQL: polled while a
 * large import runs, it reads counts and the refused lines, never every line's result.
 */
async function storedReport(db: DataSource, importId: string, lines: number): Promise<{ done: number; report: ImportReport }> {
  const report = emptyReport();
  report.lines = lines;
  const [counts] = (await db.query(
    `SELECT count(*)::int AS done, count(*) FILTER (WHERE status = 'imported')::int AS imported, count(*) FILTER (WHERE status = 'unchanged')::int AS unchanged,
       count(*) FILTER (WHERE status = 'refused')::int AS refused, count(*) FILTER (WHERE status = 'imported' AND (result->>'open')::boolean)::int AS open
     FROM import_lines WHERE import_id = $1 AND status IS NOT NULL`, [importId],
  )) as { done: number; imported: number; unchanged: number; refused: number; open: number }[];
  Object.assign(report, { imported: counts.imported, unchanged: counts.unchanged, refused: counts.refused, open: counts.open, closed: counts.imported - counts.open });
  if (counts.refused) {
    const refused = (await db.query(`SELECT line_no, result FROM import_lines WHERE import_id = $1 AND status = 'refused' ORDER BY line_no`, [importId])) as { line_no: number; result: LineResult }[];
    for (const r of refused) tally(report, r.line_no, r.result);
    report.refused = counts.refused;
  }
  if (counts.imported) {
    const missing = (await db.query(
      `SELECT m.field, count(*)::int AS n FROM import_lines l, jsonb_array_elements_text(l.result->'missing') AS m(field)
       WHERE l.import_id = $1 AND l.status = 'imported' GROUP BY m.field ORDER BY min(l.line_no), m.field`, [importId],
    )) as { field: string; n: number }[];
    for (const m of missing) report.missingOptional[m.field] = m.n;
    // People in the order the lines name them first; each overdue clock counted once for its owner.
    report.summaries = (await db.query(
      `SELECT o.item->>'personId' AS "personId", '' AS name, count(*)::int AS items, count(*) FILTER (WHERE o.item->>'kind' = 'escalation')::int AS escalated,
         count(*) FILTER (WHERE (o.item->>'flagged')::boolean)::int AS flagged
       FROM import_lines l, jsonb_array_elements(l.result->'overdue') WITH ORDINALITY AS o(item, n)
       WHERE l.import_id = $1 AND l.status = 'imported' GROUP BY 1 ORDER BY min(ARRAY[l.line_no::bigint, o.n])`, [importId],
    )) as ImportReport['summaries'];
    const owners = (await db.query(
      `SELECT owner, count(*)::int AS n FROM (
         SELECT DISTINCT l.line_no, o.item->>'clockKey' AS clock, o.item->>'owner' AS owner
         FROM import_lines l, jsonb_array_elements(l.result->'overdue') AS o(item) WHERE l.import_id = $1 AND l.status = 'imported'
       ) c GROUP BY owner ORDER BY owner`, [importId],
    )) as { owner: string; n: number }[];
    for (const o of owners) report.overdueByOwner[o.owner] = o.n;
  }
  return { done: counts.done, report };
}

function emptyReport(): ImportReport {
  return { lines: 0, imported: 0, unchanged: 0, refused: 0, open: 0, closed: 0, refusals: [], summaries: [], overdueByOwner: {}, missingOptional: {} };
}

function tally(report: ImportReport, line: number, result: LineResult): void {
  if (result.status === 'refused') {
    report.refused += 1;
    report.refusals.push({ line, urn: result.urn, event: result.event, eventType: result.eventType, rule: result.rule, reason: result.reason, fields: result.fields });
    return;
  }
  if (result.status === 'unchanged') { report.unchanged += 1; return; }
  report.imported += 1;
  if (result.open) report.open += 1; else report.closed += 1;
  for (const field of result.missing) report.missingOptional[field] = (report.missingOptional[field] ?? 0) + 1;
  const clocks = new Set<string>();
  for (const item of result.overdue) {
    let summary = report.summaries.find((s) => s.personId === item.personId);
    if (!summary) report.summaries.push((summary = { personId: item.personId, name: '', items: 0, escalated: 0, flagged: 0 }));
    summary.items += 1;
    if (item.kind === 'escalation') summary.escalated += 1;
    if (item.flagged) summary.flagged += 1;
    if (!clocks.has(item.clockKey)) {
      clocks.add(item.clockKey);
      report.overdueByOwner[item.owner] = (report.overdueByOwner[item.owner] ?? 0) + 1;
    }
  }
}

/**
 * The upload's lines (ending in LF or CRLF), pulled a chunk at a time: the upload waits while its lines are stored, so
 * the API holds a chunk and a batch whatever the file's size. (readline's iterator reads the request ahead without
 * bound: `npm run bench:import` saw the API grow by twice the file.)
 */
async function* linesOf(body: Readable): AsyncIterable<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of body) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    const lines = rest.split(/\r?\n/);
    rest = lines.pop()!;
    yield* lines;
  }
  rest += decoder.end();
  if (rest) yield rest.replace(/\r$/, '');
}
