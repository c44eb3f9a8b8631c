import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Holidays from 'date-holidays';
import { DateTime, Duration } from 'luxon';
import { AGENDA_REASONS, type AgendaRules, type AllocationRule, type ClockPolicy, type PanelRules, type PolicySnapshot } from '../workflows/contracts/policy';
import type { ReportDeliveryRules } from '../workflows/contracts/reports';
import { panelRulesProblems } from './panel-rules';
import { reportRulesProblems } from './report-rules';
import defaultPolicy from './default-policy.json';

/**
 * A policy file as written: ISO durations, `Nwd`, `agreed`. `extends` layers it over another policy: the regional
 * policy over the domain defaults (`default`), a force's policy over the regional one (`region`).
 */
interface PolicyDocument {
  name: string;
  description?: string;
  extends?: 'default' | 'region';
  timezone: string;
  clocks: Record<string, ClockPolicy>;
  allocation?: AllocationRule[];
  /** The clinic agenda's rules; a force's file may name only the fields it changes. */
  agenda?: Partial<AgendaRules>;
  /** The scrutiny panels' sampling, criteria and themes; a force's file may name only the fields it changes. */
  panels?: Partial<PanelRules>;
  /** When the monthly pack and the quarterly report go and to whom: the region's only (a force's file may not set it). */
  reports?: Partial<ReportDeliveryRules>;
  nonWorkingDays: { source: 'england-and-wales' | 'none'; extra?: string[] };
}

/** The fields a policy file may have; anything else is a typo that would otherwise be ignored silently. */
const FIELDS = ['name', 'description', 'extends', 'timezone', 'clocks', 'allocation', 'agenda', 'panels', 'reports', 'nonWorkingDays'];
const AGENDA_FIELDS = ['reasons', 'earlyAdviceWaiting', 'bailExpiringWithin', 'repeatConsultations', 'victimNoContact'];

export class PolicyError extends Error {}

const DURATION = /^-?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
const YEARS_AHEAD = 5;

function checkDuration(where: string, value: string, allow: { workingDays?: boolean; agreed?: boolean } = {}): string[] {
  if (allow.agreed && value === 'agreed') return [];
  if (allow.workingDays && /^\d+wd$/.test(value)) return [];
  if (DURATION.test(value) && Duration.fromISO(value.replace(/^-/, '')).isValid) return [];
  return [`${where}: "${value}" is not an ISO-8601 duration${allow.workingDays ? ', Nwd' : ''}${allow.agreed ? " or 'agreed'" : ''}`];
}

export function validatePolicy(doc: PolicyDocument): string[] {
  const problems: string[] = [];
  if (!doc.name) problems.push('name is required');
  if (!doc.timezone || !Intl.supportedValuesOf('timeZone').includes(doc.timezone)) problems.push(`timezone "${doc.timezone}" is not an IANA zone`);
  for (const [name, clock] of Object.entries(doc.clocks ?? {})) {
    problems.push(...checkDuration(`clocks.${name}.due`, clock.due, { workingDays: true, agreed: true }));
    (clock.remind ?? []).forEach((r, i) => problems.push(...checkDuration(`clocks.${name}.remind[${i}]`, r)));
    if (clock.limits !== undefined && !Array.isArray(clock.limits)) problems.push(`clocks.${name}.limits must be a list of ISO-8601 durations`);
    else (clock.limits ?? []).forEach((l, i) => problems.push(...checkDuration(`clocks.${name}.limits[${i}]`, l)));
    if (clock.source !== undefined && typeof clock.source !== 'string') problems.push(`clocks.${name}.source must be text (the domain reference's row and label)`);
    (clock.ladder ?? []).forEach((step, i) => {
      problems.push(...checkDuration(`clocks.${name}.ladder[${i}].after`, step.after));
      const to = Array.isArray(step.to) ? step.to : [step.to];
      if (!to.length || to.some((t) => !/^(officer|owner|prosecutor|liaison|clinic|court|custody|(police|cps):[A-Za-z]+)$/.test(t))) {
        problems.push(`clocks.${name}.ladder[${i}].to: ${JSON.stringify(step.to)} is not officer, prosecutor, liaison, clinic, custody or <police|cps>:<rank>`);
      }
    });
  }
  const ids = new Set<string>();
  (doc.allocation ?? []).forEach((rule, i) => {
    if (!rule.id || ids.has(rule.id)) problems.push(`allocation[${i}].id must be present and unique`);
    ids.add(rule.id);
    if (!rule.description) problems.push(`allocation[${i}].description is required: each case shows the rule that allocated it`);
    if (rule.unit !== null && !/^[a-z0-9-]{2,64}$/.test(rule.unit ?? '')) problems.push(`allocation[${i}].unit must be a team id or null`);
    const unknown = Object.keys(rule.when ?? {}).filter((k) => !['offenceTypes', 'penetrative', 'victimVulnerable', 'reportedAfterDays'].includes(k));
    if (unknown.length) problems.push(`allocation[${i}].when has unknown conditions: ${unknown.join(', ')}`);
  });
  problems.push(...agendaProblems(doc.agenda));
  if (doc.panels !== undefined) problems.push(...panelRulesProblems(doc.panels));
  if (doc.reports !== undefined) problems.push(...reportRulesProblems(doc.reports, doc.timezone));
  if (!['england-and-wales', 'none'].includes(doc.nonWorkingDays?.source)) problems.push('nonWorkingDays.source must be england-and-wales or none');
  return problems;
}

/** The agenda rules, complete (after layering): every field present and sound. */
function agendaProblems(agenda: Partial<AgendaRules> | undefined): string[] {
  // A standalone file written before clinics existed takes the defaults' agenda rules (see resolvePolicy).
  if (agenda === undefined) return [];
  if (!agenda || typeof agenda !== 'object' || Array.isArray(agenda)) return ['agenda must be an object'];
  const problems = Object.keys(agenda).filter((k) => !AGENDA_FIELDS.includes(k)).map((k) => `agenda.${k}: unknown field (agenda has ${AGENDA_FIELDS.join(', ')})`);
  if (!Array.isArray(agenda.reasons) || agenda.reasons.some((r) => !(AGENDA_REASONS as readonly string[]).includes(r))) {
    problems.push(`agenda.reasons must list reasons from ${AGENDA_REASONS.join(', ')}`);
  }
  for (const field of ['earlyAdviceWaiting', 'bailExpiringWithin', 'victimNoContact'] as const) {
    const value = agenda[field];
    if (typeof value !== 'string' || value.startsWith('-')) problems.push(`agenda.${field}: ${JSON.stringify(value)} is not an ISO-8601 duration`);
    else problems.push(...checkDuration(`agenda.${field}`, value));
  }
  if (!Number.isInteger(agenda.repeatConsultations) || (agenda.repeatConsultations as number) < 1) problems.push('agenda.repeatConsultations must be a whole number of at least 1');
  return problems;
}

/** A policy file as written, and what only the file can show wrong with it (see documentProblems). */
function readDocument(file: string, level: 'region' | 'force'): { doc: Partial<PolicyDocument>; problems: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PolicyError(`cannot read policy file ${file}: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid(file, ['the file must hold one JSON object']);
  return { doc: doc as Partial<PolicyDocument>, problems: documentProblems(doc as Partial<PolicyDocument>, level) };
}

/** Unknown fields, the file's own name, what it extends and its closures' dates: lost or re-indexed once layered. */
function documentProblems(doc: Partial<PolicyDocument>, level: 'region' | 'force'): string[] {
  const problems = Object.keys(doc).filter((k) => !FIELDS.includes(k)).map((k) => `${k}: unknown field (a policy has ${FIELDS.join(', ')})`);
  // Versions carry the name, so each file names itself rather than passing on the policy's it extends.
  if (typeof doc.name !== 'string' || !doc.name) problems.push('name is required');
  if (level === 'force' && doc.extends !== 'region') problems.push(`extends: a force's policy extends "region", not ${JSON.stringify(doc.extends)}`);
  // One schedule sends every report of the region: its rules are the regional policy's.
  if (level === 'force' && doc.reports !== undefined) problems.push('reports: the report delivery rules are the regional policy\'s; a force\'s policy may not set them');
  if (level === 'region' && doc.extends !== undefined && doc.extends !== 'default') problems.push(`extends: the regional policy extends "default" or nothing, not ${JSON.stringify(doc.extends)}`);
  const extra: unknown = doc.nonWorkingDays?.extra ?? [];
  if (!Array.isArray(extra)) problems.push('nonWorkingDays.extra must be a list of dates (YYYY-MM-DD)');
  else extra.forEach((day, i) => {
    if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day) || !DateTime.fromISO(day).isValid) problems.push(`nonWorkingDays.extra[${i}]: ${JSON.stringify(day)} is not a date (YYYY-MM-DD)`);
  });
  return problems;
}

function invalid(file: string, problems: string[]): PolicyError {
  return new PolicyError(`policy ${file} is invalid:\n  ${problems.join('\n  ')}`);
}

/**
 * `over` layered on `base`: a clock it names replaces that clock whole, its allocation rules (an ordered list) replace
 * the base's, and its local closures add to the base's (a closure in the regional file closes the whole region).
 */
function layer(base: PolicyDocument, over: Partial<PolicyDocument>): PolicyDocument {
  return {
    ...base, ...over,
    clocks: { ...base.clocks, ...over.clocks },
    allocation: over.allocation ?? base.allocation,
    // Agenda rules layer field by field: a force may change one threshold and keep the rest.
    agenda: over.agenda && typeof over.agenda === 'object' && !Array.isArray(over.agenda) ? { ...base.agenda, ...over.agenda } : over.agenda ?? base.agenda,
    // Panel rules too: a force may change the sample size and keep the strata, criteria and themes (each a whole list).
    panels: over.panels && typeof over.panels === 'object' && !Array.isArray(over.panels) ? { ...base.panels, ...over.panels } : over.panels ?? base.panels,
    // Report rules too: a region may move the meeting and keep the default recipients.
    reports: over.reports && typeof over.reports === 'object' && !Array.isArray(over.reports) ? { ...base.reports, ...over.reports } : over.reports ?? base.reports,
    nonWorkingDays: { ...base.nonWorkingDays, ...over.nonWorkingDays, extra: [...(base.nonWorkingDays.extra ?? []), ...(over.nonWorkingDays?.extra ?? [])] },
  };
}

/** England and Wales bank holidays of the years `fromYear` to `toYear` (YYYY-MM-DD), in date order. */
export function englandAndWalesBankHolidays(fromYear: number, toYear: number): string[] {
  const holidays = new Holidays('GB', 'ENG');
  const days: string[] = [];
  for (let year = fromYear; year <= toYear; year += 1) {
    for (const h of holidays.getHolidays(year)) if (h.type === 'public') days.push(h.date.slice(0, 10));
  }
  return days.sort();
}

/** England and Wales bank holidays from the year before `fromYear` for YEARS_AHEAD years, plus local closures. */
function resolveNonWorkingDays(doc: PolicyDocument, fromYear: number): string[] {
  const days = new Set(doc.nonWorkingDays.extra ?? []);
  if (doc.nonWorkingDays.source === 'england-and-wales') {
    for (const day of englandAndWalesBankHolidays(fromYear - 1, fromYear + YEARS_AHEAD)) days.add(day);
  }
  return [...days].sort();
}

/** The regional policy as written: POLICY_FILE over the defaults when it `extends: default`, else the file alone. */
function regionalDocument(file?: string): { doc: PolicyDocument; problems: string[] } {
  const defaults = structuredClone(defaultPolicy) as PolicyDocument;
  if (!file) return { doc: defaults, problems: [] };
  const { doc, problems } = readDocument(file, 'region');
  return { doc: doc.extends === 'default' ? layer(defaults, doc) : doc as PolicyDocument, problems };
}

/**
 * Validates a merged policy, resolves its non-working days and versions it. The version is a hash of the resolved
 * content, so the same rules always carry the same version and any change yields a new one.
 */
function resolvePolicy({ doc, problems: fileProblems }: { doc: PolicyDocument; problems: string[] }, file: string, now: Date): PolicySnapshot {
  const problems = [...fileProblems, ...validatePolicy(doc)];
  if (problems.length) throw invalid(file, problems);
  const rules = (doc.agenda ?? defaultPolicy.agenda) as AgendaRules;
  const agendaRules: AgendaRules = { reasons: rules.reasons, earlyAdviceWaiting: rules.earlyAdviceWaiting, bailExpiringWithin: rules.bailExpiringWithin, repeatConsultations: rules.repeatConsultations, victimNoContact: rules.victimNoContact };
  // The agenda rules carry their own version, so a sitting records what built its agenda whatever else changed.
  const agenda = { ...agendaRules, version: `agenda@${createHash('sha256').update(JSON.stringify(agendaRules)).digest('hex').slice(0, 12)}` };
  const panelRules = (doc.panels ?? defaultPolicy.panels) as PanelRules;
  const panels = { ...panelRules, version: `panels@${createHash('sha256').update(JSON.stringify(panelRules)).digest('hex').slice(0, 12)}` };
  const reportRules = (doc.reports ?? defaultPolicy.reports) as ReportDeliveryRules;
  const reports = { ...reportRules, version: `reports@${createHash('sha256').update(JSON.stringify(reportRules)).digest('hex').slice(0, 12)}` };
  const resolved = { name: doc.name, timezone: doc.timezone, clocks: doc.clocks, allocation: doc.allocation ?? [], agenda, panels, reports, nonWorkingDays: resolveNonWorkingDays(doc, now.getUTCFullYear()) };
  const version = `${doc.name}@${createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 12)}`;
  return { ...resolved, version };
}

/** The policies in force in a region: the regional one, and each force's that has its own. */
export class RegionPolicies {
  constructor(readonly region: PolicySnapshot, private readonly forces: ReadonlyMap<string, PolicySnapshot> = new Map()) {}

  /** What a new case of the force runs under: the force's own policy, else the region's. */
  forForce(forceId: string): PolicySnapshot {
    return this.forces.get(forceId) ?? this.region;
  }

  /** The forces with a policy of their own. */
  forceIds(): string[] {
    return [...this.forces.keys()];
  }

  /** Every policy in force, the region's first: each is stored by version, so any case's version can be looked up. */
  all(): PolicySnapshot[] {
    return [this.region, ...this.forces.values()];
  }
}

/**
 * The regional policy and each force's (its file layered over the regional one, `extends: region`). Every force
 * file is checked before anything is thrown, so one failed boot names every bad file and field.
 */
export function loadRegionPolicies(regionFile?: string, forceFiles: ReadonlyMap<string, string> = new Map(), now = new Date()): RegionPolicies {
  const regional = regionalDocument(regionFile);
  const region = resolvePolicy(regional, regionFile ?? 'default', now);
  const forces = new Map<string, PolicySnapshot>();
  const errors: string[] = [];
  for (const [forceId, file] of forceFiles) {
    try {
      const { doc, problems } = readDocument(file, 'force');
      forces.set(forceId, resolvePolicy({ doc: layer(regional.doc, doc), problems }, file, now));
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      errors.push(`force ${forceId}: ${err.message}`);
    }
  }
  if (errors.length) throw new PolicyError(errors.join('\n'));
  return new RegionPolicies(region, forces);
}

/** The regional policy alone (`file` over the defaults, or the defaults). */
export function loadPolicy(file?: string, now = new Date()): PolicySnapshot {
  return loadRegionPolicies(file, new Map(), now).region;
}
