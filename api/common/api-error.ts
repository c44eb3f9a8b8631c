import { HttpException, HttpStatus } from '@nestjs/common';

/** One field-level problem in an error body (docs/api.md). */
export interface FieldProblem {
  field: string;
  problem: string;
}

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldProblem[];
}

const NAMES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

/** The one way the API refuses a request: status, a human sentence, optional field problems. No personal data. */
export class ApiError extends HttpException {
  constructor(status: number, message: string, details?: FieldProblem[]) {
    const body: ApiErrorBody = { statusCode: status, error: NAMES[status] ?? 'Error', message, ...(details ? { details } : {}) };
    super(body, status);
  }

  static badRequest(message: string, details?: FieldProblem[]) { return new ApiError(HttpStatus.BAD_REQUEST, message, details); }
  static unprocessable(message: string, details?: FieldProblem[]) { return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, message, details); }
  static unauthorized(message = 'A valid bearer token is required.') { return new ApiError(HttpStatus.UNAUTHORIZED, message); }
  static forbidden(message = 'Your role does not allow this.') { return new ApiError(HttpStatus.FORBIDDEN, message); }
  static notFound(what: string) { return new ApiError(HttpStatus.NOT_FOUND, `${what} was not found.`); }
  static conflict(message: string) { return new ApiError(HttpStatus.CONFLICT, message); }
  /** Set the Retry-After header on the response as well. */
  static tooManyRequests(message: string) { return new ApiError(HttpStatus.TOO_MANY_REQUESTS, message); }
  static unavailable(message: string) { return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, message); }
}

export function errorName(status: number): string {
  return NAMES[status] ?? 'Error';
}
