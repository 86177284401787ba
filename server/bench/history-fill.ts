import { createDevice } from '../src/devices/store.js';
import type { Pool } from '../src/db/pool.js';

const seconds_ = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * `days` of history ending now: `ordersPerDay` orders of 3 items at the 100 tables, spread
 * over 11:00–23:00 of each day; items served 40 minutes after the order (2 % voided), the
 * last hour's still open; every table cleared 2 hours ago; one idempotency key per order
 * (their 30-day retention); for the last `eventDays`, the order's event and three status
 * changes per item, with payloads of a real order's size.
 */
export async function fill(
  pool: Pool,
  { days, ordersPerDay, eventDays }: { days: number; ordersPerDay: number; eventDays: number },
): Promise<void> {
  const { device } = await createDevice(pool, 'history tablet', 'waiter');
  const started = performance.now();
  const total = days * ordersPerDay;
  const step = `(interval '12 hours' / ${ordersPerDay})`;
  // Order n's time: day d = n / ordersPerDay back from today, at 11:00 + (n mod ordersPerDay) * step,
  // shifted so the newest order is 5 minutes old.
  const at = `(now() - interval '5 minutes' - ((${total} - 1 - g) * ${step}) - ((${total} - 1 - g) / ${ordersPerDay}) * interval '12 hours')`;
  await pool.query(
    `INSERT INTO orders (id, table_id, device_id, staff_name, created_at)
     SELECT gen_random_uuid(), t.ids[1 + g % 100], $1, 'History', ${at}
       FROM generate_series(0, ${total} - 1) g,
            (SELECT array_agg(id ORDER BY number) AS ids FROM dining_tables) t`,
    [device.id],
  );
  console.log(`  orders: ${total.toLocaleString('en')} in ${seconds_(performance.now() - started)}`);
  const items = performance.now();
  await pool.query(
    `INSERT INTO order_items (id, order_id, line, table_id, menu_item_id, name, station, unit_price_cents, quantity,
                              cook_minutes, status, device_id, staff_name, created_at, updated_at, cooking_at,
                              ready_at, served_at, voided_at, updated_by_device_id)
     SELECT gen_random_uuid(), o.id, l.line, o.table_id, m.id, m.name, m.station, m.price_cents, 1 + (l.line = 2)::int,
            10,
            CASE WHEN random() < 0.02 THEN 'voided'
                 WHEN o.created_at > now() - interval '1 hour' THEN 'queued' ELSE 'served' END,
            $1, 'History', o.created_at, o.created_at + interval '40 minutes',
            o.created_at + interval '5 minutes', o.created_at + interval '15 minutes', o.created_at + interval '40 minutes',
            NULL, $1
       FROM orders o
       CROSS JOIN generate_series(1, 3) l(line)
       JOIN LATERAL (SELECT id, name, station, price_cents FROM menu_items
                      ORDER BY id OFFSET (l.line * 3 + abs(hashtext(o.id::text)) % 5) % 12 LIMIT 1) m ON true`,
    [device.id],
  );
  // What the statuses above imply for the timestamps of the ones not served.
  await pool.query(
    `UPDATE order_items SET served_at = NULL, ready_at = NULL, cooking_at = NULL, updated_at = created_at
      WHERE status = 'queued';
     UPDATE order_items SET served_at = NULL, voided_at = created_at + interval '3 minutes', cooking_at = NULL,
            ready_at = NULL, void_reason = 'changed their mind'
      WHERE status = 'voided'`,
  );
  console.log(`  items: ${(total * 3).toLocaleString('en')} in ${seconds_(performance.now() - items)}`);
  await pool.query(
    `INSERT INTO table_clears (table_id, cleared_at, cleared_by_device_id)
     SELECT id, now() - interval '2 hours', $1 FROM dining_tables
     ON CONFLICT (table_id) DO UPDATE SET cleared_at = excluded.cleared_at`,
    [device.id],
  );
  const keys = performance.now();
  await pool.query(
    `INSERT INTO idempotency_keys (device_id, key, request_hash, response_status, response_body, created_at)
     SELECT $1, o.id::text, '\\x00'::bytea, 201,
            convert_to(jsonb_build_object('order', jsonb_build_object('id', o.id))::text, 'UTF8'), o.created_at
       FROM orders o WHERE o.created_at > now() - interval '30 days'`,
    [device.id],
  );
  console.log(`  idempotency keys (30 days) in ${seconds_(performance.now() - keys)}`);
  const events = performance.now();
  // A real order's event as the template of every order.created, and a real item change's.
  const { rows: template } = await pool.query<{ order: unknown; item: unknown }>(
    `SELECT jsonb_build_object('order', jsonb_build_object('id', o.id, 'type', 'dine_in', 'tableId', o.table_id,
              'customer', NULL, 'note', '', 'deviceId', o.device_id, 'staffName', o.staff_name, 'deviceTime', NULL,
              'createdAt', o.created_at, 'items', (SELECT jsonb_agg(to_jsonb(i)) FROM order_items i WHERE i.order_id = o.id))) AS order,
            jsonb_build_object('item', (SELECT to_jsonb(i) FROM order_items i WHERE i.order_id = o.id LIMIT 1),
              'changed', jsonb_build_array('status'), 'previousStatus', 'cooking') AS item
       FROM orders o LIMIT 1`,
  );
  await pool.query(
    `INSERT INTO events (position, type, table_id, order_id, device_id, payload, created_at)
     SELECT row_number() OVER (ORDER BY o.created_at, o.id, k), CASE WHEN k = 0 THEN 'order.created' ELSE 'item.changed' END,
            o.table_id, o.id, o.device_id, CASE WHEN k = 0 THEN $1::jsonb ELSE $2::jsonb END,
            o.created_at + k * interval '1 minute'
       FROM orders o CROSS JOIN generate_series(0, 9) k
      WHERE o.created_at > now() - make_interval(days => $3)`,
    [JSON.stringify(template[0]!.order), JSON.stringify(template[0]!.item), eventDays],
  );
  console.log(`  events (${eventDays} days) in ${seconds_(performance.now() - events)}`);
  await pool.query('VACUUM ANALYZE');
  console.log(`  filled in ${seconds_(performance.now() - started)}`);
}
