import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { CaseRecord, OutboundEmail, Person } from '../../db/entities';
import type { Logger } from '../../infra/logger';
import { DateTime } from 'luxon';
import { CLOCK_LABELS, renderMail } from './templates';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** The port the notify activity sends through: nodemailer in the worker, anything in a test. */
export interface MailSender {
  send(message: MailMessage): Promise<void>;
}

export interface NotifyInput {
  /** Idempotency key: workflow id + purpose (+ clock + step). One email per key and recipient, ever. */
  key: string;
  caseId: string;
  template: string;
  /** `officer`/`owner` (the officer in case) or `<organisation>:<rank>` up the officer's supervision chain. */
  recipients: string[];
  clock?: { name: string; dueAt: string; step: number };
}

export interface NotifyDeps {
  dataSource: DataSource;
  mailer: MailSender;
  publicUrl: string;
  logger: Logger;
}

/** Times in emails are UK local, as the people reading them think of them. */
const MAIL_TIMEZONE = 'Europe/London';

const WHY: Record<string, string> = {
  officer: 'you are the officer in case',
  owner: 'you are the officer in case',
};

/** Sends the emails a step calls for. Each (key, recipient) is sent at most once, whatever the retries. */
export function notifyActivities({ dataSource, mailer, publicUrl, logger }: NotifyDeps) {
  async function resolve(recipient: string, officerId: string): Promise<Person | null> {
    const people = dataSource.getRepository(Person);
    const officer = await people.findOneBy({ id: officerId });
    if (recipient === 'officer' || recipient === 'owner') return officer;
    const [organisation, rank] = recipient.split(':');
    // Climb the officer's supervision chain to the first person of that rank (e.g. police:DS).
    let current = officer;
    for (let hops = 0; current?.reportsTo && hops < 20; hops += 1) {
      current = await people.findOneBy({ id: current.reportsTo });
      if (current && current.organisation === organisation && current.rank === rank) return current;
    }
    return null;
  }

  return {
    async notify(input: NotifyInput): Promise<{ sent: number; skipped: number }> {
      const kase = await dataSource.getRepository(CaseRecord).findOneBy({ id: input.caseId });
      if (!kase) throw ApplicationFailure.retryable('case projection not written yet', 'CaseNotProjected');
      let sent = 0;
      let skipped = 0;
      for (const recipient of input.recipients) {
        const person = await resolve(recipient, kase.officerId);
        if (!person) {
          logger.warn({ caseId: input.caseId, recipient, template: input.template }, 'no person holds this role in the supervision chain');
          skipped += 1;
          continue;
        }
        const key = `${input.key}:${person.id}`;
        const messageId = `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@precharge>`;
        const outbox = dataSource.getRepository(OutboundEmail);
        await outbox.createQueryBuilder().insert().values({
          key, caseId: input.caseId, recipientId: person.id, template: input.template, status: 'pending', messageId,
        }).orIgnore().execute();
        const entry = await outbox.findOneByOrFail({ key });
        if (entry.status === 'sent') { skipped += 1; continue; }
        const message = renderMail(input.template, {
          recipientName: person.name,
          caseUrn: kase.urn,
          caseLink: `${publicUrl.replace(/\/$/, '')}/cases/${kase.id}`,
          unit: kase.unit,
          clockName: input.clock && (CLOCK_LABELS[input.clock.name] ?? input.clock.name),
          dueAt: input.clock && DateTime.fromISO(input.clock.dueAt).setZone(MAIL_TIMEZONE).toFormat("ccc d LLL yyyy 'at' HH:mm"),
          why: WHY[recipient] ?? `you are the ${recipient.split(':')[1] ?? recipient} in the supervision chain of this case`,
        });
        await outbox.update({ key }, { attempts: entry.attempts + 1 });
        await mailer.send({ to: person.email, messageId, ...message });
        await outbox.update({ key }, { status: 'sent', sentAt: new Date() });
        logger.info({ caseId: input.caseId, template: input.template, recipientId: person.id }, 'email sent');
        sent += 1;
      }
      return { sent, skipped };
    },
  };
}
