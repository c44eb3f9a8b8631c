import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { OutboundEmail, type Person } from '../../db/entities';
import type { MailMessage, MailSender } from './notify';

/** An email's Message-ID, from its outbox key: every copy of one email carries the same one. */
export function messageIdFor(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@precharge>`;
}

/**
 * Sends one email once per key, whatever the retries: the outbox row is written first, and a row already marked sent
 * means a retry sends nothing. `render` runs only when the email is still to go.
 *
 * What no SMTP client can promise across a crash: a worker killed after the relay accepted the message and before the
 * row is marked sent sends it again when the step is retried. Such a copy is never silent: it is the same message (its
 * Message-ID comes from the key, so a mailbox that drops repeated Message-IDs shows it once), and it is on record,
 * since every attempt is counted (`attempts`) before it starts and every refused one (`failures`) after it fails, so
 * on a sent row `attempts - failures - 1` counts the attempts a crash ended without an answer: the most copies that can
 * have gone beyond the first. `npm run test:faults` checks the copies a mail catcher receives against it.
 */
export async function sendOnce(
  deps: { dataSource: DataSource; mailer: MailSender },
  mail: { key: string; to: Pick<Person, 'id' | 'email'>; template: string; caseId?: string | null; render: () => Omit<MailMessage, 'to' | 'messageId'> | Promise<Omit<MailMessage, 'to' | 'messageId'>> },
): Promise<boolean> {
  const outbox = deps.dataSource.getRepository(OutboundEmail);
  const messageId = messageIdFor(mail.key);
  await outbox.createQueryBuilder().insert().values({ key: mail.key, caseId: mail.caseId ?? null, recipientId: mail.to.id, template: mail.template, status: 'pending', messageId }).orIgnore().execute();
  const entry = await outbox.findOneByOrFail({ key: mail.key });
  if (entry.status === 'sent') return false;
  const message = await mail.render();
  const claimed = await outbox.createQueryBuilder().update().set({ attempts: () => 'attempts + 1' }).where('key = :key AND status = :pending', { key: mail.key, pending: 'pending' }).execute();
  if (!claimed.affected) return false;
  try {
    await deps.mailer.send({ to: mail.to.email, messageId, ...message });
  } catch (err) {
    await outbox.createQueryBuilder().update().set({ failures: () => 'failures + 1' }).where('key = :key', { key: mail.key }).execute();
    throw err;
  }
  await outbox.update({ key: mail.key }, { status: 'sent', sentAt: new Date() });
  return true;
}
