import { ItemResponse } from '@chit/shared';
import { mergeServerItem, recomputeItems } from '../merge.js';
import type { ChitDb } from '../schema.js';
import { newEntry, type Ctx, type Scope, type Seen } from './define.js';
import type { Mutation } from './index.js';

/** Where a write of one item belongs. */
export interface ItemOf {
  itemId: string;
  orderId: string;
  tableId: string | null;
}

/** An item of an order without a table is reached through its order. */
export function itemPath(item: ItemOf): string {
  const owner =
    item.tableId === null ? `orders/${encodeURIComponent(item.orderId)}` : `tables/${encodeURIComponent(item.tableId)}`;
  return `/api/${owner}/items/${encodeURIComponent(item.itemId)}`;
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
