import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../../workflows/contracts';

/** What a verified token (or a web session) says: person id, roles, unit (docs/api.md), and which issuer signed it. */
export interface Claims {
  id: string;
  roles: Role[];
  unit: string;
  /** The OIDC issuer that signed the token; absent for the deployment's own HS256 tokens and demo sign-in. */
  issuer?: string;
}

/**
 * Where a caller belongs, resolved by the auth guard from the people directory (or, for someone not in it, from the
 * token's issuer), never from a claim the caller could choose. Police staff have a force, CPS staff an area; an
 * administrator with neither manages the whole region.
 */
export interface Reach {
  forceId: string | null;
  areaId: string | null;
  /** The police units whose cases the caller's CPS area serves (unit_services): what CPS staff may be shown. */
  servedUnits: readonly string[];
}

/** Who is calling: the token's claims and where the directory places them. */
export type Principal = Claims & Reach;

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

export const hasRole = (principal: Pick<Claims, 'roles'>, ...roles: Role[]) => roles.some((r) => principal.roles.includes(r));
