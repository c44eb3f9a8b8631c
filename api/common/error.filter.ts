import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Response } from 'express';
import { type ApiErrorBody, errorName } from './api-error';

/** Business refusals raised by workflow update validators, by ApplicationFailure type. */
const FAILURE_STATUS: Record<string, number> = {
  IllegalTransition: 409,
  Duplicate: 409,
  InvalidCommand: 422,
  NotFound: 404,
};

/**
 * The one exception filter: every error leaves in the shape of docs/api.md. Unexpected errors become a bare
 * 500 with no stack, message or personal data; what went wrong is logged by name and code only.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logUnexpected(exception);
    // The rate limiter sets the exact wait; 60 s is the longest a one-minute window can ask for.
    if (body.statusCode === 429 && !response.hasHeader('Retry-After')) response.setHeader('Retry-After', '60');
    response.status(body.statusCode).json(body);
  }

  /** What went wrong, by name and code only: never a message that might carry personal data. */
  protected logUnexpected(exception: unknown): void {
    const err = exception as { name?: string; code?: string };
    this.logger.error(`unhandled ${err?.name ?? typeof exception}${err?.code ? ` (${err.code})` : ''}`);
  }

  /** Public so the audit interceptor records the status the caller actually receives. */
  toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      if (typeof res === 'object' && res && 'message' in res && 'statusCode' in res && 'error' in res && typeof res.message === 'string') {
        return res as ApiErrorBody;
      }
      // Nest's own exceptions (body-parser errors, 404 routes): keep the status, give our shape.
      return { statusCode: status, error: errorName(status), message: httpMessage(status, exception) };
    }
    // body-parser refuses oversized or undecodable bodies with http-errors (`expose` marks the caller's fault).
    const parserStatus = callerFaultStatus(exception);
    if (parserStatus) return { statusCode: parserStatus, error: errorName(parserStatus), message: httpMessage(parserStatus, { message: String((exception as { message?: unknown }).message ?? '') }) };
    if (exception instanceof WorkflowUpdateFailedError && exception.cause instanceof ApplicationFailure) {
      const status = FAILURE_STATUS[exception.cause.type ?? ''] ?? 409;
      return { statusCode: status, error: errorName(status), message: exception.cause.message };
    }
    if (exception instanceof WorkflowNotFoundError) return { statusCode: 404, error: errorName(404), message: 'The case was not found.' };
    if (exception instanceof WorkflowExecutionAlreadyStartedError) return { statusCode: 409, error: errorName(409), message: 'That case is already registered.' };
    if (exception instanceof ServiceError) {
      return { statusCode: 503, error: errorName(503), message: 'The workflow service is unavailable; nothing was changed. Try again shortly.' };
    }
    return { statusCode: 500, error: errorName(500), message: 'Something went wrong on our side; nothing you sent was lost. Try again.' };
  }
}

function callerFaultStatus(exception: unknown): number | undefined {
  const { status, expose } = (exception ?? {}) as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function httpMessage(status: number, exception: { message: string }): string {
  if (status === 400) return 'The request body is not valid JSON.';
  if (status === 404) return 'No such route.';
  if (status === 413) return 'The request body is too large.';
  if (status === 415) return 'Send the body as application/json.';
  return exception.message.replace(/[\r\n]/g, ' ').slice(0, 200);
}
