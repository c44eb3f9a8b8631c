import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditEntry } from './entities';

/** The `prev_hash` of the first entry ever written. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records; the chain adds seq, prev_hash and hash. */
export type AuditFields = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/**
 * sha256(prev_hash || canonical JSON of the entry). Keys are sorted and the time is ISO-8601 with milliseconds,
 * exactly as PostgreSQL gives it back, so the verifier recomputes the same bytes from the stored row.
 */
export function auditHash(entry: Omit<AuditEntry, 'hash'>): string {
  const fields = {
    action: entry.action,
    actorId: entry.actorId,
    actorRoles: entry.actorRoles,
    caseId: entry.caseId,
    disclosedTo: entry.disclosedTo,
    method: entry.method,
    occurredAt: entry.occurredAt.toISOString(),
    outcome: entry.outcome,
    resourceId: entry.resourceId,
    route: entry.route,
    seq: String(entry.seq),
    sourceIp: entry.sourceIp,
  };
  return createHash('sha256').update(entry.prevHash).update(JSON.stringify(fields)).digest('hex');
}

/**
 * Appends one entry to the chain. The transaction-scoped advisory lock makes appends one at a time, so every
 * entry links to the one committed just before it and seq order is chain order.
 */
export async function appendAuditEntry(db: DataSource, fields: AuditFields): Promise<AuditEntry> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('precharge.audit_log'))`);
    const [last] = (await tx.query('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1')) as { hash: string }[];
    const [{ seq }] = (await tx.query(`SELECT nextval(pg_get_serial_sequence('audit_log', 'seq')) AS seq`)) as { seq: string }[];
    // Stored values must read back identically for the hash to verify: uuids lower-case, time to the millisecond.
    const entry = {
      ...fields,
      caseId: fields.caseId?.toLowerCase() ?? null,
      occurredAt: new Date(fields.occurredAt.getTime()),
      seq: Number(seq),
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const row: AuditEntry = { ...entry, hash: auditHash(entry) };
    // Only the columns given: a database migrated before a column was added still takes entries (migration tests).
    await tx.createQueryBuilder().insert().into(AuditEntry, Object.keys(row).filter((k) => row[k as keyof AuditEntry] !== undefined)).values(row).execute();
    return row;
  });
}
