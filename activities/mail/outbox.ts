import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { OutboundEmail, type Person } from '../../db/entities';
import type { MailMessage, MailSender } from './notify';

/**
 * Sends one email at most once per key, whatever the retries: the outbox row is written first, and a row already
 * marked sent means a retry sends nothing. `render` runs only when the email is still to go.
 */
export async function sendOnce(
  deps: { dataSource: DataSource; mailer: MailSender },
  mail: { key: string; to: Pick<Person, 'id' | 'email'>; template: string; caseId?: string | null; render: () => Omit<MailMessage, 'to' | 'messageId'> | Promise<Omit<MailMessage, 'to' | 'messageId'>> },
): Promise<boolean> {
  const outbox = deps.dataSource.getRepository(OutboundEmail);
  const messageId = `<${createHash('sha256').update(mail.key).digest('hex').slice(0, 32)}@precharge>`;
  await outbox.createQueryBuilder().insert().values({ key: mail.key, caseId: mail.caseId ?? null, recipientId: mail.to.id, template: mail.template, status: 'pending', messageId }).orIgnore().execute();
  const entry = await outbox.findOneByOrFail({ key: mail.key });
  if (entry.status === 'sent') return false;
  await outbox.update({ key: mail.key }, { attempts: entry.attempts + 1 });
  await deps.mailer.send({ to: mail.to.email, messageId, ...(await mail.render()) });
  await outbox.update({ key: mail.key }, { status: 'sent', sentAt: new Date() });
  return true;
}
