import { expect, test } from '../support/fixtures.js';

/** Seeds, at one table, `orders` past parties' orders (3 dishes each, all served) before it was cleared an hour ago. */
const history = `
  WITH o AS (
    INSERT INTO orders (id, table_id, device_id, staff_name, created_at)
    SELECT gen_random_uuid(), t.id, $1, 'History', now() - interval '2 hours' - g * interval '1 hour'
      FROM generate_series(1, $3::int) g, dining_tables t WHERE t.number = $2
    RETURNING id, table_id, created_at
  )
  INSERT INTO order_items (id, order_id, line, table_id, menu_item_id, name, station, unit_price_cents, quantity,
                           cook_minutes, status, device_id, staff_name, created_at, updated_at, served_at,
                           updated_by_device_id)
  SELECT gen_random_uuid(), o.id, l, o.table_id, m.id, m.name, m.station, m.price_cents, 1, 10, 'served', $1,
         'History', o.created_at, o.created_at, o.created_at + interval '40 minutes', $1
    FROM o, generate_series(1, 3) l, (SELECT * FROM menu_items WHERE name = 'Cola') m`;

/** The current party at a table: a burger still coming, a pizza served since the clear. */
const party = `
  WITH t AS (SELECT id FROM dining_tables WHERE number = $2),
  clear AS (
    INSERT INTO table_clears (table_id, cleared_at, cleared_by_device_id)
    SELECT id, now() - interval '1 hour', $1 FROM t
    ON CONFLICT (table_id) DO UPDATE SET cleared_at = excluded.cleared_at
  ),
  o AS (
    INSERT INTO orders (id, table_id, device_id, staff_name, created_at)
    SELECT gen_random_uuid(), t.id, $1, 'Ana', now() - interval '30 minutes' FROM t
    RETURNING id, table_id, created_at
  )
  INSERT INTO order_items (id, order_id, line, table_id, menu_item_id, name, station, unit_price_cents, quantity,
                           cook_minutes, status, device_id, staff_name, created_at, updated_at, served_at,
                           updated_by_device_id)
  SELECT gen_random_uuid(), o.id, m.line, o.table_id, m.id, m.name, m.station, m.price_cents, 1, 10, m.status, $1,
         'Ana', o.created_at, o.created_at, CASE WHEN m.status = 'served' THEN now() - interval '10 minutes' END, $1
    FROM o, (SELECT *, CASE name WHEN 'Burger' THEN 1 ELSE 2 END AS line,
                    CASE name WHEN 'Burger' THEN 'queued' ELSE 'served' END AS status
               FROM menu_items WHERE name IN ('Burger', 'Margherita')) m`;

test("a table with a year of history opens as fast as a fresh one, with only the current party's dishes", async ({
  waiter,
  sql,
}) => {
  const [device] = (await sql(`SELECT id FROM devices WHERE role = 'waiter' LIMIT 1`)) as [{ id: string }];
  // A year of a busy table: 8,000 parties' orders, 24,000 dishes, all served and cleared.
  await sql(history, [device.id, 12, 8000]);
  for (const table of [12, 13]) await sql(party, [device.id, table]);

  const timings: Record<number, number> = {};
  for (const table of [13, 12]) {
    const started = Date.now();
    await waiter.openTable(table);
    await expect(waiter.table.item('Burger')).toBeVisible();
    await expect(waiter.table.item('Margherita')).toBeVisible();
    timings[table] = Date.now() - started;
    // The past parties' colas are not the current party's.
    await expect(waiter.page.getByText(/^\d+ × Cola$/)).toHaveCount(0);
    await expect(waiter.table.orders).toHaveCount(1);
    await waiter.allTables();
  }
  console.log(
    `opening a table until its dishes show: fresh (table 13) ${timings[13]} ms, ` +
      `with 8,000 past orders (table 12) ${timings[12]} ms`,
  );
});
