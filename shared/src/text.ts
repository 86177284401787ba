import { z } from 'zod';

/*
 * Every string that crosses the wire is built on `Text`, and every timestamp or day a
 * client sends on `InstantInput` / `DayOrInstantInput`: PostgreSQL cannot store a NUL
 * character, nor (in jsonb) a lone UTF-16 surrogate, nor a date in year 0; found there
 * they would be a 500, and a tablet retries a 5xx for ever. Refused here, they are a 400
 * naming the field.
 */

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` cannot be stored as text, or undefined when it can. */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain a NUL character (\\u0000).';
  if (loneSurrogate.test(value)) {
    return 'must not contain a lone UTF-16 surrogate (half of an emoji or other character).';
  }
  return undefined;
}

/** A string PostgreSQL can store: the base of every text field a client sends. */
export const Text = z.string().superRefine((value, ctx) => {
  const problem = textProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `This text ${problem}` });
});

/** The years a date on the wire may fall in: a clock outside them is wrong, not history. */
export const yearRange = { min: 2000, max: 2100 } as const;

const yearMessage = `must be a date between the years ${yearRange.min} and ${yearRange.max}.`;
const inRange = (value: string) => {
  const year = Number(value.slice(0, 4));
  return year >= yearRange.min && year <= yearRange.max;
};

/**
 * An instant in an answer, with its offset, as the server writes it. (A client sends
 * `InstantInput`.)
 */
export const Timestamp = z.iso.datetime({ offset: true });

/**
 * An instant a client sends, with its offset (`2026-11-22T19:30:00Z`), in the years of
 * `yearRange`. (Answers use plain ISO timestamps: rows stored before this rule keep parsing.)
 */
export const InstantInput = Timestamp.refine(inRange, { message: `A time ${yearMessage}` });

const isoDay = z.iso.date();

/**
 * A report bound (`?from=`, `?to=`): a calendar day or an instant, in the years of
 * `yearRange`. One schema rather than a union, so a bad one gets one clear message.
 */
export const DayOrInstantInput = z.string().superRefine((value, ctx) => {
  if (!isoDay.safeParse(value).success && !Timestamp.safeParse(value).success) {
    ctx.addIssue({
      code: 'custom',
      message: 'Give a day (2026-11-20) or a time with its offset (2026-11-20T18:00:00Z).',
    });
  } else if (!inRange(value)) {
    ctx.addIssue({ code: 'custom', message: `The date ${yearMessage}` });
  }
});
