import { describe, expect, it } from 'vitest';
import {
  allDayCounts,
  elapsed,
  keepUnchanged,
  recallMoves,
  ticketBump,
  timerState,
  type Ticket,
  type TicketItem,
} from './board.js';
import { kitchenTicket, ticketLine } from '../../test/fixtures.js';
import { keyAction, moveAmong } from './keys.js';
import { withDefaults } from './settings.js';

const order1 = '70000000-0000-4000-8000-00000000a001';

function ticketOf(items: Partial<TicketItem>[]): Ticket {
  return kitchenTicket({
    orderId: order1,
    items: items.map((i, n) => ticketLine({ id: `i${n}`, menuItemId: `m${n % 2}`, name: `Dish ${n % 2}`, ...i })),
  });
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
  });

  it('pages with Page Down / Page Up and the bracket keys', () => {
    expect(keyAction({ key: 'PageDown' })).toEqual({ type: 'page', by: 1 });
    expect(keyAction({ key: ']' })).toEqual({ type: 'page', by: 1 });
    expect(keyAction({ key: 'PageUp' })).toEqual({ type: 'page', by: -1 });
    expect(keyAction({ key: '[' })).toEqual({ type: 'page', by: -1 });
  });

  it('moves the selection through columns: up and down in reading order, left and right to the nearest ticket beside', () => {
    // Column 0: tickets 0, 1; column 1: ticket 2 (tall), column 2: tickets 3, 4 (column 2 starts page 2 on a two-column page).
    const spots = [
      { column: 0, top: 0 },
      { column: 0, top: 400 },
      { column: 1, top: 0 },
      { column: 2, top: 0 },
      { column: 2, top: 380 },
    ];
    expect(moveAmong(spots, 1, 'down')).toBe(2);
    expect(moveAmong(spots, 4, 'down')).toBe(4);
    expect(moveAmong(spots, 0, 'up')).toBe(0);
    expect(moveAmong(spots, 1, 'right')).toBe(2);
    expect(moveAmong(spots, 2, 'right')).toBe(3);
    expect(moveAmong(spots, 1, 'left')).toBe(1);
    expect(moveAmong(spots, 4, 'left')).toBe(2);
    // Two-column page: from column 1 to 3 skips nothing when 2 has no ticket start.
    expect(
      moveAmong(
        [
          { column: 0, top: 0 },
          { column: 3, top: 10 },
        ],
        0,
        'right',
      ),
    ).toBe(1);
  });
});

describe('repainting after a bump', () => {
  it('keeps every unchanged ticket as it was, so only the bumped one is drawn again', () => {
    const a = { ...ticketOf([{}]), orderId: 'a' };
    const b = { ...ticketOf([{}]), orderId: 'b' };
    const before = [a, b];
    const bumpedB = { ...b, items: b.items.map((i) => ({ ...i, status: 'cooking' as const })) };
    const after = keepUnchanged(before, [structuredClone(a), bumpedB]);
    expect(after[0]).toBe(a);
    expect(after[1]).toBe(bumpedB);
    // Nothing changed: the very same list.
    expect(keepUnchanged(after, [structuredClone(a), structuredClone(bumpedB)])).toBe(after);
    // A ticket gone or added is a new list.
    expect(keepUnchanged(after, [structuredClone(a)])).toEqual([a]);
    expect(keepUnchanged(null, [a])).toEqual([a]);
  });
});
