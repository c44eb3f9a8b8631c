import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ApiError } from './api-error';

/** Path ids are UUIDs; anything else is a 400 naming the parameter. */
const uuidParam = (name = 'id') =>
  new ParseUUIDPipe({ exceptionFactory: () => ApiError.badRequest(`${name} must be a UUID.`, [{ field: name, problem: 'must be a UUID' }]) });

/**
 * A UUID path parameter: validated (400 naming it otherwise) and documented as `format: uuid` in the OpenAPI
 * document, so clients and the API fuzzer know what an id looks like.
 */
export function UuidParam(name = 'id'): ParameterDecorator {
  return (target, method, index) => {
    Param(name, uuidParam(name))(target, method as string, index);
    const descriptor = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (descriptor) ApiParam({ name, type: String, format: 'uuid' })(target, method as string, descriptor);
  };
}
