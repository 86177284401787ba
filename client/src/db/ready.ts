import { useLiveQuery } from 'dexie-react-hooks';
import type { ChitDb } from './schema.js';

/* The ready notice's live read, so the screen never queries Dexie itself. */

/** A place with food ready for this waiter: a table, or a takeaway or delivery order. */
export interface ReadyPlace {
  href: string;
  /** "T12", or the customer's name for takeaway and delivery. */
  label: string;
  count: number;
}

/**
 * Dishes ready to take out from this waiter's orders (taken on this tablet, or under the
 * name it is used by), by place, the longest waiting first. Undefined while loading.
 */
export function useReadyForMe(db: ChitDb): ReadyPlace[] | undefined {
  return useLiveQuery(async () => {
    const [ready, staff] = await Promise.all([
      db.items.where('status').equals('ready').toArray(),
      db.meta.get('staffName'),
    ]);
    if (ready.length === 0) return [];
    const [orders, tables] = await Promise.all([
      db.orders.bulkGet([...new Set(ready.map((i) => i.orderId))]),
      db.diningTables.toArray(),
    ]);
    const numberOf = new Map(tables.map((t) => [t.id, t.number]));
    const staffName = typeof staff?.value === 'string' ? staff.value : '';
    const places = new Map<string, ReadyPlace & { since: string }>();
    for (const item of ready) {
      const order = orders.find((o) => o?.id === item.orderId);
      if (!order || !(order.mine || (staffName !== '' && order.staffName === staffName))) continue;
      const key = order.tableId ?? order.id;
      const place = places.get(key) ?? {
        href: order.tableId ? `/tables/${order.tableId}` : `/orders/${order.id}`,
        label: order.tableId ? `T${numberOf.get(order.tableId) ?? '?'}` : (order.customer?.name ?? 'Takeaway'),
        count: 0,
        since: item.readyAt ?? '',
      };
      place.count += 1;
      if ((item.readyAt ?? '') < place.since) place.since = item.readyAt ?? '';
      places.set(key, place);
    }
    return [...places.values()].sort((a, b) => a.since.localeCompare(b.since)).map(({ since: _, ...p }) => p);
  }, [db]);
}
