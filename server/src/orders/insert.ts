import type { Order } from '@chit/shared';
import sql, { raw } from 'sql-template-tag';
import { pgCode } from '../db/pool.js';
import { Conflict, Unprocessable } from '../http/errors.js';
import type { PreparedWrite } from '../http/idempotency.js';
import { catalogIsCurrent, type Catalog } from './catalog.js';
import { itemJsonColumns } from './rows.js';

// Storing a new order: one statement that claims its key, numbers it, writes the order,
// its items and its event (see http/idempotency.ts).

/** Where the ticket number goes in an order's answer, which `prepareOrder` leaves null. */
const ticketNumberSlot = '"ticketNumber":null';

/**
 * The statement parts that store a prepared order, its items and its `order.created`
 * event, for `idempotentStatement` (which supplies the `claimed` CTE they are guarded by,
 * and the `answer` CTE they read the answer from).
 * The answer `{ order }` is also the event's data, so the items and the event are read
 * from the answer's JSON: the order is serialised once per request, not three times.
 * The ticket number is the next of `businessDay`'s, counted in `ticket_counters`: the
 * statement locks that day's row until it commits, so orders are numbered one at a time
 * across every instance, without gaps (docs/decisions.md).
 */
export function orderInsert(
  order: Order,
  catalog: Catalog,
  businessDay: string,
): Pick<PreparedWrite, 'ctes' | 'mapError' | 'statementName' | 'numbered'> {
  const json = JSON.stringify({ order });
  // An unescaped `"ticketNumber":` can only be that key: quotes inside strings are escaped.
  const slot = json.indexOf(ticketNumberSlot);
  if (slot < 0) throw new Error('an order to store must have ticketNumber: null');
  const numberAt = slot + ticketNumberSlot.length - 'null'.length;
  return {
    statementName: 'order-insert',
    numbered: { before: json.slice(0, numberAt), after: json.slice(slot + ticketNumberSlot.length) },
    ctes: () => ({
      precondition: catalogIsCurrent(catalog.version),
      allocate: sql`INSERT INTO ticket_counters AS c (business_day, last_number)
         SELECT ${businessDay}::date, 1 WHERE (SELECT ok FROM fresh)
         ON CONFLICT (business_day) DO UPDATE SET last_number = c.last_number + 1, updated_at = now()
         RETURNING last_number AS n`,
      sql: sql`new_order AS (
         INSERT INTO orders (id, table_id, note, device_id, staff_name, device_time, created_at,
                             type, customer_name, customer_address, customer_phone, business_day, ticket_number, allergy)
         SELECT ${order.id}, ${order.tableId}, ${order.note}, ${order.deviceId}, ${order.staffName},
                ${order.deviceTime}, ${order.createdAt}, ${order.type}, ${order.customer?.name ?? null},
                ${order.customer?.address ?? null}, ${order.customer?.phone ?? null}, ${businessDay}::date,
                (SELECT n FROM allocated), nullif((SELECT body FROM answer)::jsonb -> 'order' -> 'allergy', 'null')
          WHERE EXISTS (SELECT 1 FROM claimed)
       ),
       new_items AS (
         INSERT INTO order_items (line, id, order_id, table_id, menu_item_id, name, station, unit_price_cents, quantity,
           modifiers, note, allergy, cook_minutes, status, version, device_id, staff_name, device_time, created_at,
           updated_at, updated_by_device_id, updated_by_staff_name)
         SELECT i."line", i."id", i."orderId", i."tableId", i."menuItemId", i."name", i."station", i."unitPriceCents",
                i."quantity", i."modifiers", i."note", nullif(i."allergy", 'null'), i."cookMinutes", i."status", i."version", i."deviceId",
                i."staffName", i."deviceTime", i."createdAt", i."updatedAt", i."updatedByDeviceId",
                i."updatedByStaffName"
           FROM jsonb_to_recordset((SELECT body FROM answer)::jsonb -> 'order' -> 'items') AS i(${raw(itemJsonColumns)})
          WHERE EXISTS (SELECT 1 FROM claimed)
       ),
       new_event AS (
         INSERT INTO events (type, table_id, order_id, device_id, payload)
         SELECT 'order.created', ${order.tableId}::uuid, ${order.id}::uuid, ${order.deviceId}::uuid,
                (SELECT body FROM answer)::jsonb
          WHERE EXISTS (SELECT 1 FROM claimed)
       )`,
    }),
    mapError: (err) => {
      const code = pgCode(err);
      const constraint = (err as { constraint?: string }).constraint;
      if (code === '23503' && constraint?.includes('table_id')) {
        return new Unprocessable('table_not_found', `Table ${order.tableId} does not exist.`, {
          details: [{ path: 'tableId', message: 'No table has this id.' }],
        });
      }
      if (code === '23505') {
        return new Conflict(
          'order_exists',
          constraint === 'orders_pkey'
            ? `An order with id ${order.id} already exists. A retry must reuse its Idempotency-Key.`
            : 'One of the item ids is already used by another order. Make new ids for new items.',
        );
      }
      return err;
    },
  };
}
