import { type CanActivate, type ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Role } from '../../workflows/contracts';
import { AuditService } from '../audit/audit.service';
import { ApiError } from '../common/api-error';
import { claimedSubject, FailedAuthLimiter } from '../hardening/failed-auth';
import { type Claims, PAGE_KEY, type Principal, PUBLIC_KEY, ROLES_KEY } from './principal';
import { ReachResolver } from './reach';
import { signedInPrincipal } from './session-principal';
import { TokenVerifier } from './token-verifier';

/**
 * Global guard: every route needs a valid bearer token (a page: a signed-in session) and one of its roles, unless
 * marked @Public(). Missing and bad
 * tokens count as failed authentication per address and claimed subject; past the limit they get 429, not 401.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly failures: FailedAuthLimiter,
    private readonly reach: ReachResolver,
    @Optional() private readonly audit?: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    let claims: Claims;
    let token: string | undefined;
    if (this.reflector.getAllAndOverride<boolean>(PAGE_KEY, targets)) {
      // No session is not a guess at a credential: sign-in itself counts its failures.
      claims = signedInPrincipal(request);
    } else {
      const [scheme, bearer] = (request.headers.authorization ?? '').split(' ');
      if (scheme !== 'Bearer' || !bearer) throw this.refuse(context, ApiError.unauthorized());
      token = bearer;
      try {
        claims = await this.verifier.verify(token);
      } catch {
        throw this.refuse(context, ApiError.unauthorized('The bearer token is invalid or expired.'), claimedSubject(token));
      }
    }
    // Pages and the API alike: the force or area comes from the directory or the issuer, afresh on every request.
    try {
      request.principal = await this.reach.resolve(claims);
    } catch (err) {
      if (err instanceof ApiError && token) throw this.refuse(context, err, claimedSubject(token));
      throw err;
    }
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!allowed.some((role) => request.principal!.roles.includes(role))) {
      // A known person refused case data is an access attempt the audit log keeps; interceptors never see it.
      await this.audit?.record(context, 403);
      throw ApiError.forbidden();
    }
    return true;
  }

  /**
   * A failed authentication: 401 and counted, or 429 with Retry-After once its address or claimed subject is over the
   * limit. Only failures are refused: a valid token passes even from a blocked address or for a blocked subject, since
   * a signed token cannot be guessed online, while many staff share one proxy address: refusing valid tokens too would
   * let anyone lock a whole station, or one named person, out of the API with a handful of garbage tokens. The 429s are not counted, so a caller that keeps trying is free again when the window ends.
   */
  private refuse(context: ExecutionContext, unauthorized: ApiError, subject?: string): ApiError {
    const request = context.switchToHttp().getRequest<Request>();
    const address = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
    const wait = this.failures.blockedFor(address, subject);
    if (wait === undefined) {
      this.failures.recordFailure(address, subject);
      return unauthorized;
    }
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(wait));
    return ApiError.tooManyRequests('Too many failed attempts to authenticate; wait a moment and try again.');
  }
}
