import { ItemResponse } from '@chit/shared';
import { entriesFor, mergeServerItem, recomputeItems } from '../merge.js';
import type { ChitDb, ItemRow } from '../schema.js';
import { newEntry, type Ctx, type Scope, type Seen, type WireRequest, type WriteResult } from './define.js';
import type { Mutation } from './index.js';

/** Where a write of one item belongs. */
export interface ItemOf {
  itemId: string;
  orderId: string;
  tableId: string | null;
}

/** The ids a write of this item carries. */
export function itemOf(row: ItemRow): ItemOf {
  return { itemId: row.id, orderId: row.orderId, tableId: row.tableId };
}

/** An item of an order without a table is reached through its order. */
export function itemPath(item: ItemOf): string {
  const owner =
    item.tableId === null ? `orders/${encodeURIComponent(item.orderId)}` : `tables/${encodeURIComponent(item.tableId)}`;
  return `/api/${owner}/items/${encodeURIComponent(item.itemId)}`;
}

/** A write's request to its item's own path (`body` from its arguments). */
export function itemRequest<Args extends ItemOf>(
  method: WireRequest['method'],
  body: (args: Args) => unknown,
): (args: Args) => WireRequest {
  return (args) => ({ method, path: itemPath(args), body: body(args) });
}

function itemScope(item: ItemOf): Scope {
  return { lane: item.orderId, orderId: item.orderId, tableId: item.tableId, itemId: item.itemId };
}

/**
 * What every write of one item shares: it waits behind its order's writes, the server
 * answers with the item, which is merged, and after a drop the item's place is read again.
 */
export const itemWrite = {
  scope: itemScope,
  answer: ItemResponse,
  merge: (db: ChitDb, answer: ItemResponse, seen: Seen) => mergeServerItem(db, answer.item, seen),
  refresh: 'place',
} as const;

/** Queues a write of one item and shows it on the item at once. Call inside a transaction with outbox and items. */
export async function queueItemWrite(db: ChitDb, ctx: Ctx, mutation: Mutation & { args: ItemOf }): Promise<void> {
  await db.outbox.add(newEntry(ctx, mutation, itemScope(mutation.args)));
  await recomputeItems(db, [mutation.args.itemId]);
}

/** A newer write of the same item replaces a change the server refused: that is how it gets fixed. */
async function dropRefusedChanges(db: ChitDb, row: ItemRow): Promise<void> {
  const superseded = (await entriesFor(db, row)).filter(
    (e) => e.mutation.name === 'patchItem' && e.itemId === row.id && e.state === 'refused',
  );
  await db.outbox.bulkDelete(superseded.map((e) => e.seq!));
}

/**
 * The waiter's change or void of an item the kitchen knows of: queued in place of the item's
 * refused changes, and shown on the item at once. Call inside a transaction with outbox and items.
 */
export async function queueItemChange(
  db: ChitDb,
  ctx: Ctx,
  row: ItemRow,
  mutation: Mutation & { args: ItemOf },
): Promise<WriteResult> {
  await dropRefusedChanges(db, row);
  await queueItemWrite(db, ctx, mutation);
  return { ok: true };
}
