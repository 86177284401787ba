import { describe, expect, it } from 'vitest';
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
