import { createHash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
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
