import type { AllergyAck, AllergyAckResponse, Order, OrderItem } from '@chit/shared';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import { pgCode, type DbClient, type Pool, type Queryable } from '../db/pool.js';
import { transaction } from '../db/transaction.js';
import sql, { raw } from 'sql-template-tag';
import { appendEvents } from '../events/store.js';
import { Conflict, NotFound, Unprocessable } from '../http/errors.js';
import type { PreparedWrite } from '../http/idempotency.js';
import { getMenuItems } from '../menu/store.js';
import { catalogIsCurrent, type Catalog } from './catalog.js';
import { prepareModifierChange } from './prepare.js';
import {
  applyPatch,
  applyVoid,
  checkChoicesChangeable,
  checkPatchAllowed,
  choicesDiffer,
  checkVersion,
  voidedAfterCookingStarted,
  type ItemPatch,
  type PricedChoices,
} from './item-state.js';
import {
  itemColumns,
  itemJsonColumns,
  orderColumns,
  toOrder,
  toOrderItem,
  type OrderItemRow,
  type OrderRow,
} from './rows.js';

// The SQL of orders and their items. What an order is made of is decided in prepare.ts,
// how an item may change in item-state.ts; this file reads and writes them.

/** How a route names an item: through its table (dine-in) or through its order (any type). */
export type ItemScope = { tableId: string } | { orderId: string };

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

/**
 * The current party's items at a table: those not yet served (and not voided), and those
 * served since the table was last cleared (all served ones if it never was). Each half is
 * one scan of a partial index, so the answer is as small after a year as on the first day.
 */
export async function listTableItems(db: Queryable, tableId: string): Promise<OrderItem[]> {
  const { rows } = await db.query<OrderItemRow>(
    `SELECT ${itemColumns} FROM order_items
      WHERE table_id = $1 AND status IN ('queued', 'cooking', 'ready')
     UNION ALL
     SELECT ${itemColumns} FROM order_items
      WHERE table_id = $1 AND status = 'served'
        AND served_at > coalesce((SELECT cleared_at FROM table_clears WHERE table_id = $1), '-infinity')
     ORDER BY created_at, order_id, line`,
    [tableId],
  );
  return rows.map(toOrderItem);
}

/**
 * The kitchen's working set, read in one snapshot with the event log's position so a
 * board can load it and then stream from that position without a gap.
 */
export async function listOpenOrders(
  pool: Pool,
  station: string | undefined,
  voidedWithinMinutes: number,
  now: Date,
): Promise<{ orders: Order[]; eventPosition: number }> {
  const { position, items, orders } = await transaction(
    pool,
    async (client) => {
      const position = await client.query<{ position: number }>(
        `SELECT coalesce(max(position), 0) AS position FROM events`,
      );
      const { rows: items } = await client.query<OrderItemRow>(
        `SELECT ${itemColumns} FROM order_items
        WHERE order_id IN (
                SELECT order_id FROM order_items
                 WHERE (status IN ('queued', 'cooking', 'ready')
                        OR (status = 'voided' AND cooking_at IS NOT NULL AND voided_at > $2::timestamptz - make_interval(mins => $3)))
                   AND ($1::text IS NULL OR station = $1))
          AND ($1::text IS NULL OR station = $1)
        ORDER BY created_at, order_id, line`,
        [station ?? null, now, voidedWithinMinutes],
      );
      const orderIds = [...new Set(items.map((i) => i.order_id))];
      const { rows: orders } = await client.query<OrderRow>(
        `SELECT ${orderColumns} FROM orders WHERE id = ANY($1::uuid[]) ORDER BY created_at, id`,
        [orderIds],
      );
      return { position: position.rows[0]!.position, items, orders };
    },
    { isolation: 'repeatable read', readOnly: true },
  );
  const byOrder = new Map<string, OrderItem[]>();
  for (const row of items) {
    const list = byOrder.get(row.order_id) ?? [];
    list.push(toOrderItem(row));
    byOrder.set(row.order_id, list);
  }
  return { eventPosition: position, orders: orders.map((o) => toOrder(o, byOrder.get(o.id) ?? [])) };
}

const scopeColumn = (scope: ItemScope) => ('tableId' in scope ? 'table_id' : 'order_id');
const scopeId = (scope: ItemScope) => ('tableId' in scope ? scope.tableId : scope.orderId);

export async function getItem(db: Queryable, scope: ItemScope, itemId: string): Promise<OrderItem> {
  const { rows } = await db.query<OrderItemRow>(
    `SELECT ${itemColumns} FROM order_items WHERE id = $1 AND ${scopeColumn(scope)} = $2`,
    [itemId, scopeId(scope)],
  );
  if (!rows[0]) throw itemNotFound(scope, itemId);
  return toOrderItem(rows[0]);
}

function itemNotFound(scope: ItemScope, itemId: string): NotFound {
  const where = 'tableId' in scope ? `on table ${scope.tableId}` : `in order ${scope.orderId}`;
  return new NotFound('item_not_found', `Item ${itemId} is not ${where}.`);
}

async function lockItem(client: DbClient, scope: ItemScope, itemId: string): Promise<OrderItem> {
  const { rows } = await client.query<OrderItemRow>(
    `SELECT ${itemColumns} FROM order_items WHERE id = $1 AND ${scopeColumn(scope)} = $2 FOR UPDATE`,
    [itemId, scopeId(scope)],
  );
  if (!rows[0]) throw itemNotFound(scope, itemId);
  return toOrderItem(rows[0]);
}

/** The items of these orders, voided ones included, in the order they were entered. */
export async function listItemsOfOrders(db: Queryable, orderIds: readonly string[]): Promise<OrderItem[]> {
  const { rows } = await db.query<OrderItemRow>(
    `SELECT ${itemColumns} FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY created_at, order_id, line`,
    [orderIds],
  );
  return rows.map(toOrderItem);
}

/** One order with all its items, voided ones included. */
export async function getOrder(db: Queryable, orderId: string): Promise<Order | undefined> {
  const [orders, items] = await Promise.all([
    db.query<OrderRow>(`SELECT ${orderColumns} FROM orders WHERE id = $1`, [orderId]),
    listItemsOfOrders(db, [orderId]),
  ]);
  const row = orders.rows[0];
  return row && toOrder(row, items);
}

async function saveItem(client: DbClient, item: OrderItem): Promise<void> {
  await client.query(
    `UPDATE order_items
        SET quantity = $2, note = $3, status = $4, version = $5, updated_at = $6, cooking_at = $7, ready_at = $8,
            served_at = $9, voided_at = $10, void_reason = $11, updated_by_device_id = $12, updated_by_staff_name = $13,
            modifiers = $14, unit_price_cents = $15
      WHERE id = $1`,
    [
      item.id,
      item.quantity,
      item.note,
      item.status,
      item.version,
      item.updatedAt,
      item.cookingAt,
      item.readyAt,
      item.servedAt,
      item.voidedAt,
      item.voidReason,
      item.updatedByDeviceId,
      item.updatedByStaffName,
      JSON.stringify(item.modifiers),
      item.unitPriceCents,
    ],
  );
}

/**
 * Applies a quantity, note, status or modifier change, checking role, version and state
 * machine; new choices are checked and priced against the menu as it is now.
 */
export async function patchItem(
  client: DbClient,
  scope: ItemScope,
  itemId: string,
  patch: ItemPatch,
  expectedVersion: number | undefined,
  actor: Actor,
  clock: Clock,
): Promise<OrderItem> {
  checkPatchAllowed(actor.device.role, patch);
  const current = await lockItem(client, scope, itemId);
  checkVersion(current, expectedVersion);
  let choices: PricedChoices | undefined;
  if (patch.modifierOptionIds !== undefined && choicesDiffer(current, patch.modifierOptionIds)) {
    // A cooking item is refused as such before its choices are looked at.
    checkChoicesChangeable(current, patch.modifierOptionIds);
    const menuItems = await getMenuItems(client, [current.menuItemId]);
    choices = prepareModifierChange(menuItems.get(current.menuItemId), patch.modifierOptionIds);
  }
  const change = applyPatch(current, patch, actor, clock.now().toISOString(), choices);
  if (!change) return current;
  const { next, changed } = change;
  await saveItem(client, next);
  await appendEvents(client, [
    {
      type: 'item.changed',
      data: {
        item: next,
        changed,
        previousStatus: current.status,
        ...(changed.includes('modifiers') ? { previousModifiers: current.modifiers } : {}),
      },
      tableId: next.tableId,
      orderId: next.orderId,
      itemId,
      station: next.station,
      deviceId: next.deviceId,
    },
  ]);
  return next;
}

/** Voids an item: it stays stored for billing and audit, and the kitchen is told. */
export async function voidItem(
  client: DbClient,
  scope: ItemScope,
  itemId: string,
  reason: string | undefined,
  expectedVersion: number | undefined,
  actor: Actor,
  clock: Clock,
): Promise<OrderItem> {
  const current = await lockItem(client, scope, itemId);
  checkVersion(current, expectedVersion);
  const next = applyVoid(current, reason, actor, clock.now().toISOString());
  if (!next) return current;
  await saveItem(client, next);
  await appendEvents(client, [
    {
      type: 'item.voided',
      data: { item: next, afterCookingStarted: voidedAfterCookingStarted(current.status) },
      tableId: next.tableId,
      orderId: next.orderId,
      itemId,
      station: next.station,
      deviceId: next.deviceId,
    },
  ]);
  return next;
}

/**
 * Records that a cook read the order's allergy banner: once (the first acknowledgement
 * stands; a second one answers it again and changes nothing), and only for an order that
 * has an allergy, on the order or a line. Every board learns it from the event.
 */
export async function acknowledgeAllergy(
  client: DbClient,
  orderId: string,
  actor: Actor,
  clock: Clock,
): Promise<AllergyAckResponse> {
  const { rows } = await client.query<{
    table_id: string | null;
    device_id: string;
    allergy_ack: AllergyAck | null;
    flagged: boolean;
    stations: string[];
  }>(
    `SELECT o.table_id, o.device_id, o.allergy_ack,
            o.allergy IS NOT NULL OR EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.allergy IS NOT NULL) AS flagged,
            ARRAY(SELECT DISTINCT station FROM order_items i WHERE i.order_id = o.id ORDER BY station) AS stations
       FROM orders o WHERE o.id = $1 FOR UPDATE OF o`,
    [orderId],
  );
  const row = rows[0];
  if (!row) throw new NotFound('order_not_found', `There is no order ${orderId}.`);
  if (row.allergy_ack) return { orderId, allergyAck: row.allergy_ack };
  if (!row.flagged) {
    throw new Unprocessable(
      'allergy_not_flagged',
      'This order has no allergy to acknowledge: neither the order nor any of its lines is flagged.',
    );
  }
  const ack: AllergyAck = {
    at: clock.now().toISOString(),
    deviceId: actor.device.id,
    deviceName: actor.device.name,
    staffName: actor.staffName,
  };
  await client.query(
    `UPDATE orders SET allergy_ack_at = $2, allergy_ack_device_id = $3, allergy_ack = $4 WHERE id = $1`,
    [orderId, ack.at, ack.deviceId, JSON.stringify(ack)],
  );
  await appendEvents(client, [
    {
      type: 'order.allergy_acknowledged',
      data: { orderId, allergyAck: ack, stations: row.stations },
      tableId: row.table_id,
      orderId,
      // The order's waiter follows it with `mine`, like its items' changes.
      deviceId: row.device_id,
    },
  ]);
  return { orderId, allergyAck: ack };
}
