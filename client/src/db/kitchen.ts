import type { MenuResponse, Table } from '@chit/shared';
import { useLiveQuery } from 'dexie-react-hooks';
import type { ChitDb, ItemRow, OrderRow } from './schema.js';

/** What the kitchen board shows: the orders with items still on a board, their tables, the menu. */
export interface KitchenData {
  orders: OrderRow[];
  items: ItemRow[];
  tables: Map<string, Table>;
  menu: MenuResponse | null;
}

/** Everything the board shows, live from IndexedDB (the sync engine keeps it current). */
export function useKitchenData(db: ChitDb): KitchenData | undefined {
  return useLiveQuery(async () => {
    const [items, tables, menu] = await Promise.all([
      db.items.where('status').anyOf(['queued', 'cooking', 'ready', 'voided']).toArray(),
      db.diningTables.toArray(),
      db.menu.get('menu'),
    ]);
    const orderIds = [...new Set(items.map((i) => i.orderId))];
    const orders = (await db.orders.bulkGet(orderIds)).filter((o): o is OrderRow => o !== undefined);
    return { orders, items, tables: new Map(tables.map((t) => [t.id, t])), menu: menu?.menu ?? null };
  }, [db]);
}
