import { describe, expect, it } from 'vitest';
import { allDayCounts, elapsed, recallMoves, ticketBump, timerState, type Ticket } from './board.js';
import { ids } from '../../test/fixtures.js';
import { keyAction, moveSelection } from './keys.js';
import { withDefaults } from './settings.js';

const order1 = '70000000-0000-4000-8000-00000000a001';

function ticketOf(items: Partial<Ticket['items'][number]>[]): Ticket {
  return {
    ticketNumber: 12,
    orderId: order1,
    tableId: ids.table1,
    tableLabel: 'Table 1',
    staffName: 'Ana',
    note: '',
    sentAt: '2025-01-01T12:00:00.000Z',
    state: 'queued',
    cookMinutes: 10,
    allergies: [],
    allergyAck: null,
    alerts: [],
    edited: false,
    items: items.map((i, n) => ({
      id: `i${n}`,
      menuItemId: `m${n % 2}`,
      name: `Dish ${n % 2}`,
      station: 'pizza',
      quantity: 1,
      modifiers: [],
      note: '',
      status: 'queued',
      cookMinutes: 10,
      voided: false,
      voidedAfterCooking: false,
      voidReason: null,
      edit: null,
      pending: false,
      ...i,
    })),
  };
}

describe('the board rules', () => {
  it('colours the timer against the cook time with the configured thresholds', () => {
    const s = withDefaults(null);
    expect(timerState(7 * 60_000, 10, s)).toBe('on-time');
    expect(timerState(8 * 60_000, 10, s)).toBe('near');
    expect(timerState(10 * 60_000, 10, s)).toBe('near');
    expect(timerState(10 * 60_000 + 1000, 10, s)).toBe('overdue');
    expect(timerState(6 * 60_000, 10, withDefaults({ nearPercent: 50, overduePercent: 60 }))).toBe('near');
    expect(withDefaults({ nearPercent: 90, overduePercent: 50 }).overduePercent).toBe(90);
    expect(elapsed(125_000)).toBe('2:05');
  });

  it('counts open quantities per dish across tickets, leaving ready and voided out', () => {
    const a = ticketOf([{ quantity: 2 }, { quantity: 1, status: 'cooking' }, { quantity: 5, status: 'ready' }]);
    const b = ticketOf([{ quantity: 3, voided: true, status: 'voided' }, { quantity: 4 }]);
    expect(allDayCounts([a, b])).toEqual([
      { menuItemId: 'm1', name: 'Dish 1', quantity: 5, cooking: 1 },
      { menuItemId: 'm0', name: 'Dish 0', quantity: 2, cooking: 0 },
    ]);
  });

  it('bumps the least advanced items of a ticket one step, and recalls only what is still where it left it', () => {
    const t = {
      ...ticketOf([{ status: 'queued' }, { status: 'cooking' }, { status: 'queued' }]),
      state: 'queued' as const,
    };
    expect(ticketBump(t)).toEqual([
      { itemId: 'i0', from: 'queued', to: 'cooking' },
      { itemId: 'i2', from: 'queued', to: 'cooking' },
    ]);
    const cooking = { ...ticketOf([{ status: 'cooking' }, { status: 'ready' }]), state: 'cooking' as const };
    expect(ticketBump(cooking)).toEqual([{ itemId: 'i0', from: 'cooking', to: 'ready' }]);
    const last = { orderId: order1, tableLabel: 'Table 1', at: 0, moves: ticketBump(cooking) };
    expect(recallMoves(last, new Map([['i0', 'ready']]))).toEqual([{ itemId: 'i0', from: 'ready', to: 'cooking' }]);
    expect(recallMoves(last, new Map([['i0', 'voided']]))).toEqual([]);
  });

  it('maps bump-bar keys, ignoring text fields and letting focused buttons handle Enter', () => {
    expect(keyAction({ key: '3' })).toEqual({ type: 'select', index: 2 });
    expect(keyAction({ key: 'Enter' })).toEqual({ type: 'bump' });
    expect(keyAction({ key: ' ', target: 'button' })).toBeNull();
    expect(keyAction({ key: 'b', target: 'button' })).toEqual({ type: 'bump' });
    expect(keyAction({ key: 'R' })).toEqual({ type: 'recall' });
    expect(keyAction({ key: 'v' })).toEqual({ type: 'toggleReady' });
    expect(keyAction({ key: '?' })).toEqual({ type: 'help' });
    expect(keyAction({ key: 'r', target: 'text' })).toBeNull();
    expect(keyAction({ key: 'r', ctrlKey: true })).toBeNull();
    expect(keyAction({ key: '0' })).toBeNull();
    expect(moveSelection(0, 'right', 5, 3)).toBe(1);
    expect(moveSelection(1, 'down', 5, 3)).toBe(4);
    expect(moveSelection(4, 'down', 5, 3)).toBe(4);
    expect(moveSelection(0, 'left', 5, 3)).toBe(0);
  });
});
