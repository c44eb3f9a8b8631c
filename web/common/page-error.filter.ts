import { type ArgumentsHost, Catch } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError, type FieldProblem } from '../../api/common/api-error';
import { ApiErrorFilter } from '../../api/common/error.filter';
import { isPageRequest } from '../setup/pages-only';
import { fieldId, plainProblem } from './forms';

/**
 * A form the services refused (400/409/422): the page it came from, shown again with the refusal in the error
 * summary and the person's answers kept. It is an ApiError, so the audit log records the status the person saw.
 */
export class FormRejected extends ApiError {
  constructor(readonly view: string, readonly model: Record<string, unknown>, status: number, message: string, details?: FieldProblem[]) {
    super(status, message, details);
  }
}

const TITLES: Record<number, string> = {
  400: 'There is a problem with that request', 403: 'You cannot see this page', 404: 'Page not found', 409: 'That cannot be done now',
  413: 'That was too much to send', 422: 'There is a problem with that request', 429: 'Too many attempts', 503: 'Sorry, the service is unavailable',
};

/**
 * The one exception filter, for pages as for the API: the same statuses and messages, rendered as a page for a page
 * request. Signing in is a redirect; a page of a case the person may not see gives the same 404 as the API.
 */
@Catch()
export class PageErrorFilter extends ApiErrorFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (!isPageRequest(request)) return super.catch(exception, host);
    if (response.headersSent) return;
    const body = this.toBody(exception);
    if (exception instanceof FormRejected) {
      return response.status(body.statusCode).render(exception.view, { errors: errorSummary(body.message, body.details), ...exception.model });
    }
    if (body.statusCode === 401) {
      if (request.method === 'GET' && request.session) request.session.returnTo = request.originalUrl;
      return response.redirect(303, '/sign-in');
    }
    if (body.statusCode >= 500) this.logUnexpected(exception);
    if (body.statusCode === 429 && !response.hasHeader('Retry-After')) response.setHeader('Retry-After', '60');
    response.status(body.statusCode).render('errors/error.njk', { pageTitle: TITLES[body.statusCode] ?? 'Something went wrong', status: body.statusCode, message: body.message });
  }
}

/**
 * The GOV.UK error summary's list: each field problem in the form's words, linked to its input (or to the first input
 * of the group it is about), else the refusal itself.
 */
export function errorSummary(message: string, details?: FieldProblem[], form: { prefix?: string; labels?: Map<string, string> } = {}) {
  if (!details?.length) return [{ text: message }];
  const paths = [...(form.labels?.keys() ?? [])];
  return details.map((d) => {
    const path = paths.find((p) => p === d.field) ?? paths.find((p) => p.startsWith(`${d.field}.`)) ?? d.field;
    return { text: `${form.labels?.get(path) ?? fieldLabel(d.field)}: ${plainProblem(d.problem)}`, href: `#${form.prefix ?? ''}${fieldId(path)}` };
  });
}

const fieldLabel = (field: string) => field.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? field;
