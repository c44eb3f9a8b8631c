import type { DataSource } from 'typeorm';
import { PANEL_CRITERIA, type PanelCriterion, type PanelRules } from '../../workflows/contracts/policy';

/** What a panel found, in aggregate and under labels: no case id, no URN, no name. */
export interface PanelReport {
  panelId: string;
  scope: { force: string; unit: string | null };
  period: { from: string; to: string };
  sittingAt: string;
  status: string;
  casesSampled: number;
  casesReviewed: number;
  reviews: number;
  scores: Record<PanelCriterion, { distribution: Record<'1' | '2' | '3' | '4', number>; mean: number | null }>;
  themes: { code: string; label: string; count: number }[];
  referrals: { label: string; outcome: string | null }[];
  learningActions: { open: LearningActionLine[]; closed: LearningActionLine[] };
}

interface LearningActionLine { id: string; description: string; ownerId: string; dueAt: string; closedAt?: string }

/** The panel's report, read from its records (the API answers it; the worker emails it when the panel closes). */
export async function panelReport(db: DataSource, panelId: string, rules: Pick<PanelRules, 'themes'>): Promise<PanelReport> {
  const [panel] = (await db.query('SELECT force_id, unit, period_from, period_to, sitting_at, status FROM panels WHERE id = $1', [panelId])) as {
    force_id: string; unit: string | null; period_from: Date; period_to: Date; sitting_at: Date; status: string;
  }[];
  const [{ sampled }] = (await db.query('SELECT count(*)::int AS sampled FROM panel_cases WHERE panel_id = $1', [panelId])) as { sampled: number }[];
  const reviews = (await db.query('SELECT label, scores, themes FROM panel_reviews WHERE panel_id = $1', [panelId])) as { label: string; scores: Record<string, number>; themes: string[] }[];
  const scores = Object.fromEntries(PANEL_CRITERIA.map((c) => {
    const given = reviews.map((r) => r.scores[c]).filter((s): s is number => Number.isInteger(s));
    const distribution = { 1: 0, 2: 0, 3: 0, 4: 0 } as Record<'1' | '2' | '3' | '4', number>;
    for (const s of given) distribution[String(s) as '1'] += 1;
    return [c, { distribution, mean: given.length ? Math.round((given.reduce((a, b) => a + b, 0) / given.length) * 100) / 100 : null }];
  })) as PanelReport['scores'];
  const counts = new Map<string, number>();
  for (const r of reviews) for (const t of r.themes) counts.set(t, (counts.get(t) ?? 0) + 1);
  const labels = new Map(rules.themes.map((t) => [t.code, t.label]));
  const referrals = (await db.query('SELECT label, outcome FROM panel_referrals WHERE panel_id = $1 ORDER BY label, created_at', [panelId])) as { label: string; outcome: string | null }[];
  const actions = (await db.query('SELECT id, description, owner_id, due_at, status, closed_at FROM learning_actions WHERE panel_id = $1 ORDER BY due_at, id', [panelId])) as {
    id: string; description: string; owner_id: string; due_at: Date; status: string; closed_at: Date | null;
  }[];
  const line = (a: (typeof actions)[number]): LearningActionLine => ({ id: a.id, description: a.description, ownerId: a.owner_id, dueAt: a.due_at.toISOString(), ...(a.closed_at ? { closedAt: a.closed_at.toISOString() } : {}) });
  return {
    panelId, scope: { force: panel.force_id, unit: panel.unit }, period: { from: panel.period_from.toISOString(), to: panel.period_to.toISOString() },
    sittingAt: panel.sitting_at.toISOString(), status: panel.status,
    casesSampled: sampled, casesReviewed: new Set(reviews.map((r) => r.label)).size, reviews: reviews.length, scores,
    themes: [...counts].map(([code, count]) => ({ code, label: labels.get(code) ?? code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    referrals,
    learningActions: { open: actions.filter((a) => a.status === 'open').map(line), closed: actions.filter((a) => a.status === 'closed').map(line) },
  };
}

/** The report as plain text, for the email (the HTML part is the same lines). */
export function reportText(report: PanelReport, criteria: PanelRules['criteria']): string {
  const lines = [
    `Scrutiny panel of ${report.sittingAt.slice(0, 10)} (${report.scope.unit ?? report.scope.force}), cases closed ${report.period.from.slice(0, 10)} to ${report.period.to.slice(0, 10)}.`,
    `Cases sampled: ${report.casesSampled}; reviewed: ${report.casesReviewed} (${report.reviews} reviews).`,
    '', 'Scores (1 poor to 4 good): count of 1 / 2 / 3 / 4, mean',
    ...criteria.map((c) => { const s = report.scores[c.code]; return `- ${c.label}: ${s.distribution[1]} / ${s.distribution[2]} / ${s.distribution[3]} / ${s.distribution[4]}, mean ${s.mean ?? 'n/a'}`; }),
    '', 'Themes:', ...(report.themes.length ? report.themes.map((t) => `- ${t.label}: ${t.count}`) : ['- none named']),
    '', `Referrals recommended: ${report.referrals.length}`, ...report.referrals.map((r) => `- ${r.label}: ${r.outcome ?? 'awaiting the DCI'}`),
    '', `Learning actions: ${report.learningActions.open.length} open, ${report.learningActions.closed.length} closed`,
    ...report.learningActions.open.map((a) => `- open, due ${a.dueAt.slice(0, 10)}: ${a.description}`),
    ...report.learningActions.closed.map((a) => `- closed ${a.closedAt?.slice(0, 10)}: ${a.description}`),
  ];
  return lines.join('\n');
}
