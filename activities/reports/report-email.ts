import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import type { Report } from '../../api/reports/report';
import { reportCsvFileName } from '../../api/reports/report-csv';
import type { MailAttachment, MailMessage } from '../mail/notify';
import { type Chart, chartPng } from './charts';
import { figureGroups, periodHeadings, periodLabel, trendTable, unitTable } from './figure-rows';

/**
 * The monthly pack's and the quarterly report's email: an HTML part with each chart as an inline PNG (a `cid:` image,
 * which mail clients show where they block remote images and SVG) with its text alternative, the figures in a table
 * (this period, the one before, a year before), a plain-text part with the same figures and the charts' alternatives in
 * words, and the CSV attached. Aggregates only: no case id, URN or name ever reaches it.
 */
export interface ReportEmailInput {
  report: Report;
  charts: Chart[];
  csv: string;
  recipientName: string;
  /** Why they get it, for the footer. */
  why: string;
  /** The monthly meeting it is for (UTC instant). */
  meetingAt?: string;
  reportsLink: string;
}

const TD = 'style="border-bottom:1px solid #b1b4b6;padding:6px 10px;text-align:right"';
const TH = 'style="border-bottom:1px solid #b1b4b6;padding:6px 10px;text-align:left;font-weight:normal"';

const html = Handlebars.compile(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="font-family:Arial,sans-serif;color:#0b0c0c;max-width:680px">
<p>{{recipientName}},</p>
<h1 style="font-size:24px">{{title}}</h1>
<p>{{scopeName}}, {{period}}.{{#if meeting}} For the RASSO performance meeting on {{meeting}}.{{/if}} Figures as at {{generatedAt}}; the CSV attached holds every figure with its definition.</p>
{{#each charts}}
<h2 style="font-size:18px">{{title}}</h2>
<p><img src="cid:{{cid}}" alt="{{alt}}" width="{{width}}" height="{{height}}" style="max-width:100%;height:auto"></p>
{{/each}}
{{#each groups}}
<table style="border-collapse:collapse;margin:16px 0;font-size:14px;width:100%">
<caption style="text-align:left;font-weight:bold;font-size:16px;padding:8px 0">{{title}}</caption>
<thead><tr><th scope="col" style="border-bottom:2px solid #0b0c0c;padding:6px 10px;text-align:left">Figure</th><th scope="col" style="border-bottom:2px solid #0b0c0c;padding:6px 10px;text-align:right">{{../headings.current}}</th><th scope="col" style="border-bottom:2px solid #0b0c0c;padding:6px 10px;text-align:right">{{../headings.previous}}</th><th scope="col" style="border-bottom:2px solid #0b0c0c;padding:6px 10px;text-align:right">{{../headings.yearBefore}}</th></tr></thead>
<tbody>{{#each rows}}<tr><th scope="row" ${TH}>{{label}}</th><td ${TD}>{{current}}</td><td ${TD}>{{previous}}</td><td ${TD}>{{yearBefore}}</td></tr>{{/each}}</tbody>
</table>
{{/each}}
{{#each extraTables}}
<table style="border-collapse:collapse;margin:16px 0;font-size:13px;width:100%">
<caption style="text-align:left;font-weight:bold;font-size:16px;padding:8px 0">{{caption}}</caption>
<thead><tr>{{#each headings}}<th scope="col" style="border-bottom:2px solid #0b0c0c;padding:6px 8px;text-align:{{#if @first}}left{{else}}right{{/if}}">{{this}}</th>{{/each}}</tr></thead>
<tbody>{{#each rows}}<tr>{{#each this}}{{#if @first}}<th scope="row" ${TH}>{{this}}</th>{{else}}<td ${TD}>{{this}}</td>{{/if}}{{/each}}</tr>{{/each}}</tbody>
</table>
{{/each}}
<p><a href="{{reportsLink}}" style="color:#1d70b8">Open the reports page</a></p>
<p style="color:#505a5f;font-size:12px">You receive this because {{why}}. Aggregate figures only. Sent by the pre-charge orchestrator.</p>
</body></html>`, { strict: true });

const text = Handlebars.compile(`{{recipientName}},

{{title}}
{{scopeName}}, {{period}}.{{#if meeting}} For the RASSO performance meeting on {{meeting}}.{{/if}}
Figures as at {{generatedAt}}; the CSV attached holds every figure with its definition.
{{#each groups}}

{{title}} ({{../headings.current}} / {{../headings.previous}} / {{../headings.yearBefore}})
{{#each rows}}- {{label}}: {{current}} / {{previous}} / {{yearBefore}}
{{/each}}{{/each}}
{{#each extraTables}}

{{caption}} ({{#each headings}}{{#unless @first}}{{this}}{{#unless @last}} / {{/unless}}{{/unless}}{{/each}})
{{#each rows}}- {{#each this}}{{#if @first}}{{this}}: {{else}}{{this}}{{#unless @last}} / {{/unless}}{{/if}}{{/each}}
{{/each}}{{/each}}
Charts (shown as images in the HTML version):
{{#each charts}}- {{alt}}
{{/each}}
Reports page: {{reportsLink}}

You receive this because {{why}}. Aggregate figures only.`, { noEscape: true, strict: true });

export function renderReportEmail(input: ReportEmailInput): Omit<MailMessage, 'to' | 'messageId'> {
  const { report } = input;
  const title = report.kind === 'monthly' ? 'Monthly RASSO performance pack' : 'Quarterly RASSO report';
  const period = periodLabel(report.period);
  const subject = `${title}: ${period}, ${report.total.scope.name}`;
  const context = {
    subject, title, period, recipientName: input.recipientName, why: input.why, reportsLink: input.reportsLink,
    scopeName: report.total.scope.name,
    meeting: input.meetingAt ? DateTime.fromISO(input.meetingAt).setZone('Europe/London').toFormat("cccc d LLLL yyyy 'at' HH:mm") : '',
    generatedAt: DateTime.fromISO(report.generatedAt).setZone('Europe/London').toFormat('d LLLL yyyy HH:mm'),
    headings: periodHeadings(report),
    groups: figureGroups(report.total),
    extraTables: [{ caption: `${report.kind === 'monthly' ? 'The last 13 months' : 'The last 13 quarters'}`, ...trendTable(report) }, { caption: `By unit, ${period}`, ...unitTable(report) }],
    charts: input.charts.map((c) => ({ cid: `${c.id}@report`, title: c.title, alt: c.alt, width: c.width, height: c.height })),
  };
  const attachments: MailAttachment[] = [
    ...input.charts.map((c) => ({ filename: `${c.id}.png`, contentType: 'image/png', content: chartPng(c), cid: `${c.id}@report` })),
    { filename: reportCsvFileName(report), contentType: 'text/csv; charset=utf-8', content: input.csv },
  ];
  return { subject, html: html(context), text: text(context), attachments };
}
