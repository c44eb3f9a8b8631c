import type { AllocationRule } from '../contracts/policy';

export interface AllocationFacts {
  offenceType: string;
  penetrative: boolean;
  victimVulnerable: boolean;
  committedTo: string;
  reportedAt: string;
  requestedUnit: string;
}

export interface Allocation {
  unit: string;
  ruleId: string;
  description: string;
}

const DAY = 24 * 60 * 60 * 1000;

/** The first rule whose every condition holds decides the unit; the answer says which rule and why. */
export function allocate(rules: AllocationRule[], facts: AllocationFacts): Allocation {
  for (const rule of rules) {
    const w = rule.when;
    if (w.offenceTypes && !w.offenceTypes.includes(facts.offenceType)) continue;
    if (w.penetrative !== undefined && w.penetrative !== facts.penetrative) continue;
    if (w.victimVulnerable !== undefined && w.victimVulnerable !== facts.victimVulnerable) continue;
    if (w.reportedAfterDays !== undefined && Date.parse(facts.reportedAt) - Date.parse(facts.committedTo) < w.reportedAfterDays * DAY) continue;
    return { unit: rule.unit ?? facts.requestedUnit, ruleId: rule.id, description: rule.description };
  }
  return { unit: facts.requestedUnit, ruleId: 'none', description: 'No allocation rule matched: the unit chosen at registration' };
}
