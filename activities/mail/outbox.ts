import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Person } from '../../db/entities';
import type { MailAttachment, MailMessage } from './notify';

/** The channel a queued email is announced on, so the worker's mail dispatcher sends it at once (worker/mail-dispatcher.ts). */
export const MAIL_CHANNEL = 'precharge_mail';

/** An email's Message-ID, from its outbox key: every copy of one email carries the same one. */
export function messageIdFor(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@precharge>`;
}

/** A rendered message as the outbox keeps it (attachments base64, so the row is JSON). */
export interface StoredMessage extends Omit<MailMessage, 'messageId' | 'attachments'> {
  attachments?: (Omit<MailAttachment, 'content'> & { base64: string })[];
}

export function storedMessage(message: Omit<MailMessage, 'messageId'>): StoredMessage {
  const { attachments, ...rest } = message;
  if (!attachments) return rest;
  return { ...rest, attachments: attachments.map(({ content, ...a }) => ({ ...a, base64: Buffer.from(content).toString('base64') })) };
}

export function sendableMessage(stored: StoredMessage, messageId: string): MailMessage {
  const { attachments, ...rest } = stored;
  return { ...rest, messageId, ...(attachments ? { attachments: attachments.map(({ base64, ...a }) => ({ ...a, content: Buffer.from(base64, 'base64') })) } : {}) };
}

/**
 * Queues one email once per key, whatever the retries: the outbox row holds the rendered message, and the worker's
 * mail dispatcher sends it (worker/mail-dispatcher.ts). An activity that notifies therefore never waits for the relay:
 * a command's Update answers without an SMTP round trip in it, and a relay that is down holds up no workflow task.
 * `render` runs only when the email is not queued yet. Answers whether this call queued it.
 *
 * A row from before the outbox held messages (pending, no message) takes the message now, so an email half-sent
 * across an upgrade still goes.
 */
export async function queueEmail(
  dataSource: DataSource,
  mail: { key: string; to: Pick<Person, 'id' | 'email'>; template: string; caseId?: string | null; render: () => Omit<MailMessage, 'to' | 'messageId'> | Promise<Omit<MailMessage, 'to' | 'messageId'>> },
): Promise<boolean> {
  const [existing] = (await dataSource.query('SELECT message IS NOT NULL AS queued, status FROM outbound_emails WHERE key = $1', [mail.key])) as { queued: boolean; status: string }[];
  if (existing && (existing.queued || existing.status === 'sent')) return false;
  const message = storedMessage({ to: mail.to.email, ...(await mail.render()) });
  const queued = (await dataSource.query(
    `WITH queued AS (
       INSERT INTO outbound_emails (key, case_id, recipient_id, template, status, message_id, message, next_attempt_at)
       VALUES ($1, $2, $3, $4, 'pending', $5, $6, now())
       ON CONFLICT (key) DO UPDATE SET message = EXCLUDED.message, next_attempt_at = now()
         WHERE outbound_emails.message IS NULL AND outbound_emails.status = 'pending'
       RETURNING key
     ) SELECT key, pg_notify('${MAIL_CHANNEL}', '') FROM queued`,
    [mail.key, mail.caseId ?? null, mail.to.id, mail.template, messageIdFor(mail.key), JSON.stringify(message)],
  )) as unknown[];
  return queued.length > 0;
}
