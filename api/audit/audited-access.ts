import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { AuditFields } from '../../db/audit-chain';
import type { Principal } from '../auth/principal';

/**
 * What an audit entry is about, by the first path segment of the matched route after /api, or of a page (`''` is My
 * work at /): a page of case data is logged exactly like the API route it shows.
 */
const AUDITED_ROUTES: Record<string, 'case' | 'people' | 'audit' | 'codec'> = {
  '': 'case',
  cases: 'case',
  'early-advice': 'case',
  submissions: 'case',
  actions: 'case',
  'action-plans': 'case',
  clocks: 'case',
  reviews: 'case',
  tasks: 'case',
  escalations: 'case',
  'my-work': 'case',
  dashboard: 'case',
  clinics: 'case',
  // A schedule holds no case data: who changed a unit's clinic cadence is logged like the organisation.
  'clinic-schedules': 'people',
  panels: 'case',
  // Reports list cases (the repeat-suspect report: ids and URNs).
  reports: 'case',
  // Like a clinic schedule: who set a force's panel cadence and members.
  'panel-schedules': 'people',
  people: 'people',
  // The organisation is directory data too: who changed which force, area or unit.
  forces: 'people',
  'cps-areas': 'people',
  units: 'people',
  // Who subscribed which system to case events, rotated a secret or replayed events: configuration, like the organisation.
  webhooks: 'people',
  // Who looked at the audit log is itself worth knowing.
  audit: 'audit',
  // Decoding a payload reveals what a workflow carried.
  codec: 'codec',
};

export const DISCLOSED_TO_KEY = 'audit:disclosedTo';
/** Marks a route whose success discloses case data to another organisation (DPA 2018 s.62(3)), e.g. `'cps'`. */
export const DisclosesTo = (recipient: string) => SetMetadata(DISCLOSED_TO_KEY, recipient);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string | null | undefined): value is string => typeof value === 'string' && UUID.test(value);
/** Ids only: a path parameter that does not look like one is left out rather than copied into the log. */
const SAFE_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

export type AuditedRequest = Request & { principal?: Principal };

/**
 * The route pattern Express matched (`/api/cases/:id`). Deciding on the pattern, not the URL, means query strings,
 * case, encoding or trailing slashes cannot move a request out of the audit.
 */
export function matchedRoute(request: AuditedRequest): string | undefined {
  const path: unknown = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}

export function auditSubject(route: string | undefined) {
  const family = route?.match(/^(?:\/api)?\/([^/]*)/)?.[1];
  return family !== undefined && Object.hasOwn(AUDITED_ROUTES, family) ? AUDITED_ROUTES[family] : undefined;
}

/**
 * The audit entry for one request: who, what route, which case or record, with what status. Nothing from the body
 * except the id of what a POST created, so no personal data reaches the log.
 */
export function describeAccess(request: AuditedRequest, outcome: number, opts: { created?: unknown; disclosedTo?: string } = {}): AuditFields | undefined {
  const route = matchedRoute(request);
  const subject = auditSubject(route);
  if (!route || !subject) return undefined;
  const params: Record<string, string | undefined> = { ...(request.params as Record<string, string>) };
  const caseParam = params.caseId !== undefined ? 'caseId' : /^(\/api)?\/cases\/:id(\/|$)/.test(route) ? 'id' : undefined;
  const resourceParam = Object.keys(params).find((name) => name !== caseParam);
  const createdId = createdIdOf(opts.created, subject === 'people');
  let caseId = caseParam ? params[caseParam] : undefined;
  // A panel pack is named by its panel and label: which pack was read, without the case id the route never carries.
  let resourceId = resourceParam ? (params.label !== undefined && resourceParam === 'id' ? `${params.id}:${params.label}` : params[resourceParam]) : undefined;
  if (request.method === 'POST' && !caseParam && !resourceParam && createdId) {
    if (subject === 'case' && /^(\/api)?\/cases$/.test(route)) caseId = createdId;
    else resourceId = createdId;
  }
  return {
    occurredAt: new Date(),
    actorId: request.principal?.id ?? null,
    actorRoles: request.principal?.roles ?? [],
    action: `${subject}.${subject === 'codec' ? route.split('/').pop() : request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write'}`,
    method: request.method,
    route,
    caseId: caseId && UUID.test(caseId) ? caseId.toLowerCase() : null,
    resourceId: resourceId && SAFE_ID.test(resourceId) ? resourceId : null,
    outcome,
    sourceIp: request.ip ?? request.socket?.remoteAddress ?? null,
    disclosedTo: outcome < 400 ? (opts.disclosedTo ?? null) : null,
  };
}

/** The id of what a POST created: a UUID, or in the directory also a chosen id such as a unit's (never personal data). */
function createdIdOf(body: unknown, directory: boolean): string | undefined {
  const id = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' && (UUID.test(id) || (directory && SAFE_ID.test(id))) ? id : undefined;
}
