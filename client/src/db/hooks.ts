import type { MenuResponse, Table } from '@chit/shared';
import { useLiveQuery } from 'dexie-react-hooks';
import { byLine } from '../domain/rebase.js';
import type { MetaValues } from './meta.js';
import type { CartLine, ChitDb, ItemRow, OrderRow, OutboxEntry } from './schema.js';

/** Live views of IndexedDB for the screens: they re-render whenever the data changes, in any tab. */

export function useMeta<K extends keyof MetaValues>(db: ChitDb, key: K): MetaValues[K] | null | undefined {
  return useLiveQuery(async () => ((await db.meta.get(key))?.value as MetaValues[K] | undefined) ?? null, [db, key]);
}

export function useMenu(db: ChitDb): MenuResponse | null | undefined {
  return useLiveQuery(async () => (await db.menu.get('menu'))?.menu ?? null, [db]);
}

export interface TableSummary {
  table: Table;
  open: number;
  ready: number;
  unsynced: number;
  problems: number;
}

export function useTablesOverview(db: ChitDb): TableSummary[] | undefined {
  return useLiveQuery(async () => {
    const [tables, openItems, outbox] = await Promise.all([
      db.diningTables.orderBy('number').toArray(),
      db.items.where('status').anyOf(['queued', 'cooking', 'ready']).toArray(),
      db.outbox.toArray(),
    ]);
    const byTable = new Map<string, TableSummary>(
      tables.map((table) => [table.id, { table, open: 0, ready: 0, unsynced: 0, problems: 0 }]),
    );
    for (const item of openItems) {
      const summary = byTable.get(item.tableId);
      if (!summary) continue;
      summary.open += 1;
      if (item.status === 'ready') summary.ready += 1;
    }
    for (const entry of outbox) {
      const summary = byTable.get(entry.tableId);
      if (!summary) continue;
      summary.unsynced += 1;
      if (entry.state === 'refused') summary.problems += 1;
    }
    return [...byTable.values()];
  }, [db]);
}

export function useTable(db: ChitDb, tableId: string): Table | null | undefined {
  return useLiveQuery(async () => (await db.diningTables.get(tableId)) ?? null, [db, tableId]);
}

export interface OrderView {
  order: OrderRow;
  items: ItemRow[];
}

/** A table's orders, newest first, with their items; voided items leave the list. */
export function useTableOrders(db: ChitDb, tableId: string): OrderView[] | undefined {
  return useLiveQuery(async () => {
    const [orders, items] = await Promise.all([
      db.orders.where('tableId').equals(tableId).toArray(),
      db.items.where('tableId').equals(tableId).toArray(),
    ]);
    const byOrder = new Map<string, ItemRow[]>();
    for (const item of items.sort(byLine)) {
      if (item.status === 'voided' && item.pendingWrites === 0 && !item.problem) continue;
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

export function useCart(db: ChitDb, tableId: string): CartLine[] | undefined {
  return useLiveQuery(() => db.cart.where('tableId').equals(tableId).sortBy('addedAt'), [db, tableId]);
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
