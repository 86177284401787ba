import {
  canTransition,
  checkModifierChoices,
  unitPriceCents,
  type ChosenModifier,
  type CreateOrderInput,
  type Device,
  type ErrorDetail,
  type ItemStatus,
  type Order,
  type OrderItem,
} from '@chit/shared';
import type { Clock, Random } from '../clock.js';
import { pgCode, withClient, type DbClient, type Pool } from '../db/pool.js';
import { appendEvents } from '../events/store.js';
import { Conflict, Forbidden, NotFound, Unprocessable } from '../http/errors.js';
import type { PreparedWrite } from '../http/idempotency.js';
import { catalogIsCurrent, type Catalog } from './catalog.js';

type Queryable = Pool | DbClient;

interface OrderItemRow {
  id: string;
  order_id: string;
  table_id: string | null;
  menu_item_id: string;
  name: string;
  station: string;
  unit_price_cents: number;
  quantity: number;
  modifiers: ChosenModifier[];
  note: string;
  cook_minutes: number;
  line: number;
  status: ItemStatus;
  version: number;
  device_id: string;
  staff_name: string;
  device_time: string | null;
  created_at: string;
  updated_at: string;
  cooking_at: string | null;
  ready_at: string | null;
  served_at: string | null;
  voided_at: string | null;
  void_reason: string | null;
  updated_by_device_id: string;
  updated_by_staff_name: string;
}

const itemColumns = `id, line, order_id, table_id, menu_item_id, name, station, unit_price_cents, quantity, modifiers,
  note, cook_minutes, status, version, device_id, staff_name, device_time, created_at, updated_at, cooking_at,
  ready_at, served_at, voided_at, void_reason, updated_by_device_id, updated_by_staff_name`;

function toOrderItem(row: OrderItemRow): OrderItem {
  return {
    id: row.id,
    orderId: row.order_id,
    tableId: row.table_id,
    menuItemId: row.menu_item_id,
    name: row.name,
    station: row.station,
    unitPriceCents: row.unit_price_cents,
    quantity: row.quantity,
    modifiers: row.modifiers,
    note: row.note,
    cookMinutes: row.cook_minutes,
    line: row.line,
    status: row.status,
    version: row.version,
    deviceId: row.device_id,
    staffName: row.staff_name,
    deviceTime: row.device_time,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    cookingAt: row.cooking_at,
    readyAt: row.ready_at,
    servedAt: row.served_at,
    voidedAt: row.voided_at,
    voidReason: row.void_reason,
    updatedByDeviceId: row.updated_by_device_id,
    updatedByStaffName: row.updated_by_staff_name,
  };
}

/** A random 5 to 15 minutes for dishes whose prep time the kitchen has not given. */
export function randomCookMinutes(random: Random): number {
  return 5 + Math.floor(random() * 11);
}

export interface Actor {
  device: Device;
  staffName: string;
}

/** How a route names an item: through its table (dine-in) or through its order (any type). */
export type ItemScope = { tableId: string } | { orderId: string };

/** The customer a takeaway or delivery order is for; null for dine-in. */
function customerOf(input: CreateOrderInput): Order['customer'] {
  switch (input.type) {
    case 'dine_in':
      return null;
    case 'takeaway':
      return { name: input.customer.name, address: null, phone: null };
    case 'delivery':
      return input.customer;
  }
}

/**
 * Prices and checks an order against the menu and tables of `catalog` and builds it as it
 * will be stored, without writing anything. Refuses the whole order if any line is wrong.
 */
export function prepareOrder(
  catalog: Catalog,
  input: CreateOrderInput,
  actor: Actor,
  clock: Clock,
  random: Random,
): Order {
  const menu = catalog.menuItems;
  const notFound: ErrorDetail[] = [];
  const unavailable: ErrorDetail[] = [];
  const badChoices: ErrorDetail[] = [];
  const negativePrices: ErrorDetail[] = [];
  const tableId = input.type === 'dine_in' ? input.tableId : null;
  if (tableId !== null) checkLiveTable(catalog, tableId);
  input.items.forEach((line, index) => {
    const menuItem = menu.get(line.menuItemId);
    const path = `items.${index}`;
    if (!menuItem) {
      notFound.push({ path: `${path}.menuItemId`, message: `Menu item ${line.menuItemId} is not on the menu.` });
    } else if (menuItem.archived) {
      // Taken off the menu while the order waited on a tablet: say which dish, like 86ed ones.
      unavailable.push({ path: `${path}.menuItemId`, message: `${menuItem.name} is no longer on the menu.` });
    } else if (!menuItem.available) {
      unavailable.push({ path: `${path}.menuItemId`, message: `${menuItem.name} is not available right now.` });
    } else {
      const problems = checkModifierChoices(menuItem, line.modifierOptionIds);
      for (const problem of problems) {
        badChoices.push({ path: `${path}.modifierOptionIds`, message: problem.message });
      }
      // Options may take money off (a smaller size), but never below nothing.
      const price = unitPriceCents(menuItem, line.modifierOptionIds);
      if (problems.length === 0 && price < 0) {
        negativePrices.push({
          path: `${path}.modifierOptionIds`,
          message: `${menuItem.name} with these options would cost less than nothing (${price} cents); ask a manager to fix its prices.`,
        });
      }
    }
  });
  if (notFound.length > 0) {
    throw new Unprocessable('menu_item_not_found', notFound[0]!.message, notFound);
  }
  if (unavailable.length > 0) {
    throw new Unprocessable('menu_item_unavailable', unavailable.map((d) => d.message).join(' '), unavailable);
  }
  if (badChoices.length > 0) {
    throw new Unprocessable('modifier_choice_invalid', badChoices[0]!.message, badChoices);
  }
  if (negativePrices.length > 0) {
    throw new Unprocessable('unit_price_negative', negativePrices[0]!.message, negativePrices);
  }

  const now = clock.now().toISOString();
  const deviceTime = input.deviceTime ? new Date(input.deviceTime).toISOString() : null;
  const items: OrderItem[] = input.items.map((line, index) => {
    const menuItem = menu.get(line.menuItemId)!;
    const chosen = new Set(line.modifierOptionIds);
    const modifiers: ChosenModifier[] = menuItem.modifierGroups.flatMap((group) =>
      group.options
        .filter((option) => chosen.has(option.id))
        .map((option) => ({
          groupId: group.id,
          groupName: group.name,
          optionId: option.id,
          name: option.name,
          priceDeltaCents: option.priceDeltaCents,
        })),
    );
    return {
      id: line.id,
      orderId: input.id,
      tableId,
      menuItemId: menuItem.id,
      name: menuItem.name,
      station: menuItem.station,
      unitPriceCents: unitPriceCents(menuItem, line.modifierOptionIds),
      quantity: line.quantity,
      modifiers,
      note: line.note,
      cookMinutes: menuItem.prepMinutes ?? randomCookMinutes(random),
      line: index + 1,
      status: 'queued',
      version: 1,
      deviceId: actor.device.id,
      staffName: actor.staffName,
      deviceTime,
      createdAt: now,
      updatedAt: now,
      cookingAt: null,
      readyAt: null,
      servedAt: null,
      voidedAt: null,
      voidReason: null,
      updatedByDeviceId: actor.device.id,
      updatedByStaffName: actor.staffName,
    };
  });
  return {
    id: input.id,
    type: input.type,
    tableId,
    customer: customerOf(input),
    note: input.note,
    deviceId: actor.device.id,
    staffName: actor.staffName,
    deviceTime,
    createdAt: now,
    items,
  };
}

/** The item columns as the camelCase keys of an `OrderItem` in JSON, for `jsonb_to_recordset`. */
const itemJsonColumns = `"id" uuid, "orderId" uuid, "tableId" uuid, "menuItemId" uuid, "name" text, "station" text,
  "unitPriceCents" int, "quantity" int, "modifiers" jsonb, "note" text, "cookMinutes" int, "status" text,
  "version" int, "line" int, "deviceId" uuid, "staffName" text, "deviceTime" timestamptz, "createdAt" timestamptz,
  "updatedAt" timestamptz, "updatedByDeviceId" uuid, "updatedByStaffName" text`;

/**
 * The statement parts that store a prepared order, its items and its `order.created`
 * event, for `idempotentStatement` (which supplies the `claimed` CTE they are guarded by).
 * The answer `{ order }` is also the event's data, so the items and the event are read
 * from the answer's JSON: the order is serialised once per request, not three times.
 */
export function orderInsert(
  order: Order,
  catalog: Catalog,
): Pick<PreparedWrite, 'ctes' | 'mapError' | 'statementName'> {
  return {
    statementName: 'order-insert',
    ctes: (p, answer) => ({
      precondition: catalogIsCurrent(`$${p + 11}`),
      sql: `new_order AS (
         INSERT INTO orders (id, table_id, note, device_id, staff_name, device_time, created_at,
                             type, customer_name, customer_address, customer_phone)
         SELECT $${p}, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6},
                $${p + 7}, $${p + 8}, $${p + 9}, $${p + 10}
          WHERE EXISTS (SELECT 1 FROM claimed)
       ),
       new_items AS (
         INSERT INTO order_items (line, id, order_id, table_id, menu_item_id, name, station, unit_price_cents, quantity,
           modifiers, note, cook_minutes, status, version, device_id, staff_name, device_time, created_at,
           updated_at, updated_by_device_id, updated_by_staff_name)
         SELECT i."line", i."id", i."orderId", i."tableId", i."menuItemId", i."name", i."station", i."unitPriceCents",
                i."quantity", i."modifiers", i."note", i."cookMinutes", i."status", i."version", i."deviceId",
                i."staffName", i."deviceTime", i."createdAt", i."updatedAt", i."updatedByDeviceId",
                i."updatedByStaffName"
           FROM jsonb_to_recordset(${answer}::jsonb -> 'order' -> 'items') AS i(${itemJsonColumns})
          WHERE EXISTS (SELECT 1 FROM claimed)
       ),
       new_event AS (
         INSERT INTO events (type, table_id, order_id, device_id, payload)
         SELECT 'order.created', $${p + 1}::uuid, $${p}::uuid, $${p + 3}::uuid, ${answer}::jsonb
          WHERE EXISTS (SELECT 1 FROM claimed)
       )`,
      values: [
        order.id,
        order.tableId,
        order.note,
        order.deviceId,
        order.staffName,
        order.deviceTime,
        order.createdAt,
        order.type,
        order.customer?.name ?? null,
        order.customer?.address ?? null,
        order.customer?.phone ?? null,
        catalog.version,
      ],
    }),
    mapError: (err) => {
      const code = pgCode(err);
      const constraint = (err as { constraint?: string }).constraint;
      if (code === '23503' && constraint?.includes('table_id')) {
        return new Unprocessable('table_not_found', `Table ${order.tableId} does not exist.`, [
          { path: 'tableId', message: 'No table has this id.' },
        ]);
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
  return withClient(pool, async (client, broken) => {
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
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
      await client.query('COMMIT');
      const byOrder = new Map<string, OrderItem[]>();
      for (const row of items) {
        const list = byOrder.get(row.order_id) ?? [];
        list.push(toOrderItem(row));
        byOrder.set(row.order_id, list);
      }
      return {
        eventPosition: position.rows[0]!.position,
        orders: orders.map((o) => toOrder(o, byOrder.get(o.id) ?? [])),
      };
    } catch (err) {
      await client.query('ROLLBACK').catch(broken);
      throw err;
    }
  });
}

/**
 * Refuses an unknown table and one that has been removed. The order's statement checks
 * the catalog is still current but does not lock the table: an order racing the removal
 * of its table to the millisecond lands on the removed table (still billed, still
 * cooked), which is the lesser harm than a lock on the hot path.
 */
function checkLiveTable(catalog: Catalog, tableId: string): void {
  const table = catalog.tables.get(tableId);
  if (!table) {
    throw new Unprocessable('table_not_found', `Table ${tableId} does not exist.`, [
      { path: 'tableId', message: 'No table has this id.' },
    ]);
  }
  if (table.archived) {
    throw new Unprocessable('table_not_found', `Table ${table.number} has been removed.`, [
      { path: 'tableId', message: 'This table has been removed.' },
    ]);
  }
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
  return new NotFound(`Item ${itemId} is not ${where}.`, 'item_not_found');
}

async function lockItem(client: DbClient, scope: ItemScope, itemId: string): Promise<OrderItem> {
  const { rows } = await client.query<OrderItemRow>(
    `SELECT ${itemColumns} FROM order_items WHERE id = $1 AND ${scopeColumn(scope)} = $2 FOR UPDATE`,
    [itemId, scopeId(scope)],
  );
  if (!rows[0]) throw itemNotFound(scope, itemId);
  return toOrderItem(rows[0]);
}

interface OrderRow {
  id: string;
  type: Order['type'];
  table_id: string | null;
  customer_name: string | null;
  customer_address: string | null;
  customer_phone: string | null;
  note: string;
  device_id: string;
  staff_name: string;
  device_time: string | null;
  created_at: string;
}

const orderColumns = `id, type, table_id, customer_name, customer_address, customer_phone, note, device_id,
  staff_name, device_time, created_at`;

function toOrder(row: OrderRow, items: OrderItem[]): Order {
  return {
    id: row.id,
    type: row.type,
    tableId: row.table_id,
    customer:
      row.customer_name === null
        ? null
        : { name: row.customer_name, address: row.customer_address, phone: row.customer_phone },
    note: row.note,
    deviceId: row.device_id,
    staffName: row.staff_name,
    deviceTime: row.device_time,
    createdAt: row.created_at,
    items,
  };
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

function checkVersion(item: OrderItem, expected: number | undefined): void {
  if (expected !== undefined && expected !== item.version) {
    throw new Conflict(
      'version_conflict',
      `The item changed since you loaded it (you have version ${expected}, it is at ${item.version}). Reload it and try again.`,
      { current: item },
    );
  }
}

async function saveItem(client: DbClient, item: OrderItem): Promise<void> {
  await client.query(
    `UPDATE order_items
        SET quantity = $2, note = $3, status = $4, version = $5, updated_at = $6, cooking_at = $7, ready_at = $8,
            served_at = $9, voided_at = $10, void_reason = $11, updated_by_device_id = $12, updated_by_staff_name = $13
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
    ],
  );
}

/** What each role may set an item's status to; managers may do all of it. */
const statusesByRole: Record<Device['role'], readonly ItemStatus[]> = {
  waiter: ['served'],
  kitchen: ['queued', 'cooking', 'ready'],
  manager: ['queued', 'cooking', 'ready', 'served'],
};

export interface ItemPatch {
  quantity?: number | undefined;
  note?: string | undefined;
  status?: Exclude<ItemStatus, 'voided'> | undefined;
}

/** Applies a quantity, note or status change, checking role, version and state machine. */
export async function patchItem(
  client: DbClient,
  scope: ItemScope,
  itemId: string,
  patch: ItemPatch,
  expectedVersion: number | undefined,
  actor: Actor,
  clock: Clock,
): Promise<OrderItem> {
  const role = actor.device.role;
  if ((patch.quantity !== undefined || patch.note !== undefined) && role === 'kitchen') {
    throw new Forbidden('A kitchen device can move items through their states but cannot change quantity or note.');
  }
  if (patch.status !== undefined && !statusesByRole[role].includes(patch.status)) {
    throw new Forbidden(`A ${role} device cannot mark an item ${patch.status}.`);
  }
  const current = await lockItem(client, scope, itemId);
  checkVersion(current, expectedVersion);
  const next: OrderItem = { ...current };
  const changed: ('status' | 'quantity' | 'note')[] = [];
  const now = clock.now().toISOString();

  if (patch.status !== undefined && patch.status !== current.status) {
    if (!canTransition(current.status, patch.status)) {
      throw new Conflict('illegal_transition', `An item that is ${current.status} cannot become ${patch.status}.`, {
        current,
      });
    }
    next.status = patch.status;
    if (patch.status === 'cooking') {
      next.cookingAt = now;
      next.readyAt = null;
    } else if (patch.status === 'ready') {
      next.readyAt = now;
    } else if (patch.status === 'served') {
      next.servedAt = now;
    } else {
      // Recalled to the queue: it has not started cooking after all.
      next.cookingAt = null;
      next.readyAt = null;
    }
    changed.push('status');
  }
  const editing =
    (patch.quantity !== undefined && patch.quantity !== current.quantity) ||
    (patch.note !== undefined && patch.note !== current.note);
  if (editing && (current.status === 'served' || current.status === 'voided')) {
    throw new Conflict('illegal_transition', `An item that is ${current.status} can no longer be changed.`, {
      current,
    });
  }
  if (patch.quantity !== undefined && patch.quantity !== current.quantity) {
    next.quantity = patch.quantity;
    changed.push('quantity');
  }
  if (patch.note !== undefined && patch.note !== current.note) {
    next.note = patch.note;
    changed.push('note');
  }
  if (changed.length === 0) return current;

  next.version = current.version + 1;
  next.updatedAt = now;
  next.updatedByDeviceId = actor.device.id;
  next.updatedByStaffName = actor.staffName;
  await saveItem(client, next);
  await appendEvents(client, [
    {
      type: 'item.changed',
      data: { item: next, changed, previousStatus: current.status },
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
  if (current.status === 'voided') return current;
  if (!canTransition(current.status, 'voided')) {
    throw new Conflict('illegal_transition', `An item that is ${current.status} cannot be voided.`, { current });
  }
  const now = clock.now().toISOString();
  const next: OrderItem = {
    ...current,
    status: 'voided',
    voidedAt: now,
    voidReason: reason ?? null,
    version: current.version + 1,
    updatedAt: now,
    updatedByDeviceId: actor.device.id,
    updatedByStaffName: actor.staffName,
  };
  await saveItem(client, next);
  await appendEvents(client, [
    {
      type: 'item.voided',
      data: { item: next, afterCookingStarted: current.status === 'cooking' || current.status === 'ready' },
      tableId: next.tableId,
      orderId: next.orderId,
      itemId,
      station: next.station,
      deviceId: next.deviceId,
    },
  ]);
  return next;
}
