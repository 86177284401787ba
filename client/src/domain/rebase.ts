import type { OrderItem } from '@chit/shared';
import type { ItemRow, PendingWrite } from './item.js';

/** Items of an order as the waiter entered them (then by id, for rows stored before lines existed). */
export function byLine(a: Pick<ItemRow, 'line' | 'id'>, b: Pick<ItemRow, 'line' | 'id'>): number {
  return (a.line ?? 0) - (b.line ?? 0) || a.id.localeCompare(b.id);
}

/** Turns the server's item into what the screens show. */
export function rowFromServer(item: OrderItem, previous: ItemRow | undefined): ItemRow {
  return {
    id: item.id,
    orderId: item.orderId,
    tableId: item.tableId,
    menuItemId: item.menuItemId,
    name: item.name,
    station: item.station,
    unitPriceCents: item.unitPriceCents,
    quantity: item.quantity,
    modifiers: item.modifiers,
    note: item.note,
    allergy: item.allergy ?? null,
    cookMinutes: item.cookMinutes,
    line: item.line,
    status: item.status,
    sync: 'synced',
    takenAt: previous?.takenAt ?? item.deviceTime ?? item.createdAt,
    sentAt: item.createdAt,
    cookingAt: item.cookingAt,
    readyAt: item.readyAt,
    servedAt: item.servedAt,
    server: item,
    pendingWrites: 0,
    problem: null,
    edit: previous?.edit ?? null,
    position: previous?.position ?? 0,
    ...(previous?.serverSeenAt === undefined ? {} : { serverSeenAt: previous.serverSeenAt }),
  };
}

/**
 * The server's copy with this device's unsynced writes on top, each replayed by its
 * mutation's name (`replay`, from db/mutations), so a refresh never shows an item "going
 * back" to what it was before a write the server has not seen yet. Refused writes are not
 * applied: they did not happen, and the item carries their message.
 */
export function rebase<W extends PendingWrite>(
  base: ItemRow,
  entries: readonly W[],
  replay: (row: ItemRow, mutation: W['mutation']) => ItemRow,
): ItemRow {
  let row: ItemRow = { ...base, pendingWrites: 0, problem: null };
  for (const entry of entries) {
    const touches = entry.itemId === row.id || (entry.itemId === null && entry.orderId === row.orderId);
    if (!touches) continue;
    if (entry.state === 'refused') {
      row.problem = entry.lastError?.message ?? 'The server refused this change.';
      continue;
    }
    row.pendingWrites += 1;
    row = replay(row, entry.mutation);
  }
  return row;
}
