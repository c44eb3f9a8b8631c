import { ParseUUIDPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/** Path ids are UUIDs; anything else is a 400 naming the parameter. */
export const uuidParam = (name = 'id') =>
  new ParseUUIDPipe({ exceptionFactory: () => ApiError.badRequest(`${name} must be a UUID.`, [{ field: name, problem: 'must be a UUID' }]) });
