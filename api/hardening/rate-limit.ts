import type { DynamicModule } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Environment } from '../../infra/config';
import type { Principal } from '../auth/principal';

/**
 * RATE_LIMIT_PER_MINUTE requests per minute per caller, across all routes. Its guard runs after the auth guard, so
 * a caller is the person in the token (many staff share one proxy address) and only public routes count by address.
 * Requests the auth guard refuses never reach it: failed authentication has its own limit there (failed-auth.ts).
 */
export function rateLimiting(config: Pick<Environment, 'RATE_LIMIT_PER_MINUTE'>): DynamicModule {
  return ThrottlerModule.forRoot({
    throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
    errorMessage: 'Too many requests; wait a moment and try again.',
    getTracker: (req: { principal?: Principal; ip?: string }) => (req.principal ? `person:${req.principal.id}` : `address:${req.ip ?? 'unknown'}`),
    generateKey: (_context, tracker, throttler) => `${throttler}:${tracker}`,
  });
}
