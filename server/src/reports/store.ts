import type {
  Customer,
  OrderItem,
  OrderType,
  ReportMenuItem,
  ReportOrder,
  ReportTable,
  ReportVoid,
  TodayReport,
} from '@chit/shared';
import type { Pool } from '../db/pool.js';
import { listItemsOfOrders } from '../orders/store.js';

export interface ReportRange {
  from: string;
  to: string;
}

/** A bound as the client gave it: a calendar day (in the server's time zone) or an instant. */
export type Bound = { day: string } | { instant: string };

/**
 * Turns `?from=&to=` into instants, in PostgreSQL so that time zone rules (DST included)
 * are the database's: a day as `from` is its local midnight, as `to` the next one; no
 * `to` is now; no `from` is the local midnight starting the day `to` falls in.
 */
export async function resolveRange(
  pool: Pool,
  from: Bound | undefined,
  to: Bound | undefined,
  now: Date,
  timezone: string,
): Promise<ReportRange> {
  const day = (b: Bound | undefined) => (b && 'day' in b ? b.day : null);
  const instant = (b: Bound | undefined) => (b && 'instant' in b ? b.instant : null);
  const { rows } = await pool.query<ReportRange>(
    `WITH t AS (
       SELECT coalesce($4::timestamptz, (($3::date + 1)::timestamp AT TIME ZONE $6), $5::timestamptz) AS "to"
     )
     SELECT coalesce($2::timestamptz, ($1::date::timestamp AT TIME ZONE $6),
                     date_trunc('day', (t."to" - interval '1 microsecond') AT TIME ZONE $6) AT TIME ZONE $6) AS "from",
            t."to"
       FROM t`,
    [day(from), instant(from), day(to), instant(to), now, timezone],
  );
  return rows[0]!;
}

interface OrderRow {
  id: string;
  type: OrderType;
  table_id: string | null;
  table_number: number | null;
  table_label: string | null;
  table_area: string | null;
  customer_name: string | null;
  customer_address: string | null;
  customer_phone: string | null;
  staff_name: string;
  device_id: string;
  device_name: string;
  created_at: string;
}

const open = new Set(['queued', 'cooking', 'ready']);

/**
 * What billing and the manager need about a period: every order with its items and total,
 * totals per table, every void with who and when, and per dish how much was sold and how
 * long the kitchen took from sent (the server receiving the order) to ready.
 */
export async function buildReport(pool: Pool, range: ReportRange, timezone: string): Promise<TodayReport> {
  const [orderRows, voidRows, menuRows] = await Promise.all([
    pool.query<OrderRow>(
      `SELECT o.id, o.type, o.table_id, t.number AS table_number, t.label AS table_label, t.area AS table_area,
              o.customer_name, o.customer_address, o.customer_phone, o.staff_name, o.device_id,
              d.name AS device_name, o.created_at
         FROM orders o
         JOIN devices d ON d.id = o.device_id
         LEFT JOIN dining_tables t ON t.id = o.table_id
        WHERE o.created_at >= $1 AND o.created_at < $2
        ORDER BY o.created_at, o.id`,
      [range.from, range.to],
    ),
    pool.query<ReportVoid>(
      `SELECT i.id AS "itemId", i.order_id AS "orderId", t.number AS "tableNumber", i.name, i.quantity,
              i.unit_price_cents AS "unitPriceCents", i.void_reason AS reason, i.voided_at AS "voidedAt",
              i.cooking_at IS NOT NULL AS "afterCookingStarted",
              -- A voided item never changes again, so its last change is the void.
              i.updated_by_device_id AS "voidedByDeviceId", d.name AS "voidedByDeviceName",
              i.updated_by_staff_name AS "voidedByStaffName"
         FROM order_items i
         JOIN devices d ON d.id = i.updated_by_device_id
         LEFT JOIN dining_tables t ON t.id = i.table_id
        WHERE i.status = 'voided' AND i.voided_at >= $1 AND i.voided_at < $2
        ORDER BY i.voided_at, i.id`,
      [range.from, range.to],
    ),
    // node-postgres reads bigint as a string (it may not fit a double); these sums do.
    pool.query<Omit<ReportMenuItem, 'totalCents'> & { totalCents: string }>(
      `WITH timed AS (
         SELECT i.*, extract(epoch FROM i.ready_at - i.created_at)::float8 / 60 AS minutes
           FROM order_items i
          WHERE i.created_at >= $1 AND i.created_at < $2
       )
       SELECT i.menu_item_id AS "menuItemId", m.name,
              coalesce(sum(i.quantity) FILTER (WHERE i.status <> 'voided'), 0)::int AS quantity,
              -- In bigint: one line can pass 2^31 cents (a price with its options, times 99).
              coalesce(sum(i.quantity::bigint * i.unit_price_cents) FILTER (WHERE i.status <> 'voided'), 0)::bigint
                AS "totalCents",
              count(i.minutes) FILTER (WHERE i.status <> 'voided')::int AS "readyCount",
              avg(i.minutes) FILTER (WHERE i.status <> 'voided') AS "avgMinutesToReady",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY i.minutes) FILTER (WHERE i.status <> 'voided')
                AS "p90MinutesToReady"
         FROM timed i
         JOIN menu_items m ON m.id = i.menu_item_id
        GROUP BY i.menu_item_id, m.name
        ORDER BY m.name, i.menu_item_id`,
      [range.from, range.to],
    ),
  ]);

  const items = await listItemsOfOrders(
    pool,
    orderRows.rows.map((o) => o.id),
  );
  const itemsByOrder = new Map<string, OrderItem[]>();
  for (const item of items) {
    const list = itemsByOrder.get(item.orderId);
    if (list) list.push(item);
    else itemsByOrder.set(item.orderId, [item]);
  }
  const tables = new Map<string, ReportTable>();
  let totalCents = 0;
  let itemCount = 0;
  const orders: ReportOrder[] = orderRows.rows.map((row) => {
    const orderItems = itemsByOrder.get(row.id) ?? [];
    const live = orderItems.filter((i) => i.status !== 'voided');
    const total = live.reduce((sum, i) => sum + i.unitPriceCents * i.quantity, 0);
    const openItems = live.filter((i) => open.has(i.status)).length;
    totalCents += total;
    itemCount += live.length;
    if (row.table_id !== null) {
      const table = tables.get(row.table_id) ?? {
        tableId: row.table_id,
        number: row.table_number!,
        label: row.table_label!,
        area: row.table_area,
        orders: 0,
        totalCents: 0,
        openItems: 0,
      };
      table.orders += 1;
      table.totalCents += total;
      table.openItems += openItems;
      tables.set(row.table_id, table);
    }
    const customer: Customer | null =
      row.customer_name === null
        ? null
        : { name: row.customer_name, address: row.customer_address, phone: row.customer_phone };
    return {
      id: row.id,
      type: row.type,
      tableId: row.table_id,
      tableNumber: row.table_number,
      customer,
      staffName: row.staff_name,
      deviceId: row.device_id,
      deviceName: row.device_name,
      createdAt: row.created_at,
      items: orderItems,
      totalCents: total,
      openItems,
    };
  });
  const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
  return {
    from: range.from,
    to: range.to,
    timezone,
    totals: {
      orders: orders.length,
      items: itemCount,
      totalCents,
      voidedItems: voidRows.rows.length,
      voidedCents: voidRows.rows.reduce((sum, v) => sum + v.unitPriceCents * v.quantity, 0),
    },
    orders,
    tables: [...tables.values()].sort((a, b) => a.number - b.number),
    voids: voidRows.rows,
    menuItems: menuRows.rows.map((m) => ({
      ...m,
      totalCents: Number(m.totalCents),
      avgMinutesToReady: round(m.avgMinutesToReady),
      p90MinutesToReady: round(m.p90MinutesToReady),
    })),
  };
}
