import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { staffReachCase } from '../../api/cases/case-access';
import { CaseRecord, Person } from '../../db/entities';
import type { CaseState } from '../../workflows/pipeline/state';
import { writeLiveState } from '../case-projection';
import { type OutgoingTimelineEvent, writeOutboxEvents } from '../webhooks/outbox';
import type { Logger } from '../../infra/logger';
import { DateTime } from 'luxon';
import { queueEmail } from './outbox';
import { recipientResolver } from './recipients';
import { CLOCK_LABELS, renderMail } from './templates';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** A meeting invite or cancellation (iCalendar), sent as the message's calendar part. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
  /** Files sent with the message; one with a `cid` is an inline image the HTML shows as `<img src="cid:…">`. */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer | string;
  cid?: string;
}

/** The port the worker's mail dispatcher sends through: nodemailer over SMTP. */
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
  /** What the recipient must do, for `case-action-needed`. */
  headline?: string;
  /** The prosecutor on the case, from whom `prosecutor` and CPS ranks are resolved. */
  prosecutorId?: string;
  /** A clock step also puts a task in each recipient's inbox (an escalation can then be acknowledged there). */
  task?: { kind: 'reminder' | 'escalation'; clockKey: string; clockName: string; dueAt: string };
  /** A clock step's: the case's state with the step recorded, kept for the case page (see writeLiveState). */
  caseState?: CaseState;
}

export interface NotifyDeps {
  dataSource: DataSource;
  publicUrl: string;
  logger: Logger;
}

/** Times in emails are UK local, as the people reading them think of them. */
const MAIL_TIMEZONE = 'Europe/London';

const WHY: Record<string, string> = {
  officer: 'you are the officer in case',
  owner: 'you are the officer in case',
  prosecutor: 'you are the prosecutor on this case',
};

/** A clock step as an outgoing event: which clock, which step, to which ranks; at the time the workflow fired it. */
function clockStepEvent(input: NotifyInput): OutgoingTimelineEvent {
  const { clock, task } = input as Required<Pick<NotifyInput, 'clock' | 'task'>>;
  const firing = input.caseState?.clocks.find((c) => c.key === task.clockKey)?.firings?.find((f) => f.step === clock.step);
  return {
    type: task.kind === 'reminder' ? 'clock-reminder' : 'clock-escalation',
    actorId: null, actorRole: null, fromStage: null, toStage: null, reason: null,
    data: { clock: clock.name, clockKey: task.clockKey, step: clock.step, kind: task.kind, dueAt: clock.dueAt, to: input.recipients },
    occurredAt: firing?.at ?? new Date().toISOString(),
  };
}

/** Queues the emails a step calls for (the mail dispatcher sends them). Each (key, recipient) goes once, whatever the retries. */
export function notifyActivities({ dataSource, publicUrl, logger }: NotifyDeps) {
  const people = () => dataSource.getRepository(Person);
  const { resolve } = recipientResolver(dataSource);

  /**
   * A ladder step addressed to `clinic` puts the case on its unit's next clinic agenda (reason `escalated`): one
   * referral per firing of the step, whatever the retries.
   */
  async function referToClinic(input: NotifyInput, kase: CaseRecord): Promise<void> {
    await dataSource.query(
      `INSERT INTO clinic_referrals (id, case_id, force_id, kind, dedupe_key, referred_by, clock_key) VALUES ($1, $2, $3, 'escalated', $4, 'escalation-ladder', $5)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [randomUUID(), kase.id, kase.forceId, `${input.key}:clinic`, input.task?.clockKey ?? null],
    );
  }

  return {
    async notify(input: NotifyInput): Promise<{ sent: number; skipped: number }> {
      const kase = await dataSource.getRepository(CaseRecord).findOneBy({ id: input.caseId });
      if (!kase) throw ApplicationFailure.retryable('case projection not written yet', 'CaseNotProjected');
      if (input.task && input.clock) {
        // A clock step is a timeline fact other systems hear of: its outbox row goes with the state that records it.
        await dataSource.transaction(async (tx) => {
          if (input.caseState) await writeLiveState(tx, kase.id, input.caseState);
          await writeOutboxEvents(tx, kase.id, [{ key: input.key, timelineSeq: null, event: clockStepEvent(input) }]);
        });
      } else if (input.caseState) await writeLiveState(dataSource, kase.id, input.caseState);
      let sent = 0;
      let skipped = 0;
      const addressees = new Map<string, { person: Person; as: string }>();
      if (input.recipients.includes('clinic')) await referToClinic(input, kase);
      for (const recipient of input.recipients.filter((r) => r !== 'clinic')) {
        const found = await resolve(recipient, kase, input.prosecutorId);
        if (!found.length) logger.warn({ caseId: input.caseId, recipient, template: input.template }, 'no active person holds this role for the case');
        for (const person of found) if (!addressees.has(person.id)) addressees.set(person.id, { person, as: recipient });
      }
      // Whoever the ladder names, only staff of the case's force or of the CPS teams serving it are told (the access rule).
      const reaching = addressees.size ? new Set(((await dataSource.query(
        `SELECT p.id FROM people p, cases c WHERE c.id = $1 AND p.id = ANY($2::uuid[]) AND ${staffReachCase('p', 'c')}`, [kase.id, [...addressees.keys()]],
      )) as { id: string }[]).map((r) => r.id)) : new Set<string>();
      const outside = [...addressees.keys()].filter((id) => !reaching.has(id));
      outside.forEach((id) => addressees.delete(id));
      if (outside.length) logger.warn({ caseId: input.caseId, template: input.template, withheld: outside.length }, 'recipients outside the case\'s force were not told');
      if (kase.restricted) {
        // A restricted case is only for the officer in case and the people named on it: nobody else is told of it,
        // even when the ladder names their rank (the named people are told instead).
        const named = new Set<string>((await dataSource.query('SELECT person_id FROM case_access_grants WHERE case_id = $1', [kase.id])).map((g: { person_id: string }) => g.person_id));
        const allowed = (id: string) => id === kase.officerId || named.has(id);
        const refused = [...addressees.keys()].filter((id) => !allowed(id));
        refused.forEach((id) => addressees.delete(id));
        if (refused.length) {
          logger.warn({ caseId: input.caseId, template: input.template, withheld: refused.length }, 'restricted case: recipients not named on it were not told');
          for (const id of named) {
            const person = await people().findOneBy({ id, active: true });
            if (person && !addressees.has(id)) addressees.set(id, { person, as: `person:${id}` });
          }
        }
      }
      for (const { person, as: recipient } of addressees.values()) {
        const key = `${input.key}:${person.id}`;
        const why = WHY[recipient] ?? (recipient.startsWith('person:') ? 'you are named on this case' : `you are the ${recipient.split(':')[1] ?? recipient} for this case`);
        const digest = input.task?.kind === 'escalation' && person.escalationDelivery === 'daily-digest';
        if (input.task) {
          await dataSource.query(
            `INSERT INTO tasks (dedupe_key, person_id, case_id, force_id, kind, clock_key, clock_name, step, due_at, why, delivery)
             -- Due when its clock is now: a step fired late (a retry) after the due date moved takes the moved one.
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE((SELECT due_at FROM case_clocks WHERE key = $6), $9), $10, $11) ON CONFLICT (dedupe_key) DO NOTHING`,
            [key, person.id, input.caseId, kase.forceId, input.task.kind, input.task.clockKey, input.task.clockName, input.clock?.step ?? 0, input.task.dueAt, why, digest ? 'daily-digest' : 'immediate'],
          );
          await dataSource.query('UPDATE case_clocks SET steps_fired = GREATEST(steps_fired, $2) WHERE key = $1', [input.task.clockKey, (input.clock?.step ?? 0) + 1]);
        }
        // Supervisors who chose a digest get this escalation in tomorrow's digest, not now.
        if (digest) { skipped += 1; continue; }
        const fresh = await queueEmail(dataSource, {
          key, to: person, template: input.template, caseId: input.caseId,
          render: () => renderMail(input.template, {
            recipientName: person.name,
            caseUrn: kase.urn,
            caseLink: `${publicUrl.replace(/\/$/, '')}/cases/${kase.id}`,
            unit: kase.unit,
            clockName: input.clock && (CLOCK_LABELS[input.clock.name] ?? input.clock.name),
            dueAt: input.clock && DateTime.fromISO(input.clock.dueAt).setZone(MAIL_TIMEZONE).toFormat("ccc d LLL yyyy 'at' HH:mm"),
            why,
            headline: input.headline ?? '',
          }),
        });
        if (!fresh) { skipped += 1; continue; }
        logger.info({ caseId: input.caseId, template: input.template, recipientId: person.id }, 'email queued');
        sent += 1;
      }
      return { sent, skipped };
    },
  };
}
