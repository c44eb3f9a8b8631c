import { Param, ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { ApiParam, type ApiParamOptions } from '@nestjs/swagger';
import { ApiError } from './api-error';
import { SLUG } from './dto';

/** Path ids are UUIDs; anything else is a 400 naming the parameter. */
const uuidParam = (name = 'id') =>
  new ParseUUIDPipe({ exceptionFactory: () => ApiError.badRequest(`${name} must be a UUID.`, [{ field: name, problem: 'must be a UUID' }]) });

/** Slug path ids (a force, area or unit): lower-case letters, digits and dashes; anything else is a 400 naming it. */
const slugParam = (name: string): PipeTransform<string, string> => ({
  transform(value: string) {
    if (!SLUG.test(value)) throw ApiError.badRequest(`${name} must be a lower-case id of letters, digits and dashes.`, [{ field: name, problem: 'must be 2–64 lower-case letters, digits or dashes' }]);
    return value;
  },
});

/** A path parameter validated by `pipe` and documented as `doc` says, on the same method. */
function documentedParam(name: string, pipe: PipeTransform, doc: ApiParamOptions): ParameterDecorator {
  return (target, method, index) => {
    Param(name, pipe)(target, method as string, index);
    const descriptor = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (descriptor) ApiParam(doc)(target, method as string, descriptor);
  };
}

/**
 * A UUID path parameter: validated (400 naming it otherwise) and documented as `format: uuid` in the OpenAPI
 * document, so clients and the API fuzzer know what an id looks like.
 */
export function UuidParam(name = 'id'): ParameterDecorator {
  return documentedParam(name, uuidParam(name), { name, type: String, format: 'uuid' });
}

/** A slug path parameter, validated like UuidParam and documented with its pattern. */
export function SlugParam(name = 'id'): ParameterDecorator {
  return documentedParam(name, slugParam(name), { name, schema: { type: 'string', pattern: SLUG.source } });
}
