import { Duration } from 'luxon';
import { PANEL_CLOSURES, PANEL_CRITERIA, type PanelRules } from '../workflows/contracts/policy';

const PANEL_FIELDS = ['cadence', 'period', 'minCases', 'nfaPercent', 'maxCases', 'strata', 'criteria', 'themes'];
const CODE = /^[a-z][a-zA-Z0-9-]{1,40}$/;

/** What is wrong with a policy's panel rules (after layering: every field present). */
export function panelRulesProblems(panels: Partial<PanelRules>): string[] {
  if (!panels || typeof panels !== 'object' || Array.isArray(panels)) return ['panels must be an object'];
  const problems = Object.keys(panels).filter((k) => !PANEL_FIELDS.includes(k)).map((k) => `panels.${k}: unknown field (panels has ${PANEL_FIELDS.join(', ')})`);
  if (typeof panels.cadence !== 'string' || !/^FREQ=/.test(panels.cadence)) problems.push('panels.cadence must be RRULE parts, e.g. FREQ=MONTHLY;INTERVAL=3');
  if (typeof panels.period !== 'string' || !Duration.fromISO(panels.period).isValid || Duration.fromISO(panels.period).as('days') < 1) problems.push('panels.period must be an ISO-8601 duration of at least a day');
  const whole = (field: 'minCases' | 'maxCases', min: number) => {
    if (!Number.isInteger(panels[field]) || (panels[field] as number) < min) problems.push(`panels.${field} must be a whole number of at least ${min}`);
  };
  whole('minCases', 1);
  whole('maxCases', 1);
  if ((panels.maxCases ?? 0) < (panels.minCases ?? 0)) problems.push('panels.maxCases must not be below panels.minCases');
  if (typeof panels.nfaPercent !== 'number' || panels.nfaPercent < 0 || panels.nfaPercent > 100) problems.push('panels.nfaPercent must be a percentage (0 to 100)');
  const strata = Array.isArray(panels.strata) ? panels.strata : [];
  if (!strata.length) problems.push('panels.strata must list at least one stratum');
  const codes = new Set<string>();
  strata.forEach((s, i) => {
    if (!CODE.test(s?.code ?? '') || codes.has(s.code)) problems.push(`panels.strata[${i}].code must be a unique code`);
    codes.add(s?.code);
    if (!(PANEL_CLOSURES as readonly string[]).includes(s?.closure)) problems.push(`panels.strata[${i}].closure must be one of ${PANEL_CLOSURES.join(', ')}`);
    if (s?.outcomeCodes !== undefined && (!Array.isArray(s.outcomeCodes) || s.outcomeCodes.some((c) => !Number.isInteger(c) || c < 0 || c > 22))) problems.push(`panels.strata[${i}].outcomeCodes must be Home Office outcome codes`);
    if (typeof s?.nfa !== 'boolean') problems.push(`panels.strata[${i}].nfa must be true or false`);
    if (!s?.nfa && (!Number.isInteger(s?.fixed) || (s.fixed as number) < 1)) problems.push(`panels.strata[${i}].fixed: a contrast stratum draws a fixed number (at least 1)`);
  });
  const criteria = Array.isArray(panels.criteria) ? panels.criteria.map((c) => c?.code) : [];
  if (criteria.length !== PANEL_CRITERIA.length || PANEL_CRITERIA.some((c) => !criteria.includes(c))) problems.push(`panels.criteria must label each of ${PANEL_CRITERIA.join(', ')}`);
  const themes = Array.isArray(panels.themes) ? panels.themes : [];
  if (!themes.length || themes.some((t) => !CODE.test(t?.code ?? '') || typeof t.label !== 'string') || new Set(themes.map((t) => t.code)).size !== themes.length) {
    problems.push('panels.themes must list unique codes, each with a label');
  }
  return problems;
}
