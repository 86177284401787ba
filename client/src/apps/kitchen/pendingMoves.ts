import type { StatusMove } from '../../db/mutations/bumpItem.js';
import type { ItemRow } from '../../db/schema.js';

/**
 * A bump this board has made that the live data may not show yet. The local write goes
 * through IndexedDB and the live query re-reads every open item after it (tens of ms with
 * sixty tickets, longer while the sender's own writes keep re-triggering it), so the board
 * shows the cook's bump from memory first. `stored`: the outbox write has committed, so the
 * next read of the data shows it (or shows why not), and the move can go.
 */
export interface PendingMove extends StatusMove {
  /** Which call of `move` made it: its answer settles exactly its own moves. */
  batch: number;
  stored: boolean;
}

/** The moves in the order the cook made them: a ticket bumped twice fast has two per item. */
export type PendingMoves = readonly PendingMove[];

/** Items as the cook last saw them: each pending move applied where its item is where it was. */
export function withPendingMoves(items: readonly ItemRow[], moves: PendingMoves): readonly ItemRow[] {
  if (moves.length === 0) return items;
  const byItem = new Map<string, PendingMove[]>();
  for (const m of moves) byItem.set(m.itemId, [...(byItem.get(m.itemId) ?? []), m]);
  return items.map((row) => {
    const chain = byItem.get(row.id);
    if (!chain || row.sync !== 'synced') return row;
    let status = row.status;
    for (const m of chain) if (m.from === status) status = m.to;
    return status === row.status ? row : { ...row, status, pendingWrites: row.pendingWrites + 1 };
  });
}

/** After `move`'s write: the moves it stored are kept until the data shows them, the skipped ones go. */
export function storedMoves(moves: PendingMoves, batch: number, stored: readonly StatusMove[]): PendingMoves {
  const ids = new Set(stored.map((m) => m.itemId));
  return moves.flatMap((m) => (m.batch !== batch ? [m] : ids.has(m.itemId) ? [{ ...m, stored: true }] : []));
}

/** New data was read: what was stored before is in it, so only the moves still being written stay. */
export function unsettledMoves(moves: PendingMoves): PendingMoves {
  return moves.some((m) => m.stored) ? moves.filter((m) => !m.stored) : moves;
}
