import type { ReportHour, ReportTable, ReportWaiter } from '@chit/shared';
import type { Pool } from '../db/pool.js';
import type { ReportRange } from './store.js';

/** The period's figures per table, per waiter and per local hour, and their totals. */
export interface PeriodSums {
  totals: { orders: number; items: number; totalCents: number };
  tables: ReportTable[];
  waiters: ReportWaiter[];
  hours: ReportHour[];
}

interface ItemSumRow {
  kind: 'all' | 'table' | 'waiter' | 'hour';
  table_id: string | null;
  staff_name: string | null;
  device_id: string | null;
  hour: string | null;
  items: number;
  total_cents: number;
  open_items: number;
}

interface OrderSumRow {
  kind: 'table' | 'waiter' | 'hour';
  table_id: string | null;
  number: number | null;
  label: string | null;
  area: string | null;
  staff_name: string | null;
  device_id: string | null;
  device_name: string | null;
  hour: string | null;
  orders: number;
}

// Which grouping set a row belongs to, by the columns it is grouped on.
const kindOf = `CASE grouping(table_id, staff_name, device_id, hour)
                  WHEN 15 THEN 'all' WHEN 7 THEN 'table' WHEN 9 THEN 'waiter' WHEN 14 THEN 'hour' END`;

/**
 * Sums a period per table, per waiter (who took the order, on which tablet) and per local
 * hour in `timezone`: one pass over the period's items (read from the report index alone,
 * migrations 0015 and 0016: an item carries its order's table, device and staff name) and
 * one over its orders, with GROUPING SETS, instead of one pass per figure. On a busy day
 * the items are most of what a report reads, and every pass over them costs.
 */
export async function periodSums(pool: Pool, range: ReportRange, timezone: string): Promise<PeriodSums> {
  const [items, orders] = await Promise.all([
    pool.query<ItemSumRow>(
      `SELECT ${kindOf} AS kind, table_id, staff_name, device_id, hour,
              count(*) FILTER (WHERE status <> 'voided')::int AS items,
              -- In bigint: one line can pass 2^31 cents (a price with its options, times 99).
              coalesce(sum(quantity::bigint * unit_price_cents) FILTER (WHERE status <> 'voided'), 0)::bigint
                AS total_cents,
              count(*) FILTER (WHERE status IN ('queued', 'cooking', 'ready'))::int AS open_items
         FROM (SELECT i.table_id, i.staff_name, i.device_id, i.status, i.quantity, i.unit_price_cents,
                      date_trunc('hour', i.created_at AT TIME ZONE $3) AT TIME ZONE $3 AS hour
                 FROM order_items i
                WHERE i.created_at >= $1 AND i.created_at < $2) i
        GROUP BY GROUPING SETS ((), (table_id), (staff_name, device_id), (hour))`,
      [range.from, range.to, timezone],
    ),
    pool.query<OrderSumRow>(
      `WITH sums AS (
         SELECT ${kindOf} AS kind, table_id, staff_name, device_id, hour, count(*)::int AS orders
           FROM (SELECT o.table_id, o.staff_name, o.device_id,
                        date_trunc('hour', o.created_at AT TIME ZONE $3) AT TIME ZONE $3 AS hour
                   FROM orders o
                  WHERE o.created_at >= $1 AND o.created_at < $2) o
          GROUP BY GROUPING SETS ((table_id), (staff_name, device_id), (hour))
       )
       SELECT s.*, t.number, t.label, t.area, d.name AS device_name
         FROM sums s
         LEFT JOIN dining_tables t ON t.id = s.table_id
         LEFT JOIN devices d ON d.id = s.device_id
        ORDER BY t.number, s.table_id, s.hour`,
      [range.from, range.to, timezone],
    ),
  ]);
  const itemRows = (kind: ItemSumRow['kind']) => items.rows.filter((r) => r.kind === kind);
  const orderRows = (kind: OrderSumRow['kind']) => orders.rows.filter((r) => r.kind === kind);
  const waiterKey = (r: { staff_name: string | null; device_id: string | null }) => `${r.device_id}/${r.staff_name}`;
  const hourKey = (hour: string | null) => (hour === null ? '' : new Date(hour).toISOString());
  const itemsAtTable = new Map(itemRows('table').map((r) => [r.table_id, r]));
  const itemsOfWaiter = new Map(itemRows('waiter').map((r) => [waiterKey(r), r]));
  const itemsAtHour = new Map(itemRows('hour').map((r) => [hourKey(r.hour), r]));
  const all = itemRows('all')[0];

  const tables: ReportTable[] = orderRows('table')
    // Takeaway and delivery orders have no table.
    .filter((r) => r.table_id !== null && r.number !== null)
    .map((r) => {
      const sums = itemsAtTable.get(r.table_id);
      return {
        tableId: r.table_id!,
        number: r.number!,
        label: r.label!,
        area: r.area,
        orders: r.orders,
        totalCents: sums?.total_cents ?? 0,
        openItems: sums?.open_items ?? 0,
      };
    });
  const waiters: ReportWaiter[] = orderRows('waiter')
    .map((r) => {
      const sums = itemsOfWaiter.get(waiterKey(r));
      return {
        staffName: r.staff_name ?? '',
        deviceId: r.device_id!,
        deviceName: r.device_name ?? '',
        orders: r.orders,
        items: sums?.items ?? 0,
        totalCents: sums?.total_cents ?? 0,
      };
    })
    .sort(
      (a, b) =>
        b.totalCents - a.totalCents ||
        a.staffName.localeCompare(b.staffName) ||
        a.deviceName.localeCompare(b.deviceName),
    );
  const hours = new Map<string, ReportHour>();
  for (const r of orderRows('hour')) {
    const key = hourKey(r.hour);
    hours.set(key, { hour: key, orders: r.orders, items: 0, totalCents: 0 });
  }
  for (const [key, r] of itemsAtHour) {
    const hour = hours.get(key) ?? { hour: key, orders: 0, items: 0, totalCents: 0 };
    hours.set(key, { ...hour, items: r.items, totalCents: r.total_cents });
  }
  return {
    totals: {
      orders: orderRows('table').reduce((n, r) => n + r.orders, 0),
      items: all?.items ?? 0,
      totalCents: all?.total_cents ?? 0,
    },
    tables,
    waiters,
    hours: [...hours.values()].sort((a, b) => a.hour.localeCompare(b.hour)),
  };
}
