import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { catchError, defer, mergeMap, type Observable, throwError } from 'rxjs';
import { ApiErrorFilter } from '../common/error.filter';
import { AuditService } from './audit.service';

/**
 * Logs every request to a case or directory route once its handler has finished, before the response leaves, so
 * an access that cannot be logged is answered with 503 instead (refusals by the guard are logged there).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  /** Maps an error to the status the caller will get, exactly as the error filter will. */
  private readonly errors = new ApiErrorFilter();

  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.audit.covers(context)) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      catchError((error: unknown) => defer(() => this.audit.record(context, this.errors.toBody(error).statusCode)).pipe(
        mergeMap(() => throwError(() => error)),
      )),
      mergeMap(async (body: unknown) => {
        await this.audit.record(context, response.statusCode, body);
        return body;
      }),
    );
  }
}
