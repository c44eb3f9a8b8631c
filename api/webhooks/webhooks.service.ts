import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Duration } from 'luxon';
import type { DataSource } from 'typeorm';
import { OUTBOX_CHANNEL, subscriptionTakes } from '../../activities/webhooks/outbox';
import { newSigningSecret, refusedWebhookUrl, sealSecret, type WebhookSettings } from '../../infra/webhooks';
import { filterIsKnown } from '../../workflows/contracts/webhooks';
import type { Principal } from '../auth/principal';
import { directoryScope } from '../cases/case-access';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE, WEBHOOK_SETTINGS } from '../infrastructure/tokens';
import type { CreateWebhookDto, ListDeliveriesQuery, RedeliverDto, RotateSecretDto, UpdateWebhookDto } from './webhooks.dto';

interface SubscriptionRow {
  id: string; url: string; events: string[]; description: string; force_id: string | null; status: string; created_by: string;
  failing_since: Date | null; last_success_at: Date | null; previous_secret_expires_at: Date | null; created_at: Date; updated_at: Date;
}

export interface WebhookView {
  id: string; url: string; events: string[]; description: string; forceId: string | null; status: string; createdBy: string;
  failingSince: string | null; lastSuccessAt: string | null; previousSecretExpiresAt: string | null; createdAt: string; updatedAt: string;
}

const MAX_OVERLAP_MS = 30 * 86_400_000;
const COLUMNS = 'id, url, events, description, force_id, status, created_by, failing_since, last_success_at, previous_secret_expires_at, created_at, updated_at';
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function view(r: SubscriptionRow): WebhookView {
  return {
    id: r.id, url: r.url, events: r.events, description: r.description, forceId: r.force_id, status: r.status, createdBy: r.created_by,
    failingSince: iso(r.failing_since), lastSuccessAt: iso(r.last_success_at), previousSecretExpiresAt: iso(r.previous_secret_expires_at),
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * Webhook subscriptions, for administrators: a regional administrator's reach every force's cases (or one force's), a
 * force's administrator's only their force's. A subscription outside the caller's reach answers 404. The signing
 * secret is shown once, when made or rotated, and stored sealed under the payload keys.
 */
@Injectable()
export class WebhooksService {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource, @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings) {}

  async create(principal: Principal, dto: CreateWebhookDto): Promise<WebhookView & { secret: string }> {
    const forceId = await this.forceFor(principal, dto.forceId);
    await this.checkFilters(dto.events);
    await this.checkUrl(dto.url);
    const secret = newSigningSecret();
    const [row] = (await this.db.query(
      `INSERT INTO webhook_subscriptions (id, url, events, description, force_id, created_by, secret) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [randomUUID(), dto.url, [...new Set(dto.events)], dto.description ?? '', forceId, principal.id, sealSecret(secret, this.settings.payloadKeys)],
    )) as SubscriptionRow[];
    return { ...view(row), secret };
  }

  async list(principal: Principal): Promise<WebhookView[]> {
    const scope = this.scope(principal);
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE ${scope.where} ORDER BY created_at, id`, scope.params)) as SubscriptionRow[];
    return rows.map(view);
  }

  async get(principal: Principal, id: string): Promise<WebhookView> {
    return view(await this.find(principal, id));
  }

  async update(principal: Principal, id: string, dto: UpdateWebhookDto): Promise<WebhookView> {
    const current = await this.find(principal, id);
    if (dto.events) await this.checkFilters(dto.events);
    if (dto.url !== undefined && dto.url !== current.url) await this.checkUrl(dto.url);
    const [[row]] = (await this.db.query(
      `UPDATE webhook_subscriptions SET url = $2, events = $3, description = $4, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, dto.url ?? current.url, dto.events ? [...new Set(dto.events)] : current.events, dto.description ?? current.description],
    )) as [SubscriptionRow[], number];
    return view(row);
  }

  /** Removes the subscription with its queue and attempts: nothing more is sent to it. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.find(principal, id);
    await this.db.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
  }

  /** A new secret signs from now on; the one it replaces signs beside it until the overlap ends. */
  async rotateSecret(principal: Principal, id: string, dto: RotateSecretDto): Promise<{ id: string; secret: string; previousSecretExpiresAt: string }> {
    await this.find(principal, id);
    const overlapMs = Duration.fromISO(dto.overlap ?? 'PT24H').toMillis();
    if (overlapMs > MAX_OVERLAP_MS) throw ApiError.badRequest('The overlap is too long.', [{ field: 'overlap', problem: 'must be at most P30D' }]);
    const secret = newSigningSecret();
    const [[row]] = (await this.db.query(
      `UPDATE webhook_subscriptions SET previous_secret = secret, secret = $2,
         previous_secret_expires_at = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
       WHERE id = $1 RETURNING previous_secret_expires_at`,
      [id, sealSecret(secret, this.settings.payloadKeys), overlapMs],
    )) as [{ previous_secret_expires_at: Date }[], number];
    return { id, secret, previousSecretExpiresAt: row.previous_secret_expires_at.toISOString() };
  }

  /** Every delivery of the subscription, latest event first, with each attempt: status or error and timing, never a body. */
  async deliveries(principal: Principal, id: string, query: ListDeliveriesQuery) {
    await this.find(principal, id);
    const rows = (await this.db.query(
      `SELECT e.id AS event_id, e.type, e.case_id, e.case_seq, e.envelope->>'time' AS occurred_at, d.status, d.attempts, d.next_attempt_at, d.delivered_at,
              count(*) OVER () AS total
       FROM webhook_deliveries d JOIN webhook_events e ON e.position = d.event_position
       WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::uuid IS NULL OR d.case_id = $3)
       ORDER BY d.event_position DESC LIMIT $4 OFFSET $5`,
      [id, query.status ?? null, query.caseId ?? null, query.pageSize, (query.page - 1) * query.pageSize],
    )) as { event_id: string; type: string; case_id: string; case_seq: number; occurred_at: string; status: string; attempts: number; next_attempt_at: Date; delivered_at: Date | null; total: string }[];
    const attempts = rows.length ? (await this.db.query(
      `SELECT e.id AS event_id, a.attempt, a.started_at, a.duration_ms, a.status_code, a.error, a.succeeded
       FROM webhook_attempts a JOIN webhook_events e ON e.position = a.event_position
       WHERE a.subscription_id = $1 AND e.id = ANY($2::uuid[]) ORDER BY a.id`,
      [id, rows.map((r) => r.event_id)],
    )) as { event_id: string; attempt: number; started_at: Date; duration_ms: number; status_code: number | null; error: string | null; succeeded: boolean }[] : [];
    return {
      page: query.page, pageSize: query.pageSize, total: rows.length ? Number(rows[0].total) : 0,
      items: rows.map((r) => ({
        eventId: r.event_id, type: r.type, caseId: r.case_id, sequence: r.case_seq, occurredAt: r.occurred_at, status: r.status,
        attempts: attempts.filter((a) => a.event_id === r.event_id).map((a) => ({
          attempt: a.attempt, startedAt: a.started_at.toISOString(), durationMs: a.duration_ms, statusCode: a.status_code, error: a.error, succeeded: a.succeeded,
        })),
        nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null, deliveredAt: iso(r.delivered_at),
      })),
    };
  }

  /**
   * Sends again, in order, the given event and every later one the subscription takes (its filters and force), including
   * events from before it existed: how a receiver catches up after losing what it had. Same `webhook-id`s as before.
   */
  async redeliver(principal: Principal, id: string, dto: RedeliverDto): Promise<{ queued: number }> {
    const sub = await this.find(principal, id);
    const [from] = (await this.db.query('SELECT position FROM webhook_events WHERE id = $1 AND ($2::text IS NULL OR force_id = $2)', [dto.fromEventId, sub.force_id])) as { position: string }[];
    if (!from) throw ApiError.notFound('That event');
    return this.db.transaction(async (tx) => {
      const [{ queued }] = (await tx.query(
        `WITH q AS (
           INSERT INTO webhook_deliveries (subscription_id, event_position, case_id, case_seq)
           SELECT s.id, e.position, e.case_id, e.case_seq FROM webhook_events e JOIN webhook_subscriptions s ON s.id = $1
           WHERE e.position >= $2 AND ${subscriptionTakes('s', 'e')}
           ON CONFLICT (subscription_id, event_position) DO UPDATE SET status = 'pending', next_attempt_at = now(), delivered_at = NULL
           RETURNING 1
         ) SELECT count(*)::int AS queued FROM q`,
        [id, from.position],
      )) as { queued: number }[];
      await tx.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
      return { queued };
    });
  }

  private scope(principal: Principal): { where: string; params: unknown[] } {
    const scope = directoryScope(principal);
    if (scope.region) return { where: 'true', params: [] };
    // A CPS area's administrator manages no force's subscriptions.
    return { where: 'force_id = $1', params: [scope.forceId ?? '\u0000none'] };
  }

  private async find(principal: Principal, id: string): Promise<SubscriptionRow> {
    const scope = this.scope(principal);
    const [row] = (await this.db.query(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE id = $${scope.params.length + 1} AND ${scope.where}`, [...scope.params, id])) as SubscriptionRow[];
    if (!row) throw ApiError.notFound('That webhook subscription');
    return row;
  }

  private async forceFor(principal: Principal, forceId: string | undefined): Promise<string | null> {
    const scope = directoryScope(principal);
    if (!scope.region) {
      if (!scope.forceId) throw ApiError.forbidden('A CPS area\'s administrator cannot subscribe to a force\'s case events.');
      if (forceId && forceId !== scope.forceId) throw ApiError.forbidden('You manage only your own force\'s subscriptions.');
      return scope.forceId;
    }
    if (!forceId) return null;
    const [force] = (await this.db.query('SELECT id FROM forces WHERE id = $1', [forceId])) as { id: string }[];
    if (!force) throw ApiError.unprocessable('There is no such force.', [{ field: 'forceId', problem: 'is not a force of the region' }]);
    return forceId;
  }

  private async checkFilters(events: string[]): Promise<void> {
    const unknown = events.filter((e) => !filterIsKnown(e));
    if (unknown.length) throw ApiError.unprocessable('An event filter matches no event type.', unknown.map((e) => ({ field: 'events', problem: `${e} matches no event type` })));
  }

  private async checkUrl(url: string): Promise<void> {
    const problem = await refusedWebhookUrl(url, this.settings);
    if (problem) throw ApiError.unprocessable(`The webhook URL is refused: it ${problem}.`, [{ field: 'url', problem }]);
  }
}
