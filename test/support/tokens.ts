import { SignJWT } from 'jose';
import type { Role } from '../../workflows/contracts';

/** Signs an HS256 token like the local stack's, with the test run's secret. */
export function tokenFor(claims: { sub: string; roles: Role[]; unit: string }, opts: { expiresIn?: string; secret?: string } = {}): Promise<string> {
  return new SignJWT({ roles: claims.roles, unit: claims.unit })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(opts.secret ?? process.env.JWT_SECRET));
}
