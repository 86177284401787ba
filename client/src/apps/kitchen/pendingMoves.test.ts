import { describe, expect, it } from 'vitest';
import type { ItemRow } from '../../db/schema.js';
import { storedMoves, unsettledMoves, withPendingMoves, type PendingMove } from './pendingMoves.js';

function row(id: string, status: ItemRow['status'], patch: Partial<ItemRow> = {}): ItemRow {
  return {
    id,
    orderId: 'order-1',
    tableId: 'table-1',
    menuItemId: 'pizza',
    name: 'Margherita',
    station: 'pizza',
    unitPriceCents: 1000,
    quantity: 1,
    modifiers: [],
    note: '',
    cookMinutes: 12,
    status,
    sync: 'synced',
    takenAt: '2025-01-01T12:00:00.000Z',
    sentAt: '2025-01-01T12:00:00.000Z',
    cookingAt: null,
    readyAt: null,
    servedAt: null,
    server: null,
    pendingWrites: 0,
    problem: null,
    ...patch,
  };
}

const move = (itemId: string, from: PendingMove['from'], to: PendingMove['to'], batch = 1): PendingMove => ({
  itemId,
  from,
  to,
  batch,
  stored: false,
});

describe('a bump shows before IndexedDB has it', () => {
  it('shows the bumped item in its new state, marked as still sending, and leaves the others alone', () => {
    const items = [row('a', 'queued'), row('b', 'queued')];
    const shown = withPendingMoves(items, [move('a', 'queued', 'cooking')]);
    expect(shown.map((i) => [i.id, i.status, i.pendingWrites])).toEqual([
      ['a', 'cooking', 1],
      ['b', 'queued', 0],
    ]);
    expect(shown[1]).toBe(items[1]);
  });

  it('follows a ticket bumped twice before the first bump was stored', () => {
    const moves = [move('a', 'queued', 'cooking', 1), move('a', 'cooking', 'ready', 2)];
    expect(withPendingMoves([row('a', 'queued')], moves)[0]!.status).toBe('ready');
    // The first bump is in the data now; the second still shows.
    expect(withPendingMoves([row('a', 'cooking')], moves)[0]!.status).toBe('ready');
  });

  it('does not move an item that is no longer where the cook saw it, or one not yet on the server', () => {
    const moves = [move('a', 'queued', 'cooking'), move('b', 'queued', 'cooking')];
    const shown = withPendingMoves([row('a', 'voided'), row('b', 'queued', { sync: 'local' })], moves);
    expect(shown.map((i) => i.status)).toEqual(['voided', 'queued']);
  });

  it('drops the moves the write skipped at once and the stored ones with the next read of the data', () => {
    let moves: readonly PendingMove[] = [
      move('a', 'queued', 'cooking', 1),
      move('b', 'queued', 'cooking', 1),
      move('c', 'queued', 'cooking', 2),
    ];
    moves = storedMoves(moves, 1, [{ itemId: 'a', from: 'queued', to: 'cooking' }]);
    expect(moves.map((m) => [m.itemId, m.stored])).toEqual([
      ['a', true],
      ['c', false],
    ]);
    moves = unsettledMoves(moves);
    expect(moves.map((m) => m.itemId)).toEqual(['c']);
    // Nothing stored: the same list, so the board does not rebuild its tickets for nothing.
    expect(unsettledMoves(moves)).toBe(moves);
  });
});
