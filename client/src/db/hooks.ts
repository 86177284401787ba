import type { MenuResponse, Table } from '@chit/shared';
import { useLiveQuery } from 'dexie-react-hooks';
import { byLine } from '../domain/rebase.js';
import type { MetaValues } from './meta.js';
import type { CartLine, ChitDb, DraftRow, ItemRow, OrderRow, OutboxEntry } from './schema.js';

/** Live views of IndexedDB for the screens: they re-render whenever the data changes, in any tab. */

export function useMeta<K extends keyof MetaValues>(db: ChitDb, key: K): MetaValues[K] | null | undefined {
  return useLiveQuery(async () => ((await db.meta.get(key))?.value as MetaValues[K] | undefined) ?? null, [db, key]);
}

export function useMenu(db: ChitDb): MenuResponse | null | undefined {
  return useLiveQuery(async () => (await db.menu.get('menu'))?.menu ?? null, [db]);
}

export interface TableSummary {
  table: Table;
  /** Items not voided: the party's, served ones included. */
  items: number;
  open: number;
  ready: number;
  unsynced: number;
  problems: number;
  /** What the party's items come to (voided ones excluded). */
  amountCents: number;
  /** When the party's first item was taken (epoch ms); null while the table is free. */
  seatedAt: number | null;
}

export function useTablesOverview(db: ChitDb): TableSummary[] | undefined {
  return useLiveQuery(async () => {
    const [tables, partyItems, outbox] = await Promise.all([
      db.diningTables.orderBy('number').toArray(),
      db.items.where('status').anyOf(['queued', 'cooking', 'ready', 'served']).toArray(),
      db.outbox.toArray(),
    ]);
    const byTable = new Map<string, TableSummary>(
      tables.map((table) => [
        table.id,
        { table, items: 0, open: 0, ready: 0, unsynced: 0, problems: 0, amountCents: 0, seatedAt: null },
      ]),
    );
    for (const item of partyItems) {
      const summary = byTable.get(item.tableId ?? '');
      if (!summary) continue;
      summary.items += 1;
      summary.amountCents += item.unitPriceCents * item.quantity;
      const taken = Date.parse(item.takenAt);
      if (!Number.isNaN(taken)) summary.seatedAt = Math.min(summary.seatedAt ?? taken, taken);
      if (item.status !== 'served') summary.open += 1;
      if (item.status === 'ready') summary.ready += 1;
    }
    for (const entry of outbox) {
      const summary = entry.tableId === null ? undefined : byTable.get(entry.tableId);
      if (!summary) continue;
      summary.unsynced += 1;
      if (entry.state === 'refused') summary.problems += 1;
    }
    return [...byTable.values()];
  }, [db]);
}

/** Where a takeaway or delivery order is, as the waiter follows it: its least advanced open item. */
export type TakeawayState = 'draft' | 'local' | 'queued' | 'cooking' | 'ready' | 'served';

export interface TakeawaySummary {
  order: Pick<OrderRow, 'id' | 'type' | 'customer'>;
  /** The server's ticket number; null for a draft, an order not sent yet, or one from before numbering. */
  ticketNumber: number | null;
  state: TakeawayState;
  unsynced: number;
  problems: number;
}

const progress: TakeawayState[] = ['draft', 'local', 'queued', 'cooking', 'ready', 'served'];

/**
 * Takeaway and delivery orders still to hand over, of this tablet and every other, oldest
 * first, after the drafts not sent yet.
 */
export function useTakeawayOverview(db: ChitDb): TakeawaySummary[] | undefined {
  return useLiveQuery(() => takeawayOverview(db), [db]);
}

export async function takeawayOverview(db: ChitDb): Promise<TakeawaySummary[]> {
  const [drafts, orders, outbox] = await Promise.all([
    db.drafts.orderBy('createdAt').toArray(),
    db.orders.where('type').anyOf(['takeaway', 'delivery']).sortBy('takenAt'),
    db.outbox.toArray(),
  ]);
  const list: TakeawaySummary[] = drafts.map((order) => ({
    order,
    ticketNumber: null,
    state: 'draft',
    unsynced: 0,
    problems: 0,
  }));
  for (const order of orders) {
    const items = await db.items.where('orderId').equals(order.id).toArray();
    const entries = outbox.filter((e) => e.orderId === order.id);
    let state: TakeawayState = 'served';
    for (const item of items) {
      const at: TakeawayState = item.sync === 'local' ? 'local' : item.status === 'voided' ? 'served' : item.status;
      if (progress.indexOf(at) < progress.indexOf(state)) state = at;
    }
    if (state === 'served' && entries.length === 0) continue;
    list.push({
      order,
      ticketNumber: order.ticketNumber ?? null,
      state,
      unsynced: entries.length,
      problems: entries.filter((e) => e.state === 'refused').length,
    });
  }
  return list;
}

export function useTable(db: ChitDb, tableId: string): Table | null | undefined {
  return useLiveQuery(async () => (await db.diningTables.get(tableId)) ?? null, [db, tableId]);
}

export interface OrderView {
  order: OrderRow;
  items: ItemRow[];
}

/** Voided items leave the list once nothing about them waits to be sent or fixed. */
function listed(item: ItemRow): boolean {
  return !(item.status === 'voided' && item.pendingWrites === 0 && !item.problem);
}

/** A table's orders, newest first, with their items; voided items leave the list. */
export function useTableOrders(db: ChitDb, tableId: string): OrderView[] | undefined {
  return useLiveQuery(async () => {
    const [orders, items] = await Promise.all([
      db.orders.where('tableId').equals(tableId).toArray(),
      db.items.where('tableId').equals(tableId).toArray(),
    ]);
    const byOrder = new Map<string, ItemRow[]>();
    for (const item of items.sort(byLine).filter(listed)) {
      const list = byOrder.get(item.orderId) ?? [];
      list.push(item);
      byOrder.set(item.orderId, list);
    }
    return orders
      .filter((order) => byOrder.has(order.id))
      .map((order) => ({ order, items: byOrder.get(order.id)! }))
      .sort((a, b) => b.order.takenAt.localeCompare(a.order.takenAt));
  }, [db, tableId]);
}

/** One order (a takeaway or delivery order has no table to list it under), or null when the tablet has none. */
export function useOrder(db: ChitDb, orderId: string): OrderView | null | undefined {
  return useLiveQuery(async () => {
    const order = await db.orders.get(orderId);
    if (!order) return null;
    const items = await db.items.where('orderId').equals(orderId).toArray();
    return { order, items: items.sort(byLine).filter(listed) };
  }, [db, orderId]);
}

export function useDraft(db: ChitDb, id: string): DraftRow | null | undefined {
  return useLiveQuery(async () => (await db.drafts.get(id)) ?? null, [db, id]);
}

/** The cart of a table, or of a draft. */
export function useCart(db: ChitDb, cartId: string): CartLine[] | undefined {
  return useLiveQuery(() => db.cart.where('cartId').equals(cartId).sortBy('addedAt'), [db, cartId]);
}

export function useOutbox(db: ChitDb): OutboxEntry[] | undefined {
  return useLiveQuery(() => db.outbox.orderBy('seq').toArray(), [db]);
}

export function useItemNames(db: ChitDb): Map<string, string> | undefined {
  return useLiveQuery(async () => {
    const items = await db.items.toArray();
    return new Map(items.map((item) => [item.id, `${item.quantity} × ${item.name}`]));
  }, [db]);
}
