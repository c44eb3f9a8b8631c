import type { DataSource } from 'typeorm';
import { auditHash, GENESIS_HASH } from './audit-chain';
import { AuditEntry } from './entities';

export interface AuditChainReport {
  ok: boolean;
  checked: number;
  /** The first entry whose hash or link to its predecessor does not match. */
  firstBadSeq?: number;
}

const BATCH = 1000;

/** What the hash covers, and the links: a column added later and not hashed (e.g. the force) is not read. */
const HASHED = ['seq', 'occurredAt', 'actorId', 'actorRoles', 'action', 'method', 'route', 'caseId', 'resourceId', 'outcome', 'sourceIp', 'disclosedTo', 'prevHash', 'hash']
  .map((column) => `a.${column}`);

/**
 * Walks the audit chain in seq order, recomputing every hash and checking every link. A range checks only the
 * entries in it, linked to the entry just before `fromSeq` (which is trusted as found).
 */
export async function verifyAuditChain(db: DataSource, range: { fromSeq?: number; toSeq?: number } = {}): Promise<AuditChainReport> {
  const entries = db.getRepository(AuditEntry);
  let expectedPrev = GENESIS_HASH;
  if (range.fromSeq !== undefined) {
    const before = await entries.createQueryBuilder('a').select(HASHED).where('a.seq < :from', { from: range.fromSeq }).orderBy('a.seq', 'DESC').limit(1).getOne();
    expectedPrev = before?.hash ?? GENESIS_HASH;
  }
  let cursor = range.fromSeq !== undefined ? range.fromSeq - 1 : 0;
  let checked = 0;
  for (;;) {
    const query = entries.createQueryBuilder('a').select(HASHED).where('a.seq > :cursor', { cursor }).orderBy('a.seq', 'ASC').limit(BATCH);
    if (range.toSeq !== undefined) query.andWhere('a.seq <= :to', { to: range.toSeq });
    const batch = await query.getMany();
    for (const entry of batch) {
      if (entry.prevHash !== expectedPrev || auditHash(entry) !== entry.hash) return { ok: false, checked, firstBadSeq: entry.seq };
      expectedPrev = entry.hash;
      checked += 1;
    }
    if (batch.length < BATCH) return { ok: true, checked };
    cursor = batch[batch.length - 1].seq;
  }
}
