// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ticket } from './board.js';
import { freshMs, useNewTicketAlerts } from './useNewTicketAlerts.js';
import { kitchenTicket } from '../../test/fixtures.js';

const ticket = (orderId: string): Ticket =>
  kitchenTicket({ orderId, ticketNumber: null, tableId: null, tableLabel: `Takeaway · ${orderId}` });

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function board(initial: Ticket[] | null) {
  return renderHook(({ tickets }) => useNewTicketAlerts(tickets, { flash: true, sound: false }), {
    initialProps: { tickets: initial },
  });
}

describe('the new-ticket highlight', () => {
  it('does not highlight the tickets that were there when the board opened', () => {
    const { result } = board([ticket('a'), ticket('b')]);
    expect(result.current.fresh.size).toBe(0);
    expect(result.current.flash).toBe(false);
  });

  it('highlights a new ticket and flashes the screen, then stops', () => {
    const { result, rerender } = board([ticket('a')]);
    rerender({ tickets: [ticket('a'), ticket('b')] });
    expect([...result.current.fresh]).toEqual(['b']);
    expect(result.current.flash).toBe(true);
    act(() => void vi.advanceTimersByTime(freshMs));
    expect(result.current.fresh.size).toBe(0);
    expect(result.current.flash).toBe(false);
  });

  it('ends on time even when the board’s data changes while it lasts', () => {
    const { result, rerender } = board([ticket('a')]);
    rerender({ tickets: [ticket('a'), ticket('b')] });
    act(() => void vi.advanceTimersByTime(2_000));
    // A bump elsewhere: the same tickets, rebuilt.
    rerender({ tickets: [ticket('a'), ticket('b')] });
    act(() => void vi.advanceTimersByTime(freshMs));
    expect(result.current.fresh.size).toBe(0);
  });

  it('ends each new ticket’s highlight on its own clock', () => {
    const { result, rerender } = board([ticket('a')]);
    rerender({ tickets: [ticket('a'), ticket('b')] });
    act(() => void vi.advanceTimersByTime(5_000));
    rerender({ tickets: [ticket('a'), ticket('b'), ticket('c')] });
    expect([...result.current.fresh].sort()).toEqual(['b', 'c']);
    act(() => void vi.advanceTimersByTime(freshMs - 5_000));
    expect([...result.current.fresh]).toEqual(['c']);
    act(() => void vi.advanceTimersByTime(5_000));
    expect(result.current.fresh.size).toBe(0);
  });
});
