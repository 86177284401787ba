import type { AllergyAckResponse, ChitEvent, MenuItem, MenuResponse, Order, OrderItem, Table } from '@chit/shared';
import { seenBy, setMeta } from './meta.js';
import { forgetClearedItems, mergeServerItem, mergeServerOrder, recomputeItems } from './merge.js';
import type { ChitDb, ItemRow } from './schema.js';

export async function saveMenu(db: ChitDb, menu: MenuResponse, now: number): Promise<void> {
  await db.menu.put({ key: 'menu', menu, fetchedAt: new Date(now).toISOString() });
}

/** One dish's new state (e.g. after the kitchen 86ed it), into the cached menu. */
export async function saveMenuItem(db: ChitDb, item: Pick<MenuItem, 'id'> & Partial<MenuItem>): Promise<void> {
  await db.transaction('rw', db.menu, async () => {
    const cached = await db.menu.get('menu');
    if (!cached) return;
    const items = cached.menu.items.map((existing) => (existing.id === item.id ? { ...existing, ...item } : existing));
    await db.menu.put({ ...cached, menu: { ...cached.menu, items } });
  });
}

export async function saveTables(db: ChitDb, tables: Table[]): Promise<void> {
  await db.transaction('rw', db.diningTables, async () => {
    const keep = new Set(tables.map((t) => t.id));
    const gone = (await db.diningTables.toCollection().primaryKeys()).filter((id) => !keep.has(id));
    await db.diningTables.bulkDelete(gone);
    await db.diningTables.bulkPut(tables);
  });
}

/**
 * The server's list of a table's items, asked for at `sentAt` (this device's clock). It
 * leaves voided items out, and served ones from before the table was last cleared, so an
 * item this tablet knew as synced before the list was asked for that is missing now was
 * voided elsewhere, or (when served) left with its party. One whose server copy arrived
 * after (an order this tablet sent while the list was on its way) may simply be newer than
 * the list.
 */
export async function mergeTableItems(
  db: ChitDb,
  tableId: string,
  items: OrderItem[],
  sentAt: number,
  now: number,
): Promise<void> {
  const seen = await seenBy(db, now);
  await db.transaction('rw', [db.items, db.orders, db.outbox], async () => {
    const present = new Set(items.map((i) => i.id));
    for (const item of items) await mergeServerItem(db, item, seen);
    const vanished = await db.items
      .where('tableId')
      .equals(tableId)
      .filter(
        (row) =>
          row.sync === 'synced' &&
          row.server !== null &&
          !present.has(row.id) &&
          row.status !== 'voided' &&
          (row.serverSeenAt ?? 0) < sentAt,
      )
      .toArray();
    const [cleared, voided] = [
      vanished.filter((row) => row.server!.status === 'served'),
      vanished.filter((row) => row.server!.status !== 'served'),
    ];
    await db.items.bulkDelete(cleared.map((row) => row.id));
    for (const row of voided) {
      await db.items.put({ ...row, server: { ...row.server!, status: 'voided' } });
    }
    await recomputeItems(
      db,
      voided.map((r) => r.id),
    );
  });
}

/** The server's copy of one whole order (`GET /api/orders/:id`, voided items included). */
export async function mergeOrder(db: ChitDb, order: Order, now: number): Promise<void> {
  const seen = await seenBy(db, now);
  await db.transaction('rw', [db.items, db.orders, db.outbox], () => mergeServerOrder(db, order, seen));
}

export async function onlyOnThisTablet(db: ChitDb, orderId: string): Promise<boolean> {
  return (await db.orders.get(orderId))?.sync === 'local';
}

/** The server's acknowledgement of an order's allergy (the first one, which stands) replaces any local one. */
export async function saveAllergyAck(db: ChitDb, ack: AllergyAckResponse): Promise<void> {
  await db.orders.update(ack.orderId, { allergyAck: ack.allergyAck });
}

/** Applies one event of `GET /api/events` and remembers its id for resuming. */
export async function applyEvent(db: ChitDb, event: ChitEvent, now: number): Promise<void> {
  const seen = await seenBy(db, now);
  await db.transaction('rw', [db.items, db.orders, db.outbox, db.menu, db.meta], async () => {
    switch (event.type) {
      case 'order.created':
        await mergeServerOrder(db, event.data.order, { ...seen, position: event.id });
        break;
      case 'item.changed':
        await mergeServerItem(db, event.data.item, {
          ...seen,
          position: event.id,
          edited: event.data.changed.includes('quantity') || event.data.changed.includes('note'),
        });
        break;
      case 'item.voided':
        await mergeServerItem(db, event.data.item, { ...seen, position: event.id });
        break;
      case 'menu.availability':
        await saveMenuItem(db, { id: event.data.menuItemId, available: event.data.available });
        break;
      case 'table.cleared':
        await forgetClearedItems(db, event.data);
        break;
      case 'order.allergy_acknowledged':
        await saveAllergyAck(db, event.data);
        break;
      case 'menu.changed':
      case 'tables.changed':
        // Only ids travel; the sync engine reloads the menu or the tables over REST.
        break;
    }
    await setMeta(db, 'lastEventId', event.id);
  });
}

/** Items the kitchen board shows: still to do, or voided after cooking started. */
function onKitchenBoard(item: OrderItem): boolean {
  return (
    item.status === 'queued' ||
    item.status === 'cooking' ||
    item.status === 'ready' ||
    (item.status === 'voided' && item.cookingAt !== null)
  );
}

/**
 * The server's open orders, every table and every takeaway and delivery order
 * (`GET /api/orders/open`, read at event `position`). Returns the items this device shows
 * as on the board that the snapshot no longer lists and nothing after it touched: served or
 * voided elsewhere. The kitchen forgets them (`forgetItems`); the waiter re-reads their
 * tables or orders, which still show them.
 */
export async function mergeOpenOrders(db: ChitDb, orders: Order[], position: number, now: number): Promise<ItemRow[]> {
  const seen = await seenBy(db, now);
  return db.transaction('rw', [db.items, db.orders, db.outbox], async () => {
    const present = new Set<string>();
    for (const order of orders) {
      for (const item of order.items) present.add(item.id);
      await mergeServerOrder(db, order, { ...seen, position });
    }
    return db.items
      .filter(
        (row) =>
          row.server !== null &&
          !present.has(row.id) &&
          onKitchenBoard(row.server) &&
          (row.position ?? 0) <= position &&
          row.pendingWrites === 0 &&
          row.problem === null,
      )
      .toArray();
  });
}

/** Drops items from this device's store (the board's finished work; nothing is waiting on them). */
export async function forgetItems(db: ChitDb, ids: string[]): Promise<void> {
  await db.items.bulkDelete(ids);
}

/**
 * Keeps the tablet's store bounded: items finished (served or voided) long ago with no
 * write waiting go; so do orders left with no items.
 */
export async function prune(db: ChitDb, now: number, keepMs = 18 * 60 * 60 * 1000): Promise<number> {
  return db.transaction('rw', [db.items, db.orders], async () => {
    const cutoff = now - keepMs;
    const old = await db.items
      .where('status')
      .anyOf(['served', 'voided'])
      .filter((row) => row.pendingWrites === 0 && Date.parse(row.sentAt ?? row.takenAt) < cutoff)
      .primaryKeys();
    await db.items.bulkDelete(old);
    const orders = await db.orders.toArray();
    for (const order of orders) {
      if (order.sync === 'synced' && (await db.items.where('orderId').equals(order.id).count()) === 0) {
        await db.orders.delete(order.id);
      }
    }
    return old.length;
  });
}
