import { type CanActivate, type ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../../workflows/contracts';
import { AuditService } from '../audit/audit.service';
import { ApiError } from '../common/api-error';
import { type Principal, PUBLIC_KEY, ROLES_KEY } from './principal';
import { TokenVerifier } from './token-verifier';

/** Global guard: every route needs a valid bearer token and one of its roles, unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly verifier: TokenVerifier, @Optional() private readonly audit?: AuditService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw ApiError.unauthorized();
    try {
      request.principal = await this.verifier.verify(token);
    } catch {
      throw ApiError.unauthorized('The bearer token is invalid or expired.');
    }
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!allowed.some((role) => request.principal!.roles.includes(role))) {
      // A known person refused case data is an access attempt the audit log keeps; interceptors never see it.
      await this.audit?.record(context, 403);
      throw ApiError.forbidden();
    }
    return true;
  }
}
