import { useServices } from './context.js';
import type { OutboxEntry } from '../db/schema.js';
import { usePlaceNameMap } from '../db/place-names.js';

/** Where a write belongs, as staff say it: "table 12", or "Takeaway · Mia" for an order without a table. */
export function usePlaceNames(): (entry: Pick<OutboxEntry, 'tableId' | 'orderId'>) => string {
  const { db } = useServices();
  const names = usePlaceNameMap(db) ?? new Map<string, string>();
  return (entry) =>
    (entry.tableId === null ? names.get(entry.orderId ?? '') : names.get(entry.tableId)) ??
    (entry.tableId === null ? 'takeaway or delivery' : 'table ?');
}
