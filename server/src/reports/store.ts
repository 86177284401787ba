import {
  reportPageSize,
  type Customer,
  type OrderItem,
  type OrderType,
  type ReportMenuItem,
  type ReportOrder,
  type ReportOrdersPage,
  type ReportVoid,
  type ReportVoidsPage,
  type TodayReport,
} from '@chit/shared';
import type { Pool } from '../db/pool.js';
import { listItemsOfOrders } from '../orders/store.js';
import { periodSums } from './sums.js';

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
  ticket_number: number | null;
  type: OrderType;
  table_id: string | null;
  table_number: number | null;
  customer_name: string | null;
  customer_address: string | null;
  customer_phone: string | null;
  staff_name: string;
  device_id: string;
  device_name: string;
  created_at: string;
}

const open = new Set(['queued', 'cooking', 'ready']);

/** A page's `next`: the last row's time and id (see ReportCursor). */
function cursorOf(at: string, id: string): string {
  return `${at}_${id}`;
}

function parseCursor(cursor: string | undefined): [string, string] | [null, null] {
  if (cursor === undefined) return [null, null];
  const cut = cursor.lastIndexOf('_');
  return [cursor.slice(0, cut), cursor.slice(cut + 1)];
}

/**
 * What billing and the manager need about a period, aggregated in PostgreSQL so its size
 * and cost follow the number of tables and dishes, not of orders: totals, totals per table
 * and per dish, and the first page of the orders (with their items) and of the voids;
 * `nextOrders` and `nextVoids` go on.
 */
export async function buildReport(pool: Pool, range: ReportRange, timezone: string): Promise<TodayReport> {
  const [sums, dishes, voided, orders, voids] = await Promise.all([
    periodSums(pool, range, timezone),
    pool.query<ReportMenuItem>(
      `SELECT i.menu_item_id AS "menuItemId", m.name,
              coalesce(sum(i.quantity) FILTER (WHERE i.status <> 'voided'), 0)::int AS quantity,
              coalesce(sum(i.quantity::bigint * i.unit_price_cents) FILTER (WHERE i.status <> 'voided'), 0)::bigint
                AS "totalCents",
              count(i.ready_at) FILTER (WHERE i.status <> 'voided')::int AS "readyCount",
              avg(extract(epoch FROM i.ready_at - i.created_at)::float8 / 60) FILTER (WHERE i.status <> 'voided')
                AS "avgMinutesToReady",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM i.ready_at - i.created_at)::float8 / 60)
                FILTER (WHERE i.status <> 'voided') AS "p90MinutesToReady"
         FROM order_items i
         JOIN menu_items m ON m.id = i.menu_item_id
        WHERE i.created_at >= $1 AND i.created_at < $2
        GROUP BY i.menu_item_id, m.name
        ORDER BY m.name, i.menu_item_id`,
      [range.from, range.to],
    ),
    pool.query<{ voidedItems: number; voidedCents: number }>(
      `SELECT count(*)::int AS "voidedItems", coalesce(sum(quantity::bigint * unit_price_cents), 0)::bigint AS "voidedCents"
         FROM order_items
        WHERE status = 'voided' AND voided_at >= $1 AND voided_at < $2`,
      [range.from, range.to],
    ),
    reportOrders(pool, range, undefined),
    reportVoids(pool, range, undefined),
  ]);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
  return {
    from: range.from,
    to: range.to,
    timezone,
    totals: { ...sums.totals, ...voided.rows[0]! },
    orders: orders.orders,
    nextOrders: orders.next,
    tables: sums.tables,
    voids: voids.voids,
    nextVoids: voids.next,
    menuItems: dishes.rows.map((m) => ({
      ...m,
      avgMinutesToReady: round(m.avgMinutesToReady),
      p90MinutesToReady: round(m.p90MinutesToReady),
    })),
    waiters: sums.waiters,
    hours: sums.hours,
  };
}

/** One page of the period's orders, oldest first, each with its items (voided ones marked) and total. */
export async function reportOrders(
  pool: Pool,
  range: ReportRange,
  after: string | undefined,
): Promise<ReportOrdersPage> {
  const [afterAt, afterId] = parseCursor(after);
  const limit = reportPageSize.orders;
  const { rows } = await pool.query<OrderRow>(
    `SELECT o.id, o.ticket_number, o.type, o.table_id, t.number AS table_number,
            o.customer_name, o.customer_address, o.customer_phone, o.staff_name, o.device_id,
            d.name AS device_name, o.created_at
       FROM orders o
       JOIN devices d ON d.id = o.device_id
       LEFT JOIN dining_tables t ON t.id = o.table_id
      WHERE o.created_at >= $1 AND o.created_at < $2
        AND ($3::timestamptz IS NULL OR (o.created_at, o.id) > ($3::timestamptz, $4::uuid))
      ORDER BY o.created_at, o.id
      LIMIT $5`,
    [range.from, range.to, afterAt, afterId, limit + 1],
  );
  const page = rows.slice(0, limit);
  const items = await listItemsOfOrders(
    pool,
    page.map((o) => o.id),
  );
  const itemsByOrder = new Map<string, OrderItem[]>();
  for (const item of items) {
    const list = itemsByOrder.get(item.orderId);
    if (list) list.push(item);
    else itemsByOrder.set(item.orderId, [item]);
  }
  const orders: ReportOrder[] = page.map((row) => {
    const orderItems = itemsByOrder.get(row.id) ?? [];
    const live = orderItems.filter((i) => i.status !== 'voided');
    const customer: Customer | null =
      row.customer_name === null
        ? null
        : { name: row.customer_name, address: row.customer_address, phone: row.customer_phone };
    return {
      id: row.id,
      ticketNumber: row.ticket_number,
      type: row.type,
      tableId: row.table_id,
      tableNumber: row.table_number,
      customer,
      staffName: row.staff_name,
      deviceId: row.device_id,
      deviceName: row.device_name,
      createdAt: row.created_at,
      items: orderItems,
      totalCents: live.reduce((sum, i) => sum + i.unitPriceCents * i.quantity, 0),
      openItems: live.filter((i) => open.has(i.status)).length,
    };
  });
  const last = page.at(-1);
  return { orders, next: rows.length > limit && last ? cursorOf(last.created_at, last.id) : null };
}

/** One page of the period's voids, oldest first, with who and when. */
export async function reportVoids(pool: Pool, range: ReportRange, after: string | undefined): Promise<ReportVoidsPage> {
  const [afterAt, afterId] = parseCursor(after);
  const limit = reportPageSize.voids;
  const { rows } = await pool.query<ReportVoid>(
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
        AND ($3::timestamptz IS NULL OR (i.voided_at, i.id) > ($3::timestamptz, $4::uuid))
      ORDER BY i.voided_at, i.id
      LIMIT $5`,
    [range.from, range.to, afterAt, afterId, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { voids: page, next: rows.length > limit && last ? cursorOf(last.voidedAt, last.itemId) : null };
}
