import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Holidays from 'date-holidays';
import { Duration } from 'luxon';
import type { AllocationRule, ClockPolicy, PolicySnapshot } from '../workflows/contracts/policy';
import defaultPolicy from './default-policy.json';

/** A policy file as written: ISO durations, `Nwd`, `agreed`; `extends` layers it over another policy. */
interface PolicyDocument {
  name: string;
  description?: string;
  extends?: 'default';
  timezone: string;
  clocks: Record<string, ClockPolicy>;
  allocation?: AllocationRule[];
  nonWorkingDays: { source: 'england-and-wales' | 'none'; extra?: string[] };
}

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
    (clock.ladder ?? []).forEach((step, i) => {
      problems.push(...checkDuration(`clocks.${name}.ladder[${i}].after`, step.after));
      const to = Array.isArray(step.to) ? step.to : [step.to];
      if (!to.length || to.some((t) => !/^(officer|owner|prosecutor|clinic|court|(police|cps):[A-Za-z]+)$/.test(t))) {
        problems.push(`clocks.${name}.ladder[${i}].to: ${JSON.stringify(step.to)} is not officer, prosecutor, clinic or <police|cps>:<rank>`);
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
  if (!['england-and-wales', 'none'].includes(doc.nonWorkingDays?.source)) problems.push('nonWorkingDays.source must be england-and-wales or none');
  return problems;
}

function readDocument(file: string): PolicyDocument {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PolicyDocument;
  } catch (err) {
    throw new PolicyError(`cannot read policy file ${file}: ${(err as Error).message}`);
  }
}

/** England and Wales bank holidays from `fromYear` for YEARS_AHEAD years, plus local closures. */
function resolveNonWorkingDays(doc: PolicyDocument, fromYear: number): string[] {
  const days = new Set(doc.nonWorkingDays.extra ?? []);
  if (doc.nonWorkingDays.source === 'england-and-wales') {
    const holidays = new Holidays('GB', 'ENG');
    for (let year = fromYear - 1; year <= fromYear + YEARS_AHEAD; year += 1) {
      for (const h of holidays.getHolidays(year)) if (h.type === 'public') days.add(h.date.slice(0, 10));
    }
  }
  return [...days].sort();
}

/**
 * Loads, merges over the defaults, validates and versions a policy. The version is a hash of the resolved
 * content, so the same rules always carry the same version and any change yields a new one.
 */
export function loadPolicy(file?: string, now = new Date()): PolicySnapshot {
  let doc = structuredClone(defaultPolicy) as PolicyDocument;
  if (file) {
    const override = readDocument(file);
    doc = override.extends === 'default' ? { ...doc, ...override, clocks: { ...doc.clocks, ...override.clocks }, allocation: override.allocation ?? doc.allocation } : override;
  }
  const problems = validatePolicy(doc);
  if (problems.length) throw new PolicyError(`policy ${file ?? 'default'} is invalid:\n  ${problems.join('\n  ')}`);
  const resolved = { name: doc.name, timezone: doc.timezone, clocks: doc.clocks, allocation: doc.allocation ?? [], nonWorkingDays: resolveNonWorkingDays(doc, now.getUTCFullYear()) };
  const version = `${doc.name}@${createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 12)}`;
  return { ...resolved, version };
}
