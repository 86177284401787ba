import { z } from 'zod';
import { Text } from './text.js';
import { limits } from './http.js';

/*
 * Field sets and fields that several schemas are made of. Spread a set into `z.object`
 * where its fields stand; the wire shape is the same as writing them out.
 */

/** Something people pick by name: its id and that name. */
export const idAndName = { id: z.uuid(), name: z.string() };

/** The device an order or action came from: its id, and its name at the time. */
export const fromDevice = { deviceId: z.uuid(), deviceName: z.string() };

/** Who made a change, as the waiter or cook gave it on the tablet ('' when nobody said). */
export const StaffName = Text.trim().max(limits.maxStaffNameLength);

/**
 * A span in whole minutes, from `min` up to a day, 15 when left out: how long a pairing
 * code lives, how long the board keeps showing a void. `number` is `z.number()`, or
 * `z.coerce.number()` in a query string.
 */
export function minutesUpToADay<T extends z.ZodNumber | z.ZodCoercedNumber<unknown>>(number: T, min: 0 | 1) {
  // Each step returns `this`, but on a union TypeScript loses which member T is.
  return number
    .int()
    .min(min)
    .max(24 * 60)
    .default(15) as z.ZodDefault<T>;
}

/**
 * A PATCH changes at least one field; naming only `staffName` (who changed it) changes
 * nothing.
 */
export function changesSomething(patch: Record<string, unknown>): boolean {
  return Object.entries(patch).some(([key, value]) => key !== 'staffName' && value !== undefined);
}

/**
 * The create and patch requests of something the manager edits, made from its fields
 * without defaults. The create request gives the fields in `defaults` theirs, and
 * `staffName` ''. The patch makes every field optional, with no default (one inside
 * `.partial()` would still apply: a patch that does not mention `sort` would reset it),
 * and must change something.
 */
export function editRequests<F extends z.ZodRawShape, D extends { [K in keyof F]?: z.ZodType }>(
  fields: F,
  defaults: D,
  patchMessage: string,
) {
  const staffName = StaffName.default('');
  // The spread's type is F & D & …, which would intersect an overridden field's schemas.
  const input = { ...fields, ...defaults, staffName } as Omit<F, keyof D | 'staffName'> &
    D & { staffName: typeof staffName };
  return {
    input: z.object(input),
    patch: z.object(fields).partial().strict().refine(changesSomething, { message: patchMessage }),
  };
}
