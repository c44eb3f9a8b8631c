/**
 * Roles carried in tokens (docs/api.md) and ranks/grades in the people directory. `custody`: a custody officer, whom
 * a detention clock's steps reach (PACE gives the custody officer, not a rank, the duty to keep the detention lawful).
 */
export const ROLES = ['officer', 'supervisor', 'cps', 'panel', 'analyst', 'admin', 'custody'] as const;
export type Role = (typeof ROLES)[number];

export const ORGANISATIONS = ['police', 'cps', 'independent', 'system'] as const;
export type Organisation = (typeof ORGANISATIONS)[number];

/**
 * Police ranks then CPS grades, each list in order of seniority (escalations climb these). `ACC`: an assistant chief
 * constable or (in the Metropolitan and City forces) a commander, who may designate a case exceptionally complex.
 */
export const POLICE_RANKS = ['DC', 'PC', 'DS', 'DI', 'DCI', 'Superintendent', 'ChiefSuperintendent', 'ACC'] as const;
export const CPS_GRADES = ['Paralegal', 'Prosecutor', 'SeniorProsecutor', 'DCP', 'SDCP', 'CCP'] as const;
export const OTHER_RANKS = ['PanelMember', 'Analyst', 'Administrator'] as const;
export const RANKS = [...POLICE_RANKS, ...CPS_GRADES, ...OTHER_RANKS] as const;
export type Rank = (typeof RANKS)[number];
