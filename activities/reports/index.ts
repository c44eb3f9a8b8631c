import { ApplicationFailure } from '@temporalio/common';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { REPORT_ZONE } from '../../api/reports/periods';
import type { Report } from '../../api/reports/report';
import { ApiError } from '../../api/common/api-error';
import { type ReportFiguresPort, type ReportScope, reportScopeOf } from '../../api/reports/report-figures.port';
import { reportScopeFor } from '../../api/reports/reports.service';
import type { Role } from '../../workflows/contracts';
import type { Logger } from '../../infra/logger';
import type { DeliverReportInput, DeliverReportResult, ReportRecipientRule } from '../../workflows/contracts/reports';
import { queueEmail } from '../mail/outbox';
import { reportCharts } from './charts';
import { renderReportEmail } from './report-email';

interface Recipient {
  id: string; name: string; email: string; unit: string; roles: Role[]; force_id: string | null; area_id: string | null;
  /** The force of the recipient's unit when it is a police unit. */
  unit_force_id: string | null;
}

interface Named { person: Recipient; rule: ReportRecipientRule; scope: ReportScope | null }

const WHY: Record<string, string> = { person: 'you are named', role: 'your role is named', police: 'your rank is named', cps: 'your grade is named' };

/**
 * The recipient's figures: what GET /api/reports/... would answer them (reportScopeFor: a supervisor their force, CPS
 * staff their area, an analyst their force, area or the region), narrowed to their own unit when the rule says `unit`
 * and that unit is a police unit of it. Null for someone who may not read reports at all: they are sent nothing.
 */
function scopeOf(person: Recipient, rule: ReportRecipientRule): ReportScope | null {
  let allowed;
  try {
    allowed = reportScopeFor({ roles: person.roles, forceId: person.force_id, areaId: person.area_id });
  } catch (err) {
    if (err instanceof ApiError) return null;
    throw err;
  }
  if (rule.scope === 'unit' && allowed.level === 'force' && person.unit_force_id === allowed.id) return { level: 'unit', id: person.unit };
  return reportScopeOf(allowed);
}

/**
 * Builds and sends a scheduled report: the recipients the rules name (active people of the directory), one report per
 * scope they read (its charts drawn and CSV rendered once, and only while someone's email is still to go), each
 * email sent at most once per report, period and person (outbound_emails), and the sending recorded with the rules'
 * and policy's versions (report_deliveries).
 */
export function reportActivities(deps: { dataSource: DataSource; publicUrl: string; logger: Logger; reportFigures?: ReportFiguresPort }) {
  /** Who the rules name (the first rule naming a person decides their scope), and the figures each may read. */
  async function recipientsOf(rules: ReportRecipientRule[]): Promise<Map<string, Named>> {
    const found = new Map<string, Named>();
    for (const rule of rules) {
      const [kind, value] = [rule.to.slice(0, rule.to.indexOf(':')), rule.to.slice(rule.to.indexOf(':') + 1)];
      const where = kind === 'person' ? 'p.id = $1::uuid' : kind === 'role' ? '$1 = ANY(p.roles)' : 'p.organisation = $2 AND p.rank = $1';
      const rows = (await deps.dataSource.query(
        `SELECT p.id, p.name, p.email, p.unit, p.roles, p.force_id, p.area_id, u.force_id AS unit_force_id
         FROM people p LEFT JOIN units u ON u.id = p.unit AND u.organisation = 'police'
         WHERE p.active AND ${where} ORDER BY p.name, p.id`, kind === 'person' || kind === 'role' ? [value] : [value, kind],
      )) as Recipient[];
      for (const person of rows) if (!found.has(person.id)) found.set(person.id, { person, rule, scope: scopeOf(person, rule) });
    }
    return found;
  }

  return {
    /**
     * The figures of the month and the quarter ended by the morning of `day` (London; by now without it), computed and
     * kept for every police unit before anyone asks for them (ReportFigures keeps each unit's complete periods): the
     * first person to open the pack reads kept figures rather than waiting for them to be computed. Run every morning
     * and at the end of an import, it also puts back what a back-dated write made the figures forget.
     */
    async keepReportFigures(input: { day?: string }): Promise<void> {
      const figures = deps.reportFigures;
      if (!figures) throw ApplicationFailure.nonRetryable('this worker was started without the report figures', 'ReportFiguresUnavailable');
      const at = input.day ? DateTime.fromISO(input.day, { zone: REPORT_ZONE }).toJSDate() : new Date();
      for (const kind of ['monthly', 'quarterly'] as const) await figures.keep(kind, at);
    },

    async deliverReport(input: DeliverReportInput): Promise<DeliverReportResult> {
      const figures = deps.reportFigures;
      if (!figures) throw ApplicationFailure.nonRetryable('this worker was started without the report figures', 'ReportFiguresUnavailable');
      const named = await recipientsOf(input.recipients);
      const recipients = [...named.values()].filter((r): r is Named & { scope: ReportScope } => r.scope !== null);
      if (recipients.length < named.size) deps.logger.warn({ kind: input.kind, periodId: input.periodId, notAllowed: named.size - recipients.length }, 'report recipients named by the rules who may not read reports were sent nothing');
      const built = new Map<string, Promise<{ report: Report; charts: ReturnType<typeof reportCharts>; csv: string }>>();
      const build = (scope: ReportScope) => {
        const key = `${scope.level}:${scope.id ?? ''}`;
        if (!built.has(key)) {
          built.set(key, figures.report(input.kind, input.periodId, scope).then((report) => ({ report, charts: reportCharts(report), csv: figures.csv(report) })));
        }
        return built.get(key)!;
      };
      let sent = 0;
      for (const { person, rule, scope } of recipients) {
        const fresh = await queueEmail(deps.dataSource, {
          key: `report:${input.kind}:${input.periodId}:${person.id}`, to: person, template: `report-${input.kind}`,
          render: async () => {
            const { report, charts, csv } = await build(scope);
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
        [input.kind, input.periodId, input.sendOn, input.meetingAt ?? null, input.heldUntilPeriodEnd ?? false, input.rulesVersion, input.policyVersion, recipients.length, sent],
      );
      deps.logger.info({ kind: input.kind, periodId: input.periodId, recipients: recipients.length, sent, rulesVersion: input.rulesVersion }, 'scheduled report delivered');
      return { recipients: recipients.length, sent };
    },
  };
}
