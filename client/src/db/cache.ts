import type { ChitEvent, MenuResponse, Order, OrderItem, Table } from '@chit/shared';
import { getMeta, setMeta } from './meta.js';
import { mergeServerItem, mergeServerOrder, recomputeItems } from './merge.js';
import type { ChitDb } from './schema.js';

export async function saveMenu(db: ChitDb, menu: MenuResponse, now: number): Promise<void> {
  await db.menu.put({ key: 'menu', menu, fetchedAt: new Date(now).toISOString() });
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
 * The server's list of a table's items. It leaves voided items out, so an item this tablet
 * knew as synced that is missing now was voided elsewhere.
 */
export async function mergeTableItems(db: ChitDb, tableId: string, items: OrderItem[]): Promise<void> {
  const deviceId = (await getMeta(db, 'session'))?.device.id ?? null;
  await db.transaction('rw', [db.items, db.orders, db.outbox], async () => {
    const present = new Set(items.map((i) => i.id));
    for (const item of items) await mergeServerItem(db, item, deviceId);
    const vanished = await db.items
      .where('tableId')
      .equals(tableId)
      .filter((row) => row.sync === 'synced' && row.server !== null && !present.has(row.id) && row.status !== 'voided')
      .toArray();
    for (const row of vanished) {
      await db.items.put({ ...row, server: { ...row.server!, status: 'voided' } });
    }
    await recomputeItems(
      db,
      vanished.map((r) => r.id),
    );
  });
}

/**
 * The server's open orders across every table (`GET /api/orders/open`). Returns the ids
 * of the items it listed, so the caller can tell which open items this tablet knows that
 * the server no longer counts as open (served or voided elsewhere).
 */
export async function mergeOpenOrders(db: ChitDb, orders: Order[]): Promise<Set<string>> {
  const deviceId = (await getMeta(db, 'session'))?.device.id ?? null;
  await db.transaction('rw', [db.items, db.orders, db.outbox], async () => {
    for (const order of orders) await mergeServerOrder(db, order, deviceId);
  });
  return new Set(orders.flatMap((order) => order.items.map((item) => item.id)));
}

/** Applies one event of `GET /api/events` and remembers its id for resuming. */
export async function applyEvent(db: ChitDb, event: ChitEvent): Promise<void> {
  const deviceId = (await getMeta(db, 'session'))?.device.id ?? null;
  await db.transaction('rw', [db.items, db.orders, db.outbox, db.menu, db.meta], async () => {
    switch (event.type) {
      case 'order.created':
        await mergeServerOrder(db, event.data.order, deviceId);
        break;
      case 'item.changed':
      case 'item.voided':
        await mergeServerItem(db, event.data.item, deviceId);
        break;
      case 'menu.availability': {
        const cached = await db.menu.get('menu');
        if (cached) {
          const items = cached.menu.items.map((item) =>
            item.id === event.data.menuItemId ? { ...item, available: event.data.available } : item,
          );
          await db.menu.put({ ...cached, menu: { ...cached.menu, items } });
        }
        break;
      }
      case 'menu.changed':
      case 'tables.changed':
        // Only ids travel; the sync engine reloads the menu or the tables over REST.
        break;
    }
    await setMeta(db, 'lastEventId', event.id);
  });
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
