import type { MigrationInterface, QueryRunner } from 'typeorm';

/** People directory with supervision chain, case projection and timeline, personal data, idempotency, mail ledger, policy versions. */
export class Foundation1764360000000 implements MigrationInterface {
  name = 'Foundation1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE people (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        roles text[] NOT NULL,
        organisation text NOT NULL CHECK (organisation IN ('police', 'cps', 'independent', 'system')),
        rank text NOT NULL,
        unit text NOT NULL,
        reports_to uuid REFERENCES people(id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (reports_to IS NULL OR reports_to <> id)
      )`);
    await q.query(`CREATE UNIQUE INDEX people_email_key ON people (lower(email))`);
    await q.query(`CREATE INDEX people_unit_idx ON people (unit)`);
    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY,
        urn text NOT NULL,
        stage text NOT NULL,
        unit text NOT NULL,
        officer_id uuid NOT NULL REFERENCES people(id),
        offence_type text NOT NULL,
        penetrative boolean NOT NULL,
        committed_from date NOT NULL,
        committed_to date,
        reported_at timestamptz NOT NULL,
        enhanced_rights boolean NOT NULL,
        suspect_count integer NOT NULL,
        policy_version text NOT NULL,
        workflow_id text NOT NULL,
        last_event_seq integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX cases_urn_idx ON cases (urn)`);
    await q.query(`CREATE INDEX cases_unit_stage_idx ON cases (unit, stage)`);
    await q.query(`CREATE INDEX cases_officer_idx ON cases (officer_id)`);
    await q.query(`
      CREATE TABLE case_events (
        id text PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        seq integer NOT NULL,
        type text NOT NULL,
        actor_id uuid,
        actor_role text,
        from_stage text,
        to_stage text,
        reason text,
        data jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL,
        UNIQUE (case_id, seq)
      )`);
    await q.query(`
      CREATE TABLE case_parties (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('victim', 'suspect')),
        name text NOT NULL,
        date_of_birth date NOT NULL,
        national_id text,
        vulnerable boolean,
        contact_preference text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_parties_case_idx ON case_parties (case_id)`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        principal text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        resource_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (principal, key)
      )`);
    await q.query(`
      CREATE TABLE outbound_emails (
        key text PRIMARY KEY,
        case_id uuid,
        recipient_id uuid NOT NULL,
        template text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sent')),
        message_id text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outbound_emails_case_idx ON outbound_emails (case_id)`);
    await q.query(`
      CREATE TABLE policy_versions (
        version text PRIMARY KEY,
        name text NOT NULL,
        document jsonb NOT NULL,
        loaded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['policy_versions', 'outbound_emails', 'idempotency_keys', 'case_parties', 'case_events', 'cases', 'people']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
