import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../../api/auth/principal';
import type { FieldProblem } from '../../../api/common/api-error';
import { ApiErrorFilter } from '../../../api/common/error.filter';
import { POLICIES } from '../../../api/infrastructure/tokens';
import { PanelReviewDto } from '../../../api/panels/panels.dto';
import { convenes, PanelsService, type PanelView } from '../../../api/panels/panels.service';
import type { RegionPolicies } from '../../../policy/load-policy';
import type { PanelRules } from '../../../workflows/contracts/policy';
import { type Body, fieldViews, formBody, readForm } from '../../common/forms';
import { ukDate } from '../../common/labels';
import { errorSummary, FormRejected } from '../../common/page-error.filter';
import { reviewBody, reviewFields } from './panel-forms';

/** A review the service refused: the answers and why. */
interface RefusedReview { form: Body; problems: FieldProblem[]; message: string }

/** "Panel sitting 15 Jan 2027": how a panel is named in titles and headings (no case, no person). */
export const panelName = (panel: Pick<PanelView, 'sittingAt'>) => `Panel sitting ${ukDate(panel.sittingAt)}`;

/**
 * The panel member's pages: a panel with its strata and sampled labels, and one sampled case's anonymised pack with
 * the review form. Every read and write goes through PanelsService, as the API's routes do, so who may see what, the
 * validation and the audit are the API's own.
 */
@Injectable()
export class PanelPage {
  private readonly errors = new ApiErrorFilter();

  constructor(private readonly panels: PanelsService, @Inject(POLICIES) private readonly policies: RegionPolicies) {}

  async panel(principal: Principal, id: string) {
    const panel = await this.panels.get(principal, id);
    const cases = await this.panels.cases(principal, id);
    const member = panel.members.includes(principal.id);
    return {
      pageTitle: panelName(panel), panel, cases, member,
      reviewed: cases.filter((c) => c.reviewedByMe).length,
      readsReport: convenes(principal, { forceId: panel.force, unit: panel.unit }),
    };
  }

  /** One pack: refused (withheld) packs show why, never their content; the form for a member who has yet to review it. */
  async pack(principal: Principal, id: string, label: string, refused?: RefusedReview) {
    const panel = await this.panels.get(principal, id);
    let pack;
    let withheld: string | undefined;
    try {
      pack = await this.panels.pack(principal, id, label);
    } catch (err) {
      const refusal = this.errors.toBody(err);
      if (refusal.statusCode !== 409) throw err;
      withheld = refusal.message;
    }
    const mine = (await this.panels.cases(principal, id)).find((c) => c.label === label);
    const rules = this.rulesOf(panel);
    const fields = reviewFields(rules);
    const themeNames = new Map(rules.themes.map((t) => [t.code, t.label]));
    const views = fieldViews(fields, { form: refused?.form, problems: refused?.problems }).map((f) => (f.name === 'themes' && 'items' in f
      ? { ...f, items: (f.items as { value: string; text: string }[]).map((i) => ({ ...i, text: themeNames.get(i.value) ?? i.text })) } : f));
    const canReview = !withheld && panel.members.includes(principal.id) && panel.status !== 'closed' && !mine?.reviewedByMe;
    return {
      pageTitle: `Case ${label}, ${panelName(panel)}`,
      panel, label, pack, withheld, reviewedByMe: !!mine?.reviewedByMe,
      criteria: rules.criteria,
      form: canReview ? { action: `/panels/${id}/cases/${label}/review`, fields: views } : undefined,
      ...(refused ? { errors: errorSummary(refused.message, refused.problems, { labels: new Map(fields.map((f) => [f.path, f.label])) }) } : {}),
    };
  }

  /** A review, read into the body of POST /api/panels/:id/cases/:label/review and sent to the same service. */
  async review(principal: Principal, id: string, label: string, form: Body) {
    const panel = await this.panels.get(principal, id);
    const fields = reviewFields(this.rulesOf(panel));
    try {
      const { body, problems } = readForm(fields, form);
      const dto = (await formBody(PanelReviewDto, reviewBody(body), problems, fields))!;
      return await this.panels.review(principal, id, label, dto);
    } catch (err) {
      const refusal = this.errors.toBody(err);
      if (![400, 409, 422].includes(refusal.statusCode)) throw err;
      const problems = refusal.details ?? [];
      const model = await this.pack(principal, id, label, { form, problems, message: refusal.message });
      throw new FormRejected('pages/panel-case.njk', model, refusal.statusCode, refusal.message, problems);
    }
  }

  async report(principal: Principal, id: string) {
    const panel = await this.panels.get(principal, id);
    const report = await this.panels.report(principal, id);
    const rules = this.rulesOf(panel);
    return {
      pageTitle: `Report, ${panelName(panel)}`,
      panel, report,
      scores: rules.criteria.map((c) => ({ label: c.label, ...report.scores[c.code] })),
    };
  }

  private rulesOf(panel: PanelView): PanelRules {
    return this.policies.forForce(panel.force).panels!;
  }
}
