import type { Type } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ApiError, type FieldProblem } from '../../api/common/api-error';
import { createValidationPipe } from '../../api/common/validation';
import { choices } from './labels';

const ZONE = 'Europe/London';

/**
 * One question on a form, named by its path in the API's request body (`victim.dateOfBirth`), so the API's field
 * errors land on the input they are about. `kind` says how the browser's answer becomes the body's value.
 */
export type Field =
  | { kind: 'text' | 'textarea'; path: string; label: string; hint?: string; rows?: number; optional?: boolean; width?: string }
  /** A textarea read as a list: one item per line. */
  | { kind: 'lines'; path: string; label: string; hint?: string }
  | { kind: 'radios'; path: string; label: string; labels: string; values: readonly (string | number)[]; numeric?: boolean; hint?: string }
  | { kind: 'yesno'; path: string; label: string; hint?: string }
  | { kind: 'checkboxes'; path: string; label: string; labels: string; values: readonly string[]; hint?: string }
  /** Checkboxes read as `{ item: true|false }` for every item (the National File Standard checklist). */
  | { kind: 'checklist'; path: string; label: string; labels: string; values: readonly string[]; hint?: string }
  /**
   * A GOV.UK date input; `at` is the local time the instant takes (`date` keeps a plain YYYY-MM-DD). With `time` the
   * person gives the hour and minute too: the value is then UK wall-clock time (`local`, YYYY-MM-DDTHH:mm) or an instant.
   */
  | { kind: 'date'; path: string; label: string; hint?: string; at?: string | 'date'; time?: 'local' | 'instant'; optional?: boolean }
  | { kind: 'person'; path: string; label: string; hint?: string; people: 'prosecutors' | 'dcps' | 'police' | 'approvers' | 'officers' | 'liaisons'; optional?: boolean };

export type Body = Record<string, unknown>;

/** `actionPlan.actions.0.dueAt` → the id of its input, `actionPlan-actions-0-dueAt`. */
export const fieldId = (field: string) => field.replace(/[.[\]]+/g, '-').replace(/-$/, '');

/** `victim.dateOfBirth` → the form's name `victim[dateOfBirth]`, which the urlencoded parser reads back into the same shape. */
export const htmlName = (path: string) => path.split('.').map((p, i) => (i ? `[${p}]` : p)).join('');

function at(body: Body, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), body);
}

function put(target: Body, path: string, value: unknown): void {
  if (value === undefined) return;
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  keys.slice(0, -1).forEach((key, i) => {
    node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[keys.at(-1)!] = value;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '');

const DATE_PARTS = ['day', 'month', 'year', 'hour', 'minute'] as const;

/** A GOV.UK date input's day, month and year as an instant at `time` UK time, or a plain date; a problem if not a real date. */
function readDate(v: unknown, field: Extract<Field, { kind: 'date' }>): { value?: string; problem?: string } {
  const parts = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const [day, month, year, hour, minute] = DATE_PARTS.map((k) => text(parts[k]));
  if (!day && !month && !year && !hour && !minute) return field.optional ? {} : { problem: field.time ? 'Enter a date and time' : 'Enter a date' };
  // Checked for digits first: luxon throws on a part that is not a number (a half-filled date was a 500).
  const real = /^\d{1,2}$/.test(day ?? '') && /^\d{1,2}$/.test(month ?? '') && /^\d{4}$/.test(year ?? '');
  const date = real ? DateTime.fromObject({ day: Number(day), month: Number(month), year: Number(year) }, { zone: ZONE }) : undefined;
  if (!date?.isValid) return { problem: 'Enter a real date, for example 27 3 2026' };
  if (field.time) {
    if (!/^\d{1,2}$/.test(hour ?? '') || !/^\d{1,2}$/.test(minute ?? '') || Number(hour) > 23 || Number(minute) > 59) return { problem: 'Enter a real time on the 24-hour clock, for example 14 30' };
    const chosen = date.set({ hour: Number(hour), minute: Number(minute) });
    return { value: field.time === 'local' ? chosen.toFormat("yyyy-MM-dd'T'HH:mm") : chosen.toUTC().toISO()! };
  }
  if (field.at === 'date') return { value: date.toISODate()! };
  const [atHour, atMinute] = (field.at ?? '17:00').split(':').map(Number);
  return { value: date.set({ hour: atHour, minute: atMinute }).toUTC().toISO()! };
}

/** The request body the API would have received, from the browser's form, and the answers that could not be read. */
export function readForm(fields: Field[], form: Body): { body: Body; problems: FieldProblem[] } {
  const body: Body = {};
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const raw = at(form, field.path);
    switch (field.kind) {
      case 'text': case 'textarea': case 'person': put(body, field.path, text(raw)); break;
      case 'lines': put(body, field.path, typeof raw === 'string' ? raw.split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : []); break;
      case 'radios': put(body, field.path, text(raw) === undefined ? undefined : field.numeric ? Number(raw) : text(raw)); break;
      case 'yesno': put(body, field.path, raw === 'yes' ? true : raw === 'no' ? false : undefined); break;
      case 'checkboxes': put(body, field.path, list(raw)); break;
      case 'checklist': put(body, field.path, Object.fromEntries(field.values.map((item) => [item, list(raw).includes(item)]))); break;
      case 'date': {
        const { value, problem } = readDate(raw, field);
        if (problem) problems.push({ field: field.path, problem });
        put(body, field.path, value);
        break;
      }
    }
  }
  return { body, problems };
}

/** Validates a body exactly as the API's global pipe does (same DTO, same options, same field problems). */
export async function validateBody<T extends object>(dto: Type<T>, body: Body): Promise<T> {
  return createValidationPipe().transform(body, { type: 'body', metatype: dto }) as Promise<T>;
}

/**
 * A page's filters as the API route's query DTO. A GET form sends its empty choices (`stage=` for "any stage"), which
 * mean "no filter" to a person: they are dropped before the API's own validation.
 */
export async function filtersAs<T extends object>(dto: Type<T>, query: Record<string, unknown>): Promise<T> {
  const given = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
  return createValidationPipe().transform(given, { type: 'query', metatype: dto }) as Promise<T>;
}

/**
 * The form's answers as the DTO the API route takes, or a 400 listing every problem at once: answers that could not
 * be read (a date that is not a date) beside what the API's validation says of the rest.
 */
export async function formBody<T extends object>(dto: Type<T> | undefined, body: Body, problems: FieldProblem[], fields: Field[] = []): Promise<T | undefined> {
  let validated: T | undefined;
  let found = problems;
  if (dto) {
    try {
      validated = await validateBody(dto, body);
    } catch (err) {
      const details = (err as ApiError).getResponse?.() as { details?: FieldProblem[] } | undefined;
      if (!details?.details) throw err;
      const api = details.details.flatMap((d) => unanswered(d, fields));
      found = [...problems, ...api.filter((d) => !problems.some((p) => p.field === d.field))];
    }
  }
  if (found.length) throw ApiError.badRequest(`The form has ${found.length} answer${found.length === 1 ? '' : 's'} to correct.`, found);
  return validated;
}

/** Who a person question offers, by id (the page fills these from the directory). */
export type PeopleChoices = Partial<Record<Extract<Field, { kind: 'person' }>['people'], { value: string; text: string }[]>>;

/**
 * Each field ready for its design-system macro: id, name, the value to show again (the person's answer after a
 * refusal), its items, and its own error message.
 */
export function fieldViews(fields: Field[], opts: { form?: Body; problems?: FieldProblem[]; people?: PeopleChoices; idPrefix?: string } = {}) {
  const form = opts.form ?? {};
  const problemFor = (path: string) => {
    const own = (opts.problems ?? []).filter((p) => p.field === path || p.field.startsWith(`${path}.`));
    return own.length ? { text: own.map((p) => sentence(path, p.problem)).join('. ') } : undefined;
  };
  return fields.map((field) => {
    const id = `${opts.idPrefix ?? ''}${fieldId(field.path)}`;
    const raw = at(form, field.path);
    const base = { kind: field.kind, id, name: htmlName(field.path), label: field.label, hint: field.hint ? { text: field.hint } : undefined, errorMessage: problemFor(field.path) };
    switch (field.kind) {
      case 'text': case 'textarea': case 'lines':
        return { ...base, value: typeof raw === 'string' ? raw : '', rows: field.kind === 'text' ? undefined : (field as { rows?: number }).rows ?? 5, width: (field as { width?: string }).width };
      case 'radios':
        return { ...base, items: choices(field.labels, field.values, raw === undefined ? [] : [raw]) };
      case 'yesno':
        return { ...base, items: [{ value: 'yes', text: 'Yes', checked: raw === 'yes' }, { value: 'no', text: 'No', checked: raw === 'no' }] };
      case 'checkboxes': case 'checklist':
        return { ...base, items: choices(field.labels, field.values, list(raw)) };
      case 'date': {
        const parts = (raw && typeof raw === 'object' ? raw : {}) as Record<string, string>;
        return { ...base, items: DATE_PARTS.slice(0, field.time ? 5 : 3).map((part, i) => ({
          id: i === 0 ? id : `${id}-${part}`, name: `${base.name}[${part}]`, label: part[0].toUpperCase() + part.slice(1), value: parts[part] ?? '',
          classes: `govuk-input--width-${part === 'year' ? 4 : 2}${base.errorMessage ? ' govuk-input--error' : ''}`,
        })) };
      }
      case 'person':
        return { ...base, items: [{ value: '', text: 'Choose a person' }, ...(opts.people?.[field.people] ?? []).map((p) => ({ ...p, selected: p.value === raw }))] };
    }
  });
}

/**
 * A group left wholly blank (`victim` absent) is one problem to the API; on the form it is each question in it that
 * must be answered.
 */
function unanswered(problem: FieldProblem, fields: Field[]): FieldProblem[] {
  if (!/null or undefined|must be either object or array/.test(problem.problem)) return [problem];
  const inside = fields.filter((f) => f.path.startsWith(`${problem.field}.`) && !('optional' in f && f.optional) && !/\.\d+\./.test(f.path.slice(problem.field.length)));
  return inside.length ? inside.map((f) => ({ field: f.path, problem: 'should not be empty' })) : [problem];
}

/** The API's field problems as a form says them (the API's own words for anything else). */
const PLAIN: [RegExp, string][] = [
  [/must be a UUID/, 'Choose a person from the list'],
  [/must be one of the following values/, 'Choose one of the options'],
  [/must be longer than or equal to (\d+) characters/, 'Enter at least $1 characters'],
  [/must be shorter than or equal to (\d+) characters/, 'Enter no more than $1 characters'],
  [/must contain at least (\d+) elements?/, 'Give at least $1'],
  [/must be a string|should not be empty|must be a boolean value|should not be null or undefined/, 'Answer this question'],
  [/must be a valid ISO 8601|must be a real instant|must be a date/, 'Enter a real date'],
];

export function plainProblem(problem: string): string {
  const found = PLAIN.find(([pattern]) => pattern.test(problem));
  return found ? problem.match(found[0])![0].replace(found[0], found[1]) : problem;
}

const sentence = (_path: string, problem: string) => plainProblem(problem);
