import type { AllergyAck, AllergyAckResponse, Order, OrderItem } from '@chit/shared';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DbClient, Pool, Queryable } from '../db/pool.js';
import { transaction } from '../db/transaction.js';
import { appendEvents, type NewEvent } from '../events/store.js';
import { NotFound, Unprocessable } from '../http/errors.js';
import { getMenuItems } from '../menu/store.js';
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
import { itemColumns, orderColumns, toOrder, toOrderItem, type OrderItemRow, type OrderRow } from './rows.js';

// The SQL of orders and their items. What an order is made of is decided in prepare.ts,
// how an item may change in item-state.ts; this file reads and writes them.

/** How a route names an item: through its table (dine-in) or through its order (any type). */
export type ItemScope = { tableId: string } | { orderId: string };

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

/** What an item's change tells the devices; the filter columns come from the item itself. */
type ItemEvent = { [T in ItemEventType]: Pick<Extract<NewEvent, { type: T }>, 'type' | 'data'> }[ItemEventType];
type ItemEventType = 'item.changed' | 'item.voided';

/** Stores an item's new state and appends the event telling its table, order, station and waiter. */
async function saveItem(client: DbClient, item: OrderItem, event: ItemEvent): Promise<void> {
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
  await appendEvents(client, [
    {
      ...event,
      tableId: item.tableId,
      orderId: item.orderId,
      itemId: item.id,
      station: item.station,
      deviceId: item.deviceId,
    },
  ]);
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
  await saveItem(client, next, {
    type: 'item.changed',
    data: {
      item: next,
      changed,
      previousStatus: current.status,
      ...(changed.includes('modifiers') ? { previousModifiers: current.modifiers } : {}),
    },
  });
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
  await saveItem(client, next, {
    type: 'item.voided',
    data: { item: next, afterCookingStarted: voidedAfterCookingStarted(current.status) },
  });
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
