import type { DataSource } from 'typeorm';
import { queueEmail } from '../activities/mail/outbox';
import { postEvent, signedHeaders } from '../activities/webhooks/deliver';
import { OUTBOX_CHANNEL } from '../activities/webhooks/outbox';
import { Person } from '../db/entities';
import type { Logger } from '../infra/logger';
import { openSecret, type WebhookSettings } from '../infra/webhooks';
import { backoffMs, OutboxDispatcher } from './outbox-dispatcher';

export interface DispatcherDeps {
  dataSource: DataSource;
  databaseUrl: string;
  settings: WebhookSettings;
  publicUrl: string;
  logger: Logger;
}

interface Claimed {
  subscription_id: string;
  event_position: string;
  attempts: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  envelope: Record<string, unknown>;
  event_id: string;
}

/**
 * Delivers the outbox to subscribers (the loop is OutboxDispatcher's). Order and safety come from the rows:
 *
 * - per case and subscription, only the earliest pending event is ever claimed, and not while another of that case is
 *   leased: a later event waits for the earlier one's 2xx;
 * - different cases are claimed together, up to WEBHOOK_CONCURRENCY in flight;
 * - a claim is a lease (the timeout and a margin): a dispatcher killed mid-delivery leaves the row pending, and when the
 *   lease runs out any dispatcher (this one restarted, or another worker's) sends it again with the same `webhook-id`;
 * - several workers may run one each: a claim is one UPDATE that re-checks the lease, so no row is claimed twice.
 */
export class WebhookDispatcher extends OutboxDispatcher<Claimed> {
  private readonly leaseMs: number;

  constructor(private readonly deps: DispatcherDeps) {
    super({
      name: 'webhook', dataSource: deps.dataSource, databaseUrl: deps.databaseUrl, channel: OUTBOX_CHANNEL, logger: deps.logger,
      concurrency: deps.settings.concurrency, pollMs: Math.min(1000, Math.max(50, Math.floor(deps.settings.retryInitialMs / 2))),
    });
    this.leaseMs = deps.settings.timeoutMs * 2 + 5000;
  }

  /** Leases the earliest due pending event of as many cases (per subscription) as there are free slots. */
  protected async claim(limit: number): Promise<Claimed[]> {
    return (await this.deps.dataSource.query(
      `WITH heads AS (
         SELECT DISTINCT ON (subscription_id, case_id) subscription_id, case_id, event_position, next_attempt_at, lease_until
         FROM webhook_deliveries WHERE status = 'pending'
         ORDER BY subscription_id, case_id, case_seq
       ), pick AS (
         SELECT h.subscription_id, h.event_position FROM heads h
         WHERE h.next_attempt_at <= now() AND (h.lease_until IS NULL OR h.lease_until < now())
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x WHERE x.subscription_id = h.subscription_id AND x.case_id = h.case_id
                             AND x.status = 'pending' AND x.lease_until >= now())
         ORDER BY h.next_attempt_at LIMIT $1
       ), leased AS (
         UPDATE webhook_deliveries d SET lease_until = now() + make_interval(secs => $2::double precision / 1000), attempts = d.attempts + 1
         FROM pick WHERE d.subscription_id = pick.subscription_id AND d.event_position = pick.event_position
           AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
         RETURNING d.subscription_id, d.event_position, d.attempts
       )
       SELECT l.subscription_id, l.event_position, l.attempts, s.url,
              s.secret, CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret END AS previous_secret,
              e.envelope, e.id AS event_id
       FROM leased l JOIN webhook_subscriptions s ON s.id = l.subscription_id JOIN webhook_events e ON e.position = l.event_position`,
      [limit, this.leaseMs],
    )) as Claimed[];
  }

  protected logFields(row: Claimed): Record<string, unknown> {
    return { subscriptionId: row.subscription_id, eventId: row.event_id };
  }

  protected async deliver(row: Claimed): Promise<void> {
    const { settings, dataSource } = this.deps;
    const body = JSON.stringify(row.envelope);
    const secrets = [row.secret, row.previous_secret].filter((s): s is string => !!s).map((s) => openSecret(s, settings.payloadKeys));
    const startedAt = new Date();
    const result = await postEvent(row.url, body, signedHeaders(row.event_id, body, secrets, startedAt), settings);
    await dataSource.query(
      `INSERT INTO webhook_attempts (subscription_id, event_position, attempt, started_at, duration_ms, status_code, error, succeeded)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [row.subscription_id, row.event_position, row.attempts, startedAt, result.durationMs, result.statusCode, result.error, result.ok],
    );
    if (result.ok) {
      await dataSource.query(
        `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), lease_until = NULL WHERE subscription_id = $1 AND event_position = $2`,
        [row.subscription_id, row.event_position],
      );
      await dataSource.query(
        `UPDATE webhook_subscriptions SET status = 'active', failing_since = NULL, alerted_at = NULL, last_success_at = now() WHERE id = $1`,
        [row.subscription_id],
      );
      return;
    }
    await dataSource.query(
      `UPDATE webhook_deliveries SET lease_until = NULL, next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
       WHERE subscription_id = $1 AND event_position = $2 AND status = 'pending'`,
      [row.subscription_id, row.event_position, backoffMs(row.attempts, settings.retryInitialMs, settings.retryMaxMs)],
    );
    await dataSource.query('UPDATE webhook_subscriptions SET failing_since = coalesce(failing_since, $2) WHERE id = $1', [row.subscription_id, startedAt]);
    // Failing for long enough: marked once per spell (a success clears it), and its administrators told then.
    const [marked] = (await dataSource.query(
      `WITH m AS (
         UPDATE webhook_subscriptions SET status = 'failing', alerted_at = now()
         WHERE id = $1 AND status = 'active' AND failing_since <= now() - make_interval(secs => $2::double precision / 1000)
         RETURNING failing_since, force_id, created_by
       ) SELECT * FROM m`,
      [row.subscription_id, settings.failingAfterMs],
    )) as { failing_since: Date; force_id: string | null; created_by: string }[];
    if (marked) await this.alert(row.subscription_id, marked);
  }

  /** Tells the subscription's administrators (whoever made it, and the administrators of its force or region) once per failing spell. */
  private async alert(subscriptionId: string, sub: { failing_since: Date; force_id: string | null; created_by: string }): Promise<void> {
    const { dataSource, publicUrl, logger } = this.deps;
    const admins = (await dataSource.query(
      `SELECT id FROM people WHERE active AND 'admin' = ANY(roles)
         AND (id = $1 OR ($2::text IS NULL AND force_id IS NULL AND area_id IS NULL) OR force_id = $2) ORDER BY id`,
      [sub.created_by, sub.force_id],
    )) as { id: string }[];
    const people = admins.length ? await dataSource.getRepository(Person).findBy(admins.map((a) => ({ id: a.id }))) : [];
    const link = `${publicUrl.replace(/\/$/, '')}/api/webhooks/${subscriptionId}/deliveries`;
    const since = sub.failing_since.toISOString();
    for (const person of people) {
      await queueEmail(dataSource, {
        key: `webhook-failing:${subscriptionId}:${sub.failing_since.getTime()}:${person.id}`, to: person, template: 'webhook-failing',
        render: () => {
          const text = `${person.name},\n\nThe webhook subscription ${subscriptionId} has failed every delivery since ${since} and is marked failing.\nNothing is dropped: its events wait, in order, and go out as soon as the receiver answers again.\n\nIts attempts: ${link}\n\nYou receive this because you administer this subscription.`;
          return { subject: 'Webhook subscription failing', text, html: `<!doctype html><html><body style="font-family:Arial,sans-serif;color:#0b0c0c">${text.split('\n\n').map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '<br>')}</p>`).join('')}</body></html>` };
        },
      });
    }
    logger.warn({ subscriptionId, notified: people.length }, 'webhook subscription marked failing');
  }
}
