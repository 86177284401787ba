import type { Order, OrderItem, TableCleared } from '@chit/shared';
import { rebase, rowFromServer } from '../domain/rebase.js';
import type { Seen } from './mutations/define.js';
import type { ChitDb, ItemEdit, ItemRow, OutboxEntry } from './schema.js';

type Replay = (row: ItemRow, mutation: OutboxEntry['mutation']) => ItemRow;
let replay: Replay | null = null;

/**
 * How a waiting write shows on an item, by its mutation's name. db/mutations hands it over
 * when it loads (every mutation imports this module, so this one cannot import them); the
 * database's schema loads db/mutations, so it is set before any database is open.
 */
export function setReplay(fn: Replay): void {
  replay = fn;
}

function rebaseOn(row: ItemRow, entries: OutboxEntry[]): ItemRow {
  if (!replay) throw new Error('db/mutations is not loaded: open the database with openDb');
  return rebase(row, entries, replay);
}

/** Outbox entries that touch an item, in the order they were made. Call inside a transaction with `outbox`. */
export async function entriesFor(db: ChitDb, row: Pick<ItemRow, 'id' | 'orderId'>): Promise<OutboxEntry[]> {
  const [byItem, byOrder] = await Promise.all([
    db.outbox.where('itemId').equals(row.id).toArray(),
    db.outbox.where('orderId').equals(row.orderId).toArray(),
  ]);
  const seen = new Set<number>();
  // A write with an order and no item (the order's create) touches every item of the order.
  return [...byItem, ...byOrder.filter((e) => e.itemId === null)]
    .filter((e) => {
      if (e.seq === undefined || seen.has(e.seq)) return false;
      seen.add(e.seq);
      return true;
    })
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

/** Recomputes what the screens show for these items after their server copy or their writes changed. */
export async function recomputeItems(db: ChitDb, itemIds: Iterable<string>): Promise<void> {
  for (const id of new Set(itemIds)) {
    const row = await db.items.get(id);
    if (!row) continue;
    // A local item is queued until a write of this device says otherwise.
    const base = row.server
      ? rowFromServer({ ...row.server, tableId: row.tableId }, row)
      : { ...row, status: 'queued' as const };
    await db.items.put(rebaseOn(base, await entriesFor(db, row)));
  }
}

export async function itemIdsOfOrder(db: ChitDb, orderId: string): Promise<string[]> {
  const rows = await db.items.where('orderId').equals(orderId).toArray();
  return rows.map((row) => row.id);
}

/**
 * Stores the server's copy of an item unless a newer one is already here (events and
 * polls can arrive out of order; `version` only grows).
 */
export async function mergeServerItem(db: ChitDb, item: OrderItem, seen: MergeHint): Promise<void> {
  const previous = await db.items.get(item.id);
  const position = Math.max(previous?.position ?? 0, seen.position ?? 0);
  if (previous?.server && previous.server.version > item.version) {
    if (position !== (previous.position ?? 0)) await db.items.update(item.id, { position });
    return;
  }
  const row = {
    ...rowFromServer(item, previous),
    edit: editOf(item, previous, seen.edited ?? false),
    position,
    serverSeenAt: seen.now,
  };
  await db.items.put(rebaseOn(row, await entriesFor(db, row)));
  const order = await db.orders.get(item.orderId);
  if (!order) {
    // An item alone says nothing of a takeaway or delivery order's customer: such an order
    // is stored when it arrives whole (its event, the open orders, GET /api/orders/:id).
    if (item.tableId === null) return;
    await db.orders.put({
      id: item.orderId,
      // Not known from an item; the order's own read or event brings it.
      ticketNumber: null,
      type: 'dine_in',
      tableId: item.tableId,
      customer: null,
      note: '',
      staffName: item.staffName,
      takenAt: item.deviceTime ?? item.createdAt,
      createdAt: item.createdAt,
      sync: 'synced',
      mine: item.deviceId === seen.myDeviceId,
    });
  } else if (order.sync === 'local') {
    await db.orders.put({ ...order, sync: 'synced', createdAt: item.createdAt });
  }
}

/**
 * Who merges a server copy and when (this device's clock, stamped as `serverSeenAt`), and
 * where it came from: its event-log position, and whether the event says it was an edit.
 */
export interface MergeHint extends Seen {
  position?: number;
  edited?: boolean;
}

/** An edit of quantity, note or choices this device can see: against the server copy it had, or as the event says. */
function editOf(item: OrderItem, previous: ItemRow | undefined, edited: boolean): ItemEdit | null {
  const before = previous?.server;
  const choicesOf = (i: OrderItem) => i.modifiers.map((m) => m.name).join(', ');
  const rechosen = before !== undefined && before !== null && choicesOf(before) !== choicesOf(item);
  if (
    before &&
    before.version < item.version &&
    (before.quantity !== item.quantity || before.note !== item.note || rechosen)
  ) {
    return {
      at: item.updatedAt,
      quantityWas: before.quantity !== item.quantity ? before.quantity : (previous.edit?.quantityWas ?? null),
      noteWas: before.note !== item.note ? before.note : (previous.edit?.noteWas ?? null),
      modifiersWas: rechosen ? choicesOf(before) : (previous.edit?.modifiersWas ?? null),
    };
  }
  if (edited && !previous?.edit) return { at: item.updatedAt, quantityWas: null, noteWas: null };
  return previous?.edit ?? null;
}

export async function mergeServerOrder(db: ChitDb, order: Order, seen: MergeHint): Promise<void> {
  const previous = await db.orders.get(order.id);
  await db.orders.put({
    id: order.id,
    ticketNumber: order.ticketNumber,
    allergy: order.allergy ?? null,
    // The first acknowledgement stands: this board's own, not yet answered, until the server's.
    allergyAck: order.allergyAck ?? previous?.allergyAck ?? null,
    type: order.type,
    tableId: order.tableId,
    customer: order.customer,
    note: order.note,
    staffName: order.staffName,
    takenAt: previous?.takenAt ?? order.deviceTime ?? order.createdAt,
    createdAt: order.createdAt,
    sync: 'synced',
    mine: order.deviceId === seen.myDeviceId,
  });
  for (const item of order.items) await mergeServerItem(db, item, seen);
}

/** Every store a server merge touches, for transactions. */
export function mergeStores(db: ChitDb) {
  return [db.items, db.orders, db.outbox] as const;
}

/**
 * The party at a table left (`table.cleared`, or this tablet's own clear): its served
 * items leave the table, as they left the server's list of it. Items served after the
 * clear, and those not served yet, stay. Orders left with no items go.
 */
export async function forgetClearedItems(db: ChitDb, cleared: TableCleared): Promise<void> {
  const gone = await db.items
    .where('tableId')
    .equals(cleared.tableId)
    .filter((row) => row.status === 'served' && row.pendingWrites === 0 && servedBy(row, cleared.clearedAt))
    .toArray();
  await db.items.bulkDelete(gone.map((row) => row.id));
  for (const orderId of new Set(gone.map((row) => row.orderId))) {
    if ((await db.items.where('orderId').equals(orderId).count()) === 0) await db.orders.delete(orderId);
  }
}

/** Served at or before `at` (a served item whose time is unknown counts as before). */
function servedBy(row: ItemRow, at: string): boolean {
  const servedAt = row.server?.servedAt ?? row.servedAt;
  return servedAt === null || Date.parse(servedAt) <= Date.parse(at);
}
