import { useLiveQuery } from 'dexie-react-hooks';
import type { ChitDb } from './schema.js';
import { customerLabel } from '../domain/customer.js';

/*
 * Live reads for the shared UI, so screens never query Dexie themselves. Each hook has a
 * file of its own, so it travels in the lazy chunk of the one screen that uses it.
 */

/**
 * The name staff say for each place a write can belong to: "table 12" by the table's id,
 * "Takeaway · Mia" by a takeaway or delivery order's id. Undefined while loading.
 */
export function usePlaceNameMap(db: ChitDb): Map<string, string> | undefined {
  return useLiveQuery(async () => {
    const [tables, orders] = await Promise.all([
      db.diningTables.toArray(),
      db.orders.where('type').anyOf(['takeaway', 'delivery']).toArray(),
    ]);
    return new Map([
      ...tables.map((t) => [t.id, `table ${t.number}`] as const),
      ...orders.map((o) => [o.id, customerLabel(o)] as const),
    ]);
  }, [db]);
}
