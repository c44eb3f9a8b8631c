import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../infra/logger';
import { queueEmail } from './outbox';
import { CLOCK_LABELS, renderDigest } from './templates';

interface DigestRow { task_id: string; person_id: string; name: string; email: string; urn: string; case_id: string; clock_name: string; due_at: Date }

/** One email per supervisor listing the escalations they chose to receive as a digest, then marks them sent. */
export function digestActivities(deps: { dataSource: DataSource; publicUrl: string; logger: Logger }) {
  return {
    async sendEscalationDigests({ day }: { day: string }): Promise<{ people: number; tasks: number }> {
      const rows: DigestRow[] = await deps.dataSource.query(`
        SELECT t.id AS task_id, p.id AS person_id, p.name, p.email, c.urn, c.id AS case_id, t.clock_name, t.due_at
          FROM tasks t JOIN people p ON p.id = t.person_id JOIN cases c ON c.id = t.case_id
         WHERE t.delivery = 'daily-digest' AND t.digest_sent_at IS NULL AND t.status = 'open' AND p.active
         ORDER BY p.id, t.due_at`);
      const byPerson = new Map<string, DigestRow[]>();
      for (const row of rows) byPerson.set(row.person_id, [...(byPerson.get(row.person_id) ?? []), row]);
      for (const [personId, items] of byPerson) {
        const key = `digest:${day}:${personId}`;
        const fresh = await queueEmail(deps.dataSource, {
          key, to: { id: personId, email: items[0].email }, template: 'escalation-digest',
          render: () => renderDigest({
            recipientName: items[0].name,
            items: items.map((i) => ({
              caseUrn: i.urn, clockName: CLOCK_LABELS[i.clock_name] ?? i.clock_name,
              dueAt: DateTime.fromJSDate(new Date(i.due_at)).setZone('Europe/London').toFormat("ccc d LLL yyyy 'at' HH:mm"),
              caseLink: `${deps.publicUrl.replace(/\/$/, '')}/cases/${i.case_id}`,
            })),
          }),
        });
        await deps.dataSource.query('UPDATE tasks SET digest_sent_at = now() WHERE id = ANY($1)', [items.map((i) => i.task_id)]);
        deps.logger.info({ personId, tasks: items.length, fresh }, 'escalation digest sent');
      }
      return { people: byPerson.size, tasks: rows.length };
    },
  };
}
