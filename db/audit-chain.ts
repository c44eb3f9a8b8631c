import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuditEntry } from './entities';

/** The `prev_hash` of the first entry ever written. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records; the chain adds seq, prev_hash and hash. */
export type AuditFields = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** Stands for the seq in the JSON until the database has chosen it. */
const SEQ_MARK = '#';

/** The fields the hash covers, keys sorted, the time ISO-8601 with milliseconds exactly as PostgreSQL gives it back. */
function hashedJson(entry: Omit<AuditEntry, 'hash' | 'prevHash' | 'seq'>, seq: string): string {
  return JSON.stringify({
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
    seq,
    sourceIp: entry.sourceIp,
  });
}

/** sha256(prev_hash || canonical JSON of the entry), as the verifier recomputes it from the stored row. */
export function auditHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(entry.prevHash).update(hashedJson(entry, String(entry.seq))).digest('hex');
}

/**
 * Appends one entry to the chain in one statement (the `audit_append` function): under the chain's lock it links the
 * entry to the last one committed, takes the next seq and hashes prev_hash || the canonical JSON with that seq, which
 * this side gives as the text before and after it. A string value cannot hold an unescaped quote, so `"seq":"` marks
 * the key itself. Whose entry it is (`forceId`) is the case's, else that of `personId` (a directory route's subject),
 * else `fields.forceId` (the actor's).
 */
export async function appendAuditEntry(db: Pick<DataSource, 'query'>, fields: AuditFields, personId: string | null = null): Promise<AuditEntry> {
  // Stored values must read back identically for the hash to verify: uuids lower-case, time to the millisecond.
  const entry = { ...fields, caseId: fields.caseId?.toLowerCase() ?? null, occurredAt: new Date(fields.occurredAt.getTime()) };
  const json = hashedJson(entry, SEQ_MARK);
  const at = json.indexOf(`"seq":"${SEQ_MARK}"`) + '"seq":"'.length;
  const [row] = (await db.query(
    'SELECT seq, prev_hash, hash, force_id FROM audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)',
    [entry.occurredAt, entry.actorId, entry.actorRoles, entry.action, entry.method, entry.route, entry.caseId, entry.resourceId, entry.outcome, entry.sourceIp,
      entry.disclosedTo, personId, fields.forceId ?? null, GENESIS_HASH, json.slice(0, at), json.slice(at + SEQ_MARK.length)],
  )) as { seq: string; prev_hash: string; hash: string; force_id: string | null }[];
  return { ...entry, seq: Number(row.seq), prevHash: row.prev_hash, hash: row.hash, forceId: row.force_id };
}
