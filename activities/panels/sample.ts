import { createHash } from 'node:crypto';
import type { PanelRules } from '../../workflows/contracts/policy';

/** A stratum's population: its cases' ids, in any order (the draw sorts them). */
export interface StratumPopulation { code: string; caseIds: string[] }

export interface StratumDraw { code: string; label: string; population: number; drawn: number; empty: boolean; caseIds: string[] }

/**
 * A seeded PRNG (mulberry32 over the first 32 bits of SHA-256 of the seed and a purpose): the same seed always gives
 * the same numbers, on any machine. Not for secrets; for a draw anyone can repeat from the recorded seed.
 */
export function seededRandom(seed: string, purpose: string): () => number {
  let state = createHash('sha256').update(`${seed}\u0000${purpose}`).digest().readUInt32BE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` items drawn without replacement by a partial Fisher–Yates shuffle over `items` sorted, so input order never matters. */
export function drawFrom(items: readonly string[], count: number, random: () => number): string[] {
  const pool = [...items].sort();
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i += 1) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

/**
 * How many NFA cases a panel reviews: the larger of the count and the percentage of the NFA population (domain.md §6.3),
 * at most `maxCases`, or the size the convenor asked for; never more than there are.
 */
export function nfaSampleSize(rules: Pick<PanelRules, 'minCases' | 'nfaPercent' | 'maxCases'>, nfaPopulation: number, requested?: number | null): number {
  const wanted = requested ?? Math.min(rules.maxCases, Math.max(rules.minCases, Math.ceil((rules.nfaPercent / 100) * nfaPopulation)));
  return Math.min(wanted, nfaPopulation);
}

/**
 * Shares the NFA sample among the NFA strata: one case each for every stratum that has any (so no kind of closure goes
 * unseen), then each further case to the stratum furthest below its proportional share. Contrast strata draw their
 * fixed number. Deterministic: ties go to the stratum listed first.
 */
export function allocate(rules: Pick<PanelRules, 'strata' | 'minCases' | 'nfaPercent' | 'maxCases'>, populations: ReadonlyMap<string, number>, requested?: number | null): Map<string, number> {
  const pop = (code: string) => populations.get(code) ?? 0;
  const nfa = rules.strata.filter((s) => s.nfa);
  const nfaPopulation = nfa.reduce((sum, s) => sum + pop(s.code), 0);
  let budget = nfaSampleSize(rules, nfaPopulation, requested);
  const size = budget;
  const shares = new Map(rules.strata.map((s) => [s.code, s.nfa ? 0 : Math.min(s.fixed ?? 0, pop(s.code))]));
  for (const s of nfa) {
    if (budget > 0 && pop(s.code) > 0) { shares.set(s.code, 1); budget -= 1; }
  }
  for (; budget > 0; budget -= 1) {
    let best: { code: string; gap: number } | undefined;
    for (const s of nfa) {
      if (shares.get(s.code)! >= pop(s.code)) continue;
      const gap = (pop(s.code) * size) / nfaPopulation - shares.get(s.code)!;
      if (!best || gap > best.gap) best = { code: s.code, gap };
    }
    if (!best) break;
    shares.set(best.code, shares.get(best.code)! + 1);
  }
  return shares;
}

/**
 * The stratified random draw: each stratum's cases drawn from its population by a PRNG seeded with the panel's seed and
 * the stratum's code. The same seed over the same cases always draws the same sample; an empty stratum is reported
 * (population 0, drawn 0, `empty`), not an error.
 */
export function drawSample(rules: Pick<PanelRules, 'strata' | 'minCases' | 'nfaPercent' | 'maxCases'>, seed: string, populations: readonly StratumPopulation[], requested?: number | null): StratumDraw[] {
  const byCode = new Map(populations.map((p) => [p.code, p.caseIds]));
  const shares = allocate(rules, new Map(rules.strata.map((s) => [s.code, byCode.get(s.code)?.length ?? 0])), requested);
  return rules.strata.map((s) => {
    const ids = byCode.get(s.code) ?? [];
    const caseIds = drawFrom(ids, shares.get(s.code) ?? 0, seededRandom(seed, `stratum:${s.code}`));
    return { code: s.code, label: s.label, population: ids.length, drawn: caseIds.length, empty: ids.length === 0, caseIds };
  });
}

/**
 * The order the drawn cases are labelled in: shuffled by the seed, so a label's number says nothing of its stratum.
 * Labels name the period's quarter: `P-2026Q4-03`.
 */
export function labelCases(seed: string, periodTo: Date, draws: readonly StratumDraw[]): { label: string; caseId: string; stratum: string; position: number }[] {
  const all = draws.flatMap((d) => d.caseIds.map((caseId) => ({ caseId, stratum: d.code })));
  const order = drawFrom(all.map((a) => a.caseId), all.length, seededRandom(seed, 'labels'));
  const last = new Date(periodTo.getTime() - 1);
  const quarter = `${last.getUTCFullYear()}Q${Math.floor(last.getUTCMonth() / 3) + 1}`;
  return order.map((caseId, i) => ({
    label: `P-${quarter}-${String(i + 1).padStart(2, '0')}`, caseId, stratum: all.find((a) => a.caseId === caseId)!.stratum, position: i,
  }));
}
