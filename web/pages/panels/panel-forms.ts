import type { Body, Field } from '../../common/forms';
import type { PanelRules } from '../../../workflows/contracts/policy';

/**
 * A member's review of one sampled case: the body of POST /api/panels/:id/cases/:label/review. Each criterion is scored
 * 1 (poor) to 4 (good) under the policy's own name for it; themes come from the policy's list.
 */
export function reviewFields(rules: Pick<PanelRules, 'criteria' | 'themes'>): Field[] {
  return [
    ...rules.criteria.map((c): Field => ({ kind: 'radios', path: `scores.${c.code}`, label: c.label, labels: 'panelScore', values: [1, 2, 3, 4], numeric: true })),
    { kind: 'checkboxes', path: 'themes', label: 'Themes this case shows (optional)', labels: 'panelTheme', values: rules.themes.map((t) => t.code), hint: 'Select all that apply' },
    { kind: 'textarea', path: 'comments', label: 'Comments (optional)', hint: 'Refer to people by their role in the pack (the victim, suspect 1), never by name.', rows: 4, optional: true },
    { kind: 'yesno', path: 'recommend', label: 'Recommend a referral of this case?', hint: 'The panel cannot reopen a case. A referral goes to the unit\'s DCI, who records what is done.' },
    { kind: 'textarea', path: 'recommendReferral.reason', label: 'Why the case should be referred (if you recommend it)', rows: 3, optional: true },
  ];
}

/**
 * The form's answers as the API's body: comments left blank are an empty comment, and a referral is only sent when the
 * member says yes (with its reason, even a blank one, so the API's own validation asks for it).
 */
export function reviewBody(body: Body): Body {
  const rest: Body = { ...body, comments: body.comments ?? '', themes: body.themes ?? [] };
  const reason = (body.recommendReferral as { reason?: string } | undefined)?.reason;
  delete rest.recommend;
  delete rest.recommendReferral;
  return body.recommend === true ? { ...rest, recommendReferral: { reason: reason ?? '' } } : rest;
}
