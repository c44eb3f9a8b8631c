import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case events out to other systems as signed webhooks, through a transactional outbox.
 *
 * `webhook_events` is the outbox: one row per timeline event (and per clock step that fires), written in the
 * transaction that records it, holding the CloudEvents envelope (ids, stage, type, times, actor ids: no personal data).
 * `case_seq` numbers a case's events in the order they committed (taken under the case row's lock), the order each
 * subscription receives them in. `webhook_subscriptions` holds where to send (the signing secrets encrypted with the
 * payload keys), `webhook_deliveries` one row per event and subscription (pending until a 2xx), `webhook_attempts`
 * every attempt's status or error and timing; response bodies are never stored.
 */
export class Webhooks1765700000000 implements MigrationInterface {
  name = 'Webhooks1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY,
        url text NOT NULL,
        events text[] NOT NULL,
        description text NOT NULL DEFAULT '',
        force_id text REFERENCES forces(id),
        created_by uuid NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing')),
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        failing_since timestamptz,
        alerted_at timestamptz,
        last_success_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_events (
        position bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        case_seq integer NOT NULL,
        force_id text NOT NULL,
        type text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, case_seq)
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        event_position bigint NOT NULL REFERENCES webhook_events(position) ON DELETE CASCADE,
        case_id uuid NOT NULL,
        case_seq integer NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subscription_id, event_position)
      )`);
    // The dispatcher's question: the earliest pending event of each case for each subscription.
    await q.query(`CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (subscription_id, case_id, case_seq) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        event_position bigint NOT NULL REFERENCES webhook_events(position) ON DELETE CASCADE,
        attempt integer NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        status_code integer,
        error text,
        succeeded boolean NOT NULL
      )`);
    await q.query(`CREATE INDEX webhook_attempts_subscription_idx ON webhook_attempts (subscription_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_attempts');
    await q.query('DROP TABLE webhook_deliveries');
    await q.query('DROP TABLE webhook_events');
    await q.query('DROP TABLE webhook_subscriptions');
  }
}
