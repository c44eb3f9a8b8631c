import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { isISO8601, ValidateBy } from 'class-validator';
import { ApiError, type FieldProblem } from './api-error';

/** Flattens class-validator's nested errors into `{ field: 'victim.name', problem }` pairs. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** Where a NUL character hides in a body, query or path value (`victim.name`), if anywhere. */
function nulAt(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null || depth > 32) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nulAt(inner, path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The ValidationPipe, plus one rule for every argument, typed or not: no NUL characters, which PostgreSQL cannot store
 * in text (they were a 500 until the API fuzzer sent one).
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const field = nulAt(value, metadata.data ?? '');
      if (field !== undefined) throw ApiError.badRequest('Text may not contain NUL characters.', [{ field: field || metadata.type, problem: 'contains a NUL character' }]);
    }
    return super.transform(value, metadata);
  }
}

/** The earliest and latest instants a timestamp parameter may name: PostgreSQL and JavaScript both hold them. */
const TIMESTAMP_RANGE = [Date.parse('1900-01-01T00:00:00Z'), Date.parse('9999-12-31T23:59:59Z')] as const;

/**
 * A strict ISO-8601 date-time that is a real instant between 1900 and 9999. ISO-8601 alone admits offsets such as
 * `-22:12`, which PostgreSQL refuses (a 500 the API fuzzer found).
 */
export const IsTimestamp = () => ValidateBy({
  name: 'isTimestamp',
  validator: {
    validate: (value: unknown) => typeof value === 'string' && isISO8601(value, { strict: true }) && /(Z|[+-](0\d|1[0-4]):?[0-5]\d)$/.test(value)
      && Date.parse(value) >= TIMESTAMP_RANGE[0] && Date.parse(value) <= TIMESTAMP_RANGE[1],
    defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO-8601 date-time with Z or an offset up to ±14:59, between 1900 and 9999`,
  },
});

/** Global validation: unknown fields are refused (no mass assignment), types are checked, every problem is listed. */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = fieldProblems(errors);
      return ApiError.badRequest(`The request has ${details.length} invalid field${details.length === 1 ? '' : 's'}.`, details);
    },
  });
}
