import { issuesToDetails } from '@chit/shared';
import type { Request } from 'express';
import type { z } from 'zod';
import type { NotFound } from './errors.js';
import { ValidationFailed } from './errors.js';

/** Parses `value` with `schema` or throws a 400 `validation_failed` listing every problem. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what = 'The request'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = issuesToDetails(result.error.issues);
    const first = details[0];
    const summary = first ? ` ${first.path}: ${first.message}` : '';
    throw new ValidationFailed('validation_failed', `${what} is not valid.${summary}`, { details });
  }
  return result.data;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter that must be a UUID; anything else cannot name a row, so it is a 404. */
export function uuidParam(value: unknown, notFound: () => NotFound): string {
  if (typeof value !== 'string' || !uuidPattern.test(value)) throw notFound();
  return value.toLowerCase();
}

/** A reader of the UUID path parameter `param`; a value that cannot name a row is `notFound`'s 404. */
export type PathId = ((req: Request) => string) & { param: string };

export function pathId(param: string, notFound: (value: string) => NotFound): PathId {
  const read = (req: Request) => uuidParam(req.params[param], () => notFound(String(req.params[param])));
  return Object.assign(read, { param });
}
