import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { EVENT_META, IMPORT_EVENTS } from '../../activities/imports/events';
import { RegisterCaseDto } from '../cases/dto/register-case.dto';

/*
 * Long-form CSV of the import format, for spreadsheet users (docs/import-format.md). One row per event, keyed by `urn`:
 * a case's first row has `event` = `case.registered` and carries its registration; each later row carries one event of
 * IMPORT_EVENTS. Columns are the JSON fields' dotted paths (`victim.name`, `suspects.0.name`, `actionPlan.actions.1.dueAt`)
 * in any order. An empty cell is an absent field; a list of text is one cell with its items separated by ` | `; `true`,
 * `false` and numbers are read as such only where the row's own route takes a boolean or a number. A case's rows are
 * together (sorted by URN), so each case is handed on, as the JSON line it stands for, as soon as the next one starts.
 */

/** The `event` of a case's first row, which carries its registration. */
export const REGISTERED = 'case.registered';

const LIST_SEPARATOR = ' | ';

/** The most a row may hold: a few long narratives fit; a quote left open does not run away with the file. */
const MAX_ROW_CHARS = 1_000_000;

/** How a cell is read: as text, as a list of text, as true/false, or as a number. */
type CellKind = 'text' | 'list' | 'boolean' | 'number';

/** The fields a row may carry by dotted path, list positions as `*` (`suspects.*.name`), with how each cell is read. */
type RowFields = Map<string, CellKind>;

/** A DTO's fields as its validation rules see them, so that a cell is typed exactly as the route would accept it. */
function dtoFields(dto: Type<object>, prefix = ''): RowFields {
  const fields: RowFields = new Map();
  const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  for (const property of new Set(rules.map((r) => r.propertyName))) {
    const own = rules.filter((r) => r.propertyName === property);
    const has = (name: string) => own.some((r) => r.name === name);
    const path = `${prefix}${property}`;
    if (own.some((r) => r.type === 'nestedValidation')) {
      // The nested class is class-transformer's @Type: found by transforming a stub, as the validation pipe does.
      const list = has('isArray') || own.some((r) => r.type === 'nestedValidation' && r.each);
      const stub = (plainToInstance(dto, { [property]: list ? [{}] : {} }) as Record<string, unknown>)[property];
      const inner = (list ? (stub as object[])[0] : stub) as object;
      for (const [field, kind] of dtoFields(inner.constructor as Type<object>, `${path}${list ? '.*' : ''}.`)) fields.set(field, kind);
    } else if (has('isArray')) fields.set(path, 'list');
    else if (has('isBoolean')) fields.set(path, 'boolean');
    else if (own.some((r) => r.name === 'isIn' && (r.constraints[0] as unknown[]).every((v) => typeof v === 'number'))) fields.set(path, 'number');
    else fields.set(path, 'text');
  }
  return fields;
}

const ACTIONS = 'actionPlan.actions.*.';

/** An event row's fields: time, actor and `ref`, what it refers to (suspects by number), then its route's body. */
function eventFields(type: string): RowFields {
  const spec = IMPORT_EVENTS[type];
  const fields: RowFields = new Map(EVENT_META.filter((f) => f !== 'type').map((f) => [f, 'text']));
  for (const ref of spec.refs ?? []) fields.set(ref, ref === 'suspect' ? 'number' : 'text');
  for (const [path, kind] of spec.dto ? dtoFields(spec.dto) : []) {
    // Each action of a plan carries its own `ref` beside the route's fields (events.ts, withoutActionRefs).
    if (path.startsWith(ACTIONS) && !fields.has(`${ACTIONS}ref`)) fields.set(`${ACTIONS}ref`, 'text');
    fields.set(path, kind);
  }
  return fields;
}

let schema: { rows: Map<string, RowFields>; columns: string[] } | undefined;

/** Each row kind's fields, and every column of the format in the template's order (worked out once, from the DTOs). */
function formatSchema() {
  if (schema) return schema;
  const rows = new Map<string, RowFields>([[REGISTERED, dtoFields(RegisterCaseDto)], ...Object.keys(IMPORT_EVENTS).map((t) => [t, eventFields(t)] as const)]);
  const refs = Object.values(IMPORT_EVENTS).flatMap((s) => s.refs ?? []);
  const columns = new Set(['urn', 'event', ...EVENT_META.filter((f) => f !== 'type'), ...refs, ...[...rows.values()].flatMap((fields) => [...fields.keys()])]);
  return (schema = { rows, columns: [...columns] });
}

/**
 * A column's field pattern: list positions as `*` (`suspects.1.name` is `suspects.*.name`). Positions stop at 99 (the
 * routes take at most 20 suspects and 40 actions), so a header cannot ask for a list of a billion empty places.
 */
const patternOf = (column: string) => column.replace(/\.(0|[1-9]\d?)(?=\.|$)/g, '.*');

function cellValue(kind: CellKind, cell: string): unknown {
  if (kind === 'list') return cell.split('|').map((item) => item.trim()).filter(Boolean);
  if (kind === 'boolean' && /^(true|false)$/i.test(cell)) return cell.toLowerCase() === 'true';
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(cell)) return Number(cell);
  // Anything else stays as written, for the route's validation to refuse with its own words.
  return cell;
}

function place(target: Record<string, unknown>, path: string[], value: unknown): void {
  let at = target;
  for (const [i, key] of path.slice(0, -1).entries()) at = (at[key] ??= /^\d+$/.test(path[i + 1]) ? [] : {}) as Record<string, unknown>;
  at[path[path.length - 1]] = value;
}

// --- Reading ---------------------------------------------------------------------------------------------------------

/** One record of the file: its cells, or why it cannot be read. Rows count as a spreadsheet counts them, the header first. */
interface CsvRow { row: number; cells?: string[]; unreadable?: string }

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is not closed',
  CSV_MAX_RECORD_SIZE: `the row runs past ${MAX_ROW_CHARS.toLocaleString('en-GB')} characters (a quoted cell left open?)`,
  CSV_INVALID_CLOSING_QUOTE: 'a quoted cell has text after its closing quote',
  INVALID_OPENING_QUOTE: 'a quote mark inside a cell that is not quoted (quote the cell and double the mark)',
};

/**
 * csv-parse's stream parser fed a line at a time. It looks one character past a record's end before handing it over,
 * so a record comes out when the line after it goes in (or at the end).
 */
function recordParser() {
  const records: string[][] = [];
  const parser = parse({
    bom: true, record_delimiter: '\n', relax_column_count: true, max_record_size: MAX_ROW_CHARS,
    // Taken here rather than read from the stream, so that each record is known to be complete when its write settles.
    on_record: (record: string[]) => { records.push(record); return null; },
  });
  parser.on('error', () => undefined); // each write's and the end's own callback carries the error
  const settled = (err?: Error | null) => ({ records: records.splice(0), error: err ?? undefined });
  return {
    write: (line: string) => new Promise<ReturnType<typeof settled>>((resolve) => parser.write(`${line}\n`, (err) => resolve(settled(err)))),
    end: () => new Promise<ReturnType<typeof settled>>((resolve) => parser.end((err?: Error | null) => resolve(settled(err)))),
  };
}

/**
 * The file's records, read as they arrive. The lines come split at their line ends, so a quoted cell's line breaks are put back
 * for the parser. A record that cannot be read is one unreadable row (its first line); the lines after its first are
 * read again with a fresh parser, so that a quote left open costs that row, not the rows it swallowed. Records end at
 * line ends, so one that comes out while a line goes in is made of the lines before it.
 */
async function* csvRows(lines: AsyncIterable<string>): AsyncGenerator<CsvRow> {
  const source = lines[Symbol.asyncIterator]();
  const again: string[] = []; // lines to read again, the next one last
  let pending: string[] = []; // the lines of the record being read
  let parser = recordParser();
  let row = 0;
  try {
    for (;;) {
      let line = again.pop();
      if (line === undefined) {
        const next = await source.next();
        line = next.done ? undefined : next.value;
      }
      if (line !== undefined) pending.push(line);
      const { records, error } = line === undefined ? await parser.end() : await parser.write(line);
      for (const cells of records) yield { row: (row += 1), cells };
      if (records.length) pending = line === undefined ? [] : pending.slice(-1);
      if (error) {
        const code = (error as { code?: string }).code ?? '';
        yield { row: (row += 1), unreadable: CSV_PROBLEMS[code] ?? error.message };
        for (let i = pending.length - 1; i >= 1; i -= 1) again.push(pending[i]);
        pending = [];
        parser = recordParser();
      } else if (line === undefined) return;
    }
  } finally {
    // Stopped early (a header that cannot be used): the upload is not read further.
    await source.return?.();
  }
}

/** One case's rows as they are read: its registration and events, or why it is refused. */
interface CaseRows { urn: string; registration?: Record<string, unknown>; events: Record<string, unknown>[]; problem?: string }

function refuse(reading: CaseRows, problem: string): void {
  reading.problem ??= problem;
  reading.registration = undefined;
  reading.events = [];
}

/** The JSON line a case stands for; a refused one carries `csvError`, which the import refuses under rule `format`. */
const caseLine = (c: CaseRows) => JSON.stringify(c.problem ? { urn: c.urn, csvError: c.problem } : { ...c.registration, events: c.events });

/** A column of the file as the header names it, with its field's path and pattern. */
interface Column { name: string; path: string[]; pattern: string }

function readHeader(cells: string[]): { columns: Column[] } | { problem: string } {
  const names = cells.map((c) => c.trim());
  const known = new Set(formatSchema().columns);
  const unknown = names.filter((c) => !known.has(patternOf(c)));
  if (unknown.length) return { problem: `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => JSON.stringify(c)).join(', ')}: not a field of the import format` };
  const twice = names.find((c, i) => names.indexOf(c) !== i);
  if (twice) return { problem: `column "${twice}" appears twice` };
  const missing = ['urn', 'event'].filter((c) => !names.includes(c));
  if (missing.length) return { problem: `the header has no ${missing.map((c) => `"${c}"`).join(' or ')} column` };
  return { columns: names.map((name) => ({ name, path: name.split('.'), pattern: patternOf(name) })) };
}

/**
 * The cases of a long-form CSV file, one JSON text each (the JSON line it stands for), handed on as each case ends: the
 * file is never held whole. A row that cannot be read, or does not fit, refuses its case with the row's number rather
 * than failing the import; a row the reader cannot place (unreadable, or with no URN) refuses the case it follows.
 */
export async function* csvCases(lines: AsyncIterable<string>): AsyncIterable<string> {
  let columns: Column[] | undefined;
  let urnAt = 0;
  let reading: CaseRows | undefined;
  // Every URN read, with its first row: a case whose rows are not together would otherwise be imported in parts.
  const firstRows = new Map<string, number>();
  for await (const { row, cells, unreadable } of csvRows(lines)) {
    const blank = cells?.every((c) => !c.trim());
    if (!columns) {
      if (blank) continue;
      const header = unreadable ? { problem: unreadable } : readHeader(cells!);
      if ('problem' in header) {
        yield JSON.stringify({ csvError: `row ${row}: ${header.problem}` });
        return;
      }
      columns = header.columns;
      urnAt = columns.findIndex((c) => c.name === 'urn');
      continue;
    }
    if (blank) continue;
    const urn = cells?.length === columns.length ? cells[urnAt].trim() : '';
    const problem = unreadable ?? (cells!.length !== columns.length ? `it has ${cells!.length} cells where the header has ${columns.length}` : !urn ? 'it has no urn' : undefined);
    if (problem) {
      if (reading) refuse(reading, `row ${row}: ${problem}`);
      else yield JSON.stringify({ csvError: `row ${row}: ${problem}` });
      continue;
    }
    if (urn !== reading?.urn) {
      if (reading) yield caseLine(reading);
      reading = { urn, events: [] };
      const first = firstRows.get(urn);
      if (first !== undefined) refuse(reading, `row ${row}: the rows of ${urn} are not together (its rows from row ${first} were read as a case already); keep each case's rows together, sorted by URN`);
      else firstRows.set(urn, row);
    }
    if (!reading.problem) readRow(reading, row, columns, cells!);
  }
  if (reading) yield caseLine(reading);
}

function readRow(reading: CaseRows, row: number, columns: Column[], cells: string[]): void {
  const type = cells[columns.findIndex((c) => c.name === 'event')].trim();
  const fields = formatSchema().rows.get(type);
  if (!type) return refuse(reading, `row ${row}: it has no event`);
  if (!fields) return refuse(reading, `row ${row}: "${type}" is not an event the import knows`);
  if (type === REGISTERED && reading.registration) return refuse(reading, `row ${row}: ${reading.urn} has a second ${REGISTERED} row`);
  if (type !== REGISTERED && !reading.registration) return refuse(reading, `row ${row}: a ${type} row of ${reading.urn} comes before its ${REGISTERED} row, which must be the case's first`);
  const target: Record<string, unknown> = type === REGISTERED ? {} : { type };
  for (const [i, column] of columns.entries()) {
    const cell = cells[i].trim();
    if (!cell || column.name === 'event' || (column.name === 'urn' && type !== REGISTERED)) continue;
    // A cell the row's event does not take is passed on as text, for the route's validation to refuse by its name.
    place(target, column.path, cellValue(fields.get(column.pattern) ?? 'text', cell));
  }
  if (type === REGISTERED) reading.registration = target;
  else reading.events.push(target);
}

// --- Writing ---------------------------------------------------------------------------------------------------------

/** A case's fields as cells by column: nested objects and lists of objects by dotted path, lists of text joined. */
function cellsOf(value: Record<string, unknown>, prefix = ''): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const path = `${prefix}${key}`;
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.every((item) => typeof item !== 'object')) {
      if (v.some((item) => String(item).includes('|'))) throw new Error(`${path}: an item of a list cannot contain "|" in CSV`);
      if (v.length) cells[path] = v.join(LIST_SEPARATOR);
    } else if (typeof v === 'object') Object.assign(cells, cellsOf(v as Record<string, unknown>, `${path}.`));
    else cells[path] = String(v);
  }
  return cells;
}

/** Every column of the format, each list of objects given as many positions as the rows use (at least one). */
function allColumns(used: Set<string>): string[] {
  const positions = new Map<string, number>();
  for (const column of used) {
    const [, list, index] = /^(.*?)\.(\d+)\./.exec(column) ?? [];
    if (list) positions.set(list, Math.max(positions.get(list) ?? 1, Number(index) + 1));
  }
  const patterns = formatSchema().columns;
  const listOf = (pattern: string) => pattern.split('.*.')[0];
  return patterns.flatMap((pattern, i) => {
    if (!pattern.includes('.*.')) return [pattern];
    const list = listOf(pattern);
    if (patterns.findIndex((p) => p.includes('.*.') && listOf(p) === list) !== i) return [];
    const item = patterns.filter((p) => p.includes('.*.') && listOf(p) === list);
    return Array.from({ length: positions.get(list) ?? 1 }, (_, n) => item.map((p) => p.replace('*', String(n)))).flat();
  });
}

/** Cases in the JSON shape as long-form CSV with every column of the format: the downloadable template. */
export function casesToCsv(cases: Record<string, unknown>[]): string {
  const rows = cases.flatMap(({ events = [], ...registration }) => [
    { event: REGISTERED, ...cellsOf(registration) },
    ...(events as Record<string, unknown>[]).map(({ type, ...event }) => ({ urn: String(registration.urn), event: String(type), ...cellsOf(event) })),
  ]);
  const used = new Set(rows.flatMap((r) => Object.keys(r)));
  const columns = allColumns(used);
  const stray = [...used].find((c) => !columns.includes(c));
  if (stray) throw new Error(`${stray} is not a column of the import format`);
  return stringify(rows, { header: true, columns });
}
