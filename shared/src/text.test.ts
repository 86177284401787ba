import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as shared from './index.js';
import { DayOrInstantInput, InstantInput, Text, textProblem } from './text.js';

describe('text a client may send', () => {
  it('takes any well-formed text, emoji and control characters but NUL included', () => {
    for (const ok of ['', 'Zoë', 'birthday 🎂', 'tab\tnew\nline\u0001\u001b', '\uFFFD']) {
      expect(textProblem(ok), JSON.stringify(ok)).toBeUndefined();
      expect(Text.safeParse(ok).success).toBe(true);
    }
  });

  it('refuses NUL and lone surrogates, each with a message saying which', () => {
    expect(textProblem('a\u0000b')).toContain('NUL');
    for (const bad of ['\uD800', 'a\uDBFFb', '\uDC00', 'x\uDFFF', '\uDE00\uD83D']) {
      expect(textProblem(bad), JSON.stringify(bad)).toContain('surrogate');
    }
    expect(Text.safeParse('a\u0000').error?.issues[0]?.message).toMatch(/^This text must not contain a NUL/);
  });
});

describe('dates a client may send', () => {
  it('lie between the years 2000 and 2100', () => {
    expect(InstantInput.safeParse('2026-11-30T12:00:00Z').success).toBe(true);
    expect(InstantInput.safeParse('2100-12-31T23:59:59+01:00').success).toBe(true);
    expect(InstantInput.safeParse('0000-01-01T00:00:00Z').success).toBe(false);
    expect(DayOrInstantInput.safeParse('2000-01-01').success).toBe(true);
    expect(DayOrInstantInput.safeParse('1999-12-31').error?.issues[0]?.message).toContain('2000 and 2100');
    expect(DayOrInstantInput.safeParse('yesterday').error?.issues[0]?.message).toContain('Give a day');
  });
});

/** Every string schema a client's input can reach inside `schema`. */
function stringLeaves(schema: z.ZodType, seen = new Set<unknown>()): z.ZodType[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  // zod 4 keeps a schema's parts on `_zod.def`; only the kinds wire inputs use are walked.
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const walk = (child: unknown) => stringLeaves(child as z.ZodType, seen);
  switch (def.type) {
    case 'string':
      return [schema];
    case 'object':
      return Object.values(def.shape as Record<string, unknown>).flatMap(walk);
    case 'array':
      return walk(def.element);
    case 'union':
      return (def.options as unknown[]).flatMap(walk);
    case 'pipe':
      return walk(def.in);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return walk(def.innerType);
    default:
      return [];
  }
}

describe('every request schema in shared', () => {
  // Names ending in Request, Input, Patch or Query are what clients send.
  const inputs = Object.entries(shared).filter(
    ([name, value]) => /(Request|Input|Patch|Query)$/.test(name) && value instanceof z.ZodType,
  ) as [string, z.ZodType][];

  it('are found (the walk is not vacuous)', () => {
    expect(inputs.map(([name]) => name)).toEqual(expect.arrayContaining(['CreateOrderRequest', 'PairRequest']));
    expect(stringLeaves(shared.CreateOrderRequest).length).toBeGreaterThan(5);
  });

  it('refuse NUL and lone surrogates in every string they take', () => {
    const unguarded: string[] = [];
    for (const [name, schema] of inputs) {
      stringLeaves(schema).forEach((leaf, i) => {
        for (const bad of ['abcd\u0000efgh', 'abcd\uD800efgh']) {
          if (leaf.safeParse(bad).success) unguarded.push(`${name} string #${i} takes ${JSON.stringify(bad)}`);
        }
      });
    }
    expect(unguarded).toEqual([]);
  });
});
