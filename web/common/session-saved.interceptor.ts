import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { mergeMap, type Observable } from 'rxjs';
import { isPageRequest } from '../setup/pages-only';

/**
 * Stores a page's session before its response leaves. express-session saves while it writes the response, so a
 * browser following a redirect at once (after signing in, or to show a form's notice) can otherwise arrive before the
 * session is stored and find itself signed out.
 */
@Injectable()
export class SessionSavedInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (context.getType() !== 'http' || !isPageRequest(request)) return next.handle();
    return next.handle().pipe(mergeMap(async (result: unknown) => {
      // Only a redirect is followed at once; a rendered page is saved as it is written, as usual.
      const redirect = typeof result === 'object' && result !== null && 'url' in result;
      if (redirect && request.session) await new Promise<void>((resolve, reject) => request.session.save((err) => (err ? reject(err as Error) : resolve())));
      return result;
    }));
  }
}
