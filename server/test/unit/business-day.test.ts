import { describe, expect, it } from 'vitest';
import { businessDay, minutesOfDay } from '../../src/orders/business-day.js';

const four = minutesOfDay('04:00');

describe('the business day an order belongs to', () => {
  it('is the evening before until the day starts at 04:00, local time', () => {
    // Berlin is UTC+1 in November: 02:59 UTC is 03:59 local, 03:00 UTC is 04:00 local.
    expect(businessDay(new Date('2026-11-21T02:59:59Z'), 'Europe/Berlin', four)).toBe('2026-11-20');
    expect(businessDay(new Date('2026-11-21T03:00:00Z'), 'Europe/Berlin', four)).toBe('2026-11-21');
    expect(businessDay(new Date('2026-11-20T22:30:00Z'), 'Europe/Berlin', four)).toBe('2026-11-20');
  });

  it('starts at the same local time on the days the clocks change', () => {
    // 2026-03-29: Berlin goes from UTC+1 to UTC+2 at 02:00 local; 04:00 local is 02:00 UTC.
    expect(businessDay(new Date('2026-03-29T01:59:00Z'), 'Europe/Berlin', four)).toBe('2026-03-28');
    expect(businessDay(new Date('2026-03-29T02:00:00Z'), 'Europe/Berlin', four)).toBe('2026-03-29');
    // 2026-10-25: back to UTC+1 at 03:00 local; 04:00 local is 03:00 UTC.
    expect(businessDay(new Date('2026-10-25T02:59:00Z'), 'Europe/Berlin', four)).toBe('2026-10-24');
    expect(businessDay(new Date('2026-10-25T03:00:00Z'), 'Europe/Berlin', four)).toBe('2026-10-25');
  });

  it('is the calendar day when the day starts at midnight', () => {
    expect(businessDay(new Date('2026-11-20T23:59:00Z'), 'UTC', 0)).toBe('2026-11-20');
    expect(businessDay(new Date('2026-11-21T00:00:00Z'), 'UTC', 0)).toBe('2026-11-21');
    expect(minutesOfDay('23:30')).toBe(1410);
    expect(() => minutesOfDay('24:00')).toThrow();
  });
});
