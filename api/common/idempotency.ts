import { createHash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import { IdempotencyKey as StoredKey } from '../../db/entities';
import { ApiError } from './api-error';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/** The `Idempotency-Key` header of a creating POST, checked; undefined when absent. */
export const IdempotencyKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => {
  const key = ctx.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw ApiError.badRequest('Idempotency-Key must be 8–128 letters, digits or _ . : -', [{ field: 'Idempotency-Key', problem: 'invalid format' }]);
  }
  return key;
});

/**
 * The id a retried request must get again: derived from who asked, their key and what the id is for, so a
 * replay names the same Early Advice request, submission or document and Temporal de-duplicates the Update.
 */
export function stableId(principalId: string, key: string, purpose: string): string {
  const hex = createHash('sha256').update(`${principalId}\u0000${key}\u0000${purpose}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What an Idempotency-Key says of a creating request, and how to record it with what the request creates. */
export interface CreationKey {
  /** The resource the key's first request created: a replay answers with it. */
  earlierId?: string;
  /** Records the key with the new resource, in the transaction that creates it. */
  record(tx: EntityManager, resourceId: string): Promise<void>;
}

/**
 * A creating POST under an optional Idempotency-Key (per caller): the same key with the same body is the first request
 * again (its resource id); with another body, 422. Without a key every request creates.
 */
export async function creationKey(db: DataSource, principalId: string, key: string | undefined, body: object): Promise<CreationKey> {
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const earlier = key ? await db.getRepository(StoredKey).findOneBy({ principal: principalId, key }) : null;
  if (earlier && earlier.requestHash !== requestHash) throw ApiError.unprocessable('This Idempotency-Key was used with a different request body.');
  return {
    earlierId: earlier?.resourceId,
    record: async (tx, resourceId) => { if (key) await tx.getRepository(StoredKey).insert({ principal: principalId, key, requestHash, resourceId }); },
  };
}

/** Two requests with the same key at once: the one that lost the insert race answers as a replay. */
export function lostKeyRace(err: unknown, key: string | undefined): boolean {
  return !!key && (err as { code?: string }).code === '23505';
}
