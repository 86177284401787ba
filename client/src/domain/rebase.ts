import type { ItemStatus, OrderItem } from '@chit/shared';
import type { ItemRow, PendingWrite } from './item.js';

/** The body of a PATCH as this client writes it. */
export interface PatchBody {
  quantity?: number;
  note?: string;
  /** `served` from the waiter; queued/cooking/ready from the kitchen (bumps and recalls). */
  status?: Exclude<ItemStatus, 'voided'>;
  staffName?: string;
}

/** Turns the server's item into what the screens show. */
/** Items of an order as the waiter entered them (then by id, for rows stored before lines existed). */
export function byLine(a: Pick<ItemRow, 'line' | 'id'>, b: Pick<ItemRow, 'line' | 'id'>): number {
  return (a.line ?? 0) - (b.line ?? 0) || a.id.localeCompare(b.id);
}

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
 * The server's copy with this device's unsynced edits on top, so a refresh never shows an
 * item "going back" to what it was before a write the server has not seen yet. Refused
 * writes are not applied: they did not happen, and the item carries their message.
 */
export function rebase(base: ItemRow, entries: readonly PendingWrite[]): ItemRow {
  let row: ItemRow = { ...base, pendingWrites: 0, problem: null };
  for (const entry of entries) {
    if (entry.itemId !== row.id && !(entry.kind === 'createOrder' && entry.orderId === row.orderId)) continue;
    if (entry.state === 'refused') {
      row.problem = entry.lastError?.message ?? 'The server refused this change.';
      continue;
    }
    row.pendingWrites += 1;
    if (entry.kind === 'patchItem' || entry.kind === 'bumpItem') {
      const patch = entry.body as PatchBody;
      // A finished item stays finished: the server will refuse the write.
      const final = row.status === 'voided' || row.status === 'served';
      row = {
        ...row,
        quantity: patch.quantity ?? row.quantity,
        note: patch.note ?? row.note,
        status: final ? row.status : (patch.status ?? row.status),
      };
    } else if (entry.kind === 'voidItem') {
      row = { ...row, status: 'voided' };
    }
  }
  return row;
}
