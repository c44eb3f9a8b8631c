import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import type { Report } from '../../api/reports/report';
import type { ReportFiguresPort, ReportScope } from '../../api/reports/report-figures.port';
import type { Logger } from '../../infra/logger';
import type { DeliverReportInput, DeliverReportResult, ReportRecipientRule } from '../../workflows/contracts/reports';
import type { MailSender } from '../mail/notify';
import { sendOnce } from '../mail/outbox';
import { reportCharts } from './charts';
import { renderReportEmail } from './report-email';

interface Recipient { id: string; name: string; email: string; unit: string; force_id: string | null; area_id: string | null }

const WHY: Record<string, string> = { person: 'you are named', role: 'your role is named', police: 'your rank is named', cps: 'your grade is named' };

/** The recipient's figures: their unit's, their force's (a CPS person: their area's) or their area's (none: the region's). */
function scopeOf(person: Recipient, rule: ReportRecipientRule): ReportScope {
  if (rule.scope === 'unit') return { level: 'unit', id: person.unit };
  if (rule.scope === 'force' && person.force_id) return { level: 'force', id: person.force_id };
  return { level: 'area', id: person.area_id };
}

/**
 * Builds and sends a scheduled report: the recipients the rules name (active people of the directory), one report per
 * scope they read (its charts drawn and CSV rendered once, and only while someone's email is still to go), each
 * email sent at most once per report, period and person (outbound_emails), and the sending recorded with the rules'
 * and policy's versions (report_deliveries).
 */
export function reportActivities(deps: { dataSource: DataSource; mailer: MailSender; publicUrl: string; logger: Logger; reportFigures?: ReportFiguresPort }) {
  async function recipientsOf(rules: ReportRecipientRule[]): Promise<Map<string, { person: Recipient; rule: ReportRecipientRule }>> {
    const found = new Map<string, { person: Recipient; rule: ReportRecipientRule }>();
    for (const rule of rules) {
      const [kind, value] = [rule.to.slice(0, rule.to.indexOf(':')), rule.to.slice(rule.to.indexOf(':') + 1)];
      const where = kind === 'person' ? 'id = $1::uuid' : kind === 'role' ? '$1 = ANY(roles)' : 'organisation = $2 AND rank = $1';
      const rows = (await deps.dataSource.query(
        `SELECT id, name, email, unit, force_id, area_id FROM people WHERE active AND ${where} ORDER BY name, id`, kind === 'person' || kind === 'role' ? [value] : [value, kind],
      )) as Recipient[];
      for (const person of rows) if (!found.has(person.id)) found.set(person.id, { person, rule });
    }
    return found;
  }

  return {
    async deliverReport(input: DeliverReportInput): Promise<DeliverReportResult> {
      const figures = deps.reportFigures;
      if (!figures) throw ApplicationFailure.nonRetryable('the report figures service is not wired into the worker', 'ReportFiguresUnavailable');
      const recipients = await recipientsOf(input.recipients);
      const built = new Map<string, Promise<{ report: Report; charts: ReturnType<typeof reportCharts>; csv: string }>>();
      const build = (scope: ReportScope) => {
        const key = `${scope.level}:${scope.id ?? ''}`;
        if (!built.has(key)) {
          built.set(key, figures.report(input.kind, input.periodId, scope).then((report) => ({ report, charts: reportCharts(report), csv: figures.csv(report) })));
        }
        return built.get(key)!;
      };
      let sent = 0;
      for (const { person, rule } of recipients.values()) {
        const fresh = await sendOnce(deps, {
          key: `report:${input.kind}:${input.periodId}:${person.id}`, to: person, template: `report-${input.kind}`,
          render: async () => {
            const { report, charts, csv } = await build(scopeOf(person, rule));
            return renderReportEmail({
              report, charts, csv, recipientName: person.name, meetingAt: input.meetingAt,
              why: `${WHY[rule.to.split(':')[0]] ?? 'you are named'} in the report delivery rules (${input.rulesVersion})`,
              reportsLink: `${deps.publicUrl.replace(/\/$/, '')}/reports?period=${input.periodId}`,
            });
          },
        });
        if (fresh) sent += 1;
      }
      await deps.dataSource.query(
        `INSERT INTO report_deliveries (kind, period_id, send_on, meeting_at, held_until_period_end, rules_version, policy_version, recipients, sent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (kind, period_id) DO UPDATE SET rules_version = EXCLUDED.rules_version, policy_version = EXCLUDED.policy_version,
           recipients = EXCLUDED.recipients, sent = report_deliveries.sent + EXCLUDED.sent, delivered_at = now()`,
        [input.kind, input.periodId, input.sendOn, input.meetingAt ?? null, input.heldUntilPeriodEnd ?? false, input.rulesVersion, input.policyVersion, recipients.size, sent],
      );
      deps.logger.info({ kind: input.kind, periodId: input.periodId, recipients: recipients.size, sent, rulesVersion: input.rulesVersion }, 'scheduled report delivered');
      return { recipients: recipients.size, sent };
    },
  };
}
