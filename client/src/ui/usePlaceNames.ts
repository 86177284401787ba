import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from './context.js';
import type { OutboxEntry } from '../db/schema.js';
import { customerLabel } from '../domain/customer.js';

/** Where a write belongs, as staff say it: "table 12", or "Takeaway · Mia" for an order without a table. */
export function usePlaceNames(): (entry: Pick<OutboxEntry, 'tableId' | 'orderId'>) => string {
  const { db } = useServices();
  const names =
    useLiveQuery(async () => {
      const [tables, orders] = await Promise.all([
        db.diningTables.toArray(),
        db.orders.where('type').anyOf(['takeaway', 'delivery']).toArray(),
      ]);
      return new Map([
        ...tables.map((t) => [t.id, `table ${t.number}`] as const),
        ...orders.map((o) => [o.id, customerLabel(o)] as const),
      ]);
    }, [db]) ?? new Map<string, string>();
  return (entry) =>
    (entry.tableId === null ? names.get(entry.orderId ?? '') : names.get(entry.tableId)) ??
    (entry.tableId === null ? 'takeaway or delivery' : 'table ?');
}
