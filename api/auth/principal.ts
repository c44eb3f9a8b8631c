import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../../workflows/contracts';

/** Who is calling, from the verified token: person id, roles, unit (docs/api.md). */
export interface Principal {
  id: string;
  roles: Role[];
  unit: string;
}

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
export const PAGE_KEY = 'page';

/** Roles allowed on a route; a valid token without one of them gets 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No token needed (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** A web page: the caller is whoever is signed in to the session cookie, not a bearer token; the role rules are the same. */
export const Page = () => SetMetadata(PAGE_KEY, true);

export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

export const hasRole = (principal: Principal, ...roles: Role[]) => roles.some((r) => principal.roles.includes(r));
