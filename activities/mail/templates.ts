import Handlebars from 'handlebars';

/**
 * Email templates: a plain-text and an HTML part each. They say what the recipient must do, with a link to
 * the case; never the victim's or a suspect's identity (the URN and the stage are enough to act on).
 */
export interface MailContext {
  recipientName: string;
  caseUrn: string;
  caseLink: string;
  unit: string;
  clockName?: string;
  dueAt?: string;
  why: string;
  headline?: string;
}

interface TemplateSource {
  subject: string;
  text: string;
  html: string;
}

const layout = (body: string) => `<!doctype html><html><body style="font-family:Arial,sans-serif;color:#0b0c0c">
${body}
<p><a href="{{caseLink}}" style="color:#1d70b8">Open case {{caseUrn}}</a></p>
<p style="color:#505a5f;font-size:12px">You receive this because {{why}}. Sent by the pre-charge orchestrator.</p>
</body></html>`;

const sources: Record<string, TemplateSource> = {
  'case-registered': {
    subject: 'New RASSO case {{caseUrn}} allocated to you',
    text: `{{recipientName}},\n\nCase {{caseUrn}} ({{unit}}) has been registered with you as officer in case.\nConsider Early Advice and record the victim's support referral.\n\nOpen the case: {{caseLink}}\n\nYou receive this because {{why}}.`,
    html: layout('<p>{{recipientName}},</p><p>Case <strong>{{caseUrn}}</strong> ({{unit}}) has been registered with you as officer in case.</p><p>Consider Early Advice and record the victim\'s support referral.</p>'),
  },
  'case-action-needed': {
    subject: '{{headline}} ({{caseUrn}})',
    text: `{{recipientName}},\n\n{{headline}}.\nCase {{caseUrn}} ({{unit}}).\n\nOpen the case: {{caseLink}}\n\nYou receive this because {{why}}.`,
    html: layout('<p>{{recipientName}},</p><p><strong>{{headline}}</strong>.</p><p>Case {{caseUrn}} ({{unit}}).</p>'),
  },
  'clock-reminder': {
    subject: 'Reminder: {{clockName}} on case {{caseUrn}} is due {{dueAt}}',
    text: `{{recipientName}},\n\n{{clockName}} on case {{caseUrn}} is due {{dueAt}}.\n\nOpen the case: {{caseLink}}\n\nYou receive this because {{why}}.`,
    html: layout('<p>{{recipientName}},</p><p><strong>{{clockName}}</strong> on case <strong>{{caseUrn}}</strong> is due {{dueAt}}.</p>'),
  },
  'clock-escalation': {
    subject: 'Overdue: {{clockName}} on case {{caseUrn}} (due {{dueAt}})',
    text: `{{recipientName}},\n\n{{clockName}} on case {{caseUrn}} was due {{dueAt}} and is overdue. Please review and act or acknowledge.\n\nOpen the case: {{caseLink}}\n\nYou receive this because {{why}}.`,
    html: layout('<p>{{recipientName}},</p><p><strong>{{clockName}}</strong> on case <strong>{{caseUrn}}</strong> was due {{dueAt}} and is <strong>overdue</strong>. Please review and act or acknowledge.</p>'),
  },
};

/** What each clock is called in an email (its policy name is for machines). */
export const CLOCK_LABELS: Record<string, string> = {
  'victim.supportReferral': 'Victim referral to support services',
  'victim.keyEventUpdate': 'Victim update after a key event',
  'victim.routineUpdate': 'Routine victim update',
  'earlyAdvice.consider': 'Record whether Early Advice is sought',
  'earlyAdvice.triage': 'CPS triage of the Early Advice request',
  'earlyAdvice.advice': 'CPS Early Advice',
  'earlyAdvice.policeResponse': 'Police response to the Early Advice rejection',
  'actionPlan.item': 'Action plan item',
  'actionPlan.unanswered': 'Action plan response',
  'charging.decision': 'CPS charging decision',
  'bail.expiry': 'Pre-charge bail expiry',
  'rui.review': 'Released-under-investigation review',
  'nfa.victimNotification': 'Tell the victim of the NFA decision',
  'vrr.police.acknowledge': 'Acknowledge the Right to Review request',
  'vrr.police.decision': 'Right to Review decision (police)',
  'vrr.cps.decision': 'Right to Review decision (CPS)',
  'clinic.outcome': 'Record the clinic outcomes',
  'clinic.sitting': 'Case progression clinic',
  'clinic.submission': 'Submit the charging file (clinic outcome)',
  'clinic.nfaReview': 'Pre-NFA review (clinic outcome)',
  'clinic.escalation': 'Case escalated by the clinic',
  'custody.detention': 'Detention time limit',
  'custody.firstReview': 'First review of detention',
  'custody.furtherReview': 'Review of detention',
  'custody.chargingDecision': 'CPS charging decision for a suspect in custody',
  'thresholdTest.review': 'Full Code Test review of a Threshold Test charge',
  'bail.courtExtension': 'Court application to extend bail',
};

export type TemplateName = keyof typeof sources;
export const TEMPLATE_NAMES = Object.keys(sources) as TemplateName[];

const compiled = Object.fromEntries(
  Object.entries(sources).map(([name, s]) => [name, {
    subject: Handlebars.compile(s.subject, { noEscape: true, strict: true }),
    text: Handlebars.compile(s.text, { noEscape: true, strict: true }),
    html: Handlebars.compile(s.html, { strict: true }),
  }]),
);

export function renderMail(template: string, context: MailContext): TemplateSource {
  const t = compiled[template];
  if (!t) throw new Error(`unknown mail template "${template}"`);
  return { subject: t.subject(context), text: t.text(context), html: t.html(context) };
}

export interface DigestContext {
  recipientName: string;
  items: { caseUrn: string; clockName: string; dueAt: string; caseLink: string }[];
}

const digest = {
  subject: Handlebars.compile('Daily digest: {{items.length}} overdue item(s) escalated to you', { noEscape: true }),
  text: Handlebars.compile(`{{recipientName}},\n\nThese items on your teams' cases are overdue and were escalated to you:\n{{#each items}}\n- {{clockName}}, case {{caseUrn}}, due {{dueAt}}: {{caseLink}}{{/each}}\n\nAcknowledge each one in your inbox to stop it climbing further.\n\nYou receive this digest because you chose one daily email instead of one per escalation.`, { noEscape: true }),
  html: Handlebars.compile(`<!doctype html><html><body style="font-family:Arial,sans-serif;color:#0b0c0c"><p>{{recipientName}},</p><p>These items on your teams' cases are overdue and were escalated to you:</p><ul>{{#each items}}<li><strong>{{clockName}}</strong>, case <a href="{{caseLink}}" style="color:#1d70b8">{{caseUrn}}</a>, due {{dueAt}}</li>{{/each}}</ul><p>Acknowledge each one in your inbox to stop it climbing further.</p><p style="color:#505a5f;font-size:12px">You receive this digest because you chose one daily email instead of one per escalation.</p></body></html>`),
};

export function renderDigest(context: DigestContext): TemplateSource {
  return { subject: digest.subject(context), text: digest.text(context), html: digest.html(context) };
}

export interface ImportSummaryContext {
  recipientName: string;
  items: { caseUrn: string; clockName: string; dueAt: string; caseLink: string; escalated: boolean; flagged: boolean }[];
  inboxLink: string;
}

/**
 * The one email a person gets when cases they hold arrive by import already overdue: every item at once, in place of
 * the reminders and escalations the import did not send; breached bail and Victims' Code duties first.
 */
const importSummary = {
  subject: Handlebars.compile('Imported cases: {{items.length}} overdue item(s) for you', { noEscape: true }),
  text: Handlebars.compile(`{{recipientName}},\n\nCases brought into the pre-charge orchestrator arrived with these items already overdue. They are in your inbox; no separate reminders were sent for them.\n{{#each items}}\n- {{#if flagged}}[BREACH] {{/if}}{{clockName}}, case {{caseUrn}}, due {{dueAt}}{{#if escalated}} (escalated){{/if}}: {{caseLink}}{{/each}}\n\nYour inbox: {{inboxLink}}\n\nYou receive this because the items are yours or were escalated to you.`, { noEscape: true }),
  html: Handlebars.compile(`<!doctype html><html><body style="font-family:Arial,sans-serif;color:#0b0c0c"><p>{{recipientName}},</p><p>Cases brought into the pre-charge orchestrator arrived with these items already overdue. They are in your inbox; no separate reminders were sent for them.</p><ul>{{#each items}}<li>{{#if flagged}}<strong>Breach:</strong> {{/if}}<strong>{{clockName}}</strong>, case <a href="{{caseLink}}" style="color:#1d70b8">{{caseUrn}}</a>, due {{dueAt}}{{#if escalated}} (escalated){{/if}}</li>{{/each}}</ul><p><a href="{{inboxLink}}" style="color:#1d70b8">Open your inbox</a></p><p style="color:#505a5f;font-size:12px">You receive this because the items are yours or were escalated to you.</p></body></html>`),
};

export function renderImportSummary(context: ImportSummaryContext): TemplateSource {
  return { subject: importSummary.subject(context), text: importSummary.text(context), html: importSummary.html(context) };
}
