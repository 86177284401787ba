import type { Order, OrderItem } from '@chit/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEvent, forgetItems, mergeOpenOrders } from '../../db/cache.js';
import type { ChitDb } from '../../db/schema.js';
import { getMeta } from '../../db/meta.js';
import { moveItems } from '../../db/mutations/bumpItem.js';
import { setAvailability } from '../../db/mutations/setAvailability.js';
import { errorReply } from '../../test/fake-server.js';
import { ids, serverItem, tables } from '../../test/fixtures.js';
import { harness, outboxRequests, type Harness } from '../../test/harness.js';
import { buildTickets, isReady, onBoard, ticketBump } from './board.js';

const T0Iso = '2025-01-01T12:00:00.000Z';
const T0 = Date.parse(T0Iso);
/** When this device merges what the server says (the board's tests do not depend on it). */
const now = T0;
const order1 = '70000000-0000-4000-8000-00000000a001';
const order2 = '70000000-0000-4000-8000-00000000a002';
const pizzaA = '70000000-0000-4000-8000-00000000b001';
const soupA = '70000000-0000-4000-8000-00000000b002';
const soupB = '70000000-0000-4000-8000-00000000b003';

function pizza(id: string, orderId: string, patch: Partial<OrderItem> = {}): OrderItem {
  return {
    ...serverItem({ id, orderId, tableId: ids.table1, menuItemId: ids.pizza }),
    name: 'Margherita',
    station: 'pizza',
    cookMinutes: 12,
    ...patch,
  };
}

function soup(
  id: string,
  orderId: string,
  patch: Partial<OrderItem> = {},
  tableId: string | null = ids.table1,
): OrderItem {
  return { ...serverItem({ id, orderId, tableId }), ...patch };
}

function order(
  id: string,
  items: OrderItem[],
  createdAt = '2025-01-01T12:00:00.000Z',
  tableId: string | null = ids.table1,
): Order {
  return {
    id,
    ticketNumber: null,
    type: 'dine_in',
    tableId,
    customer: null,
    note: '',
    deviceId: ids.device,
    staffName: 'Ana',
    deviceTime: null,
    createdAt,
    items,
  };
}

/** What the board does with a snapshot: merge it and forget the items it no longer lists. */
async function snapshot(db: ChitDb, orders: Order[], position: number): Promise<void> {
  const finished = await mergeOpenOrders(db, orders, position, now);
  await forgetItems(
    db,
    finished.map((item) => item.id),
  );
}

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) h.db.close();
});

async function kitchenDb(): Promise<ChitDb> {
  const h = await harness();
  open.push(h);
  return h.db;
}

async function tickets(db: ChitDb, station: string | null = null, now = T0, dismissed = new Set<string>()) {
  const [orders, items] = await Promise.all([db.orders.toArray(), db.items.toArray()]);
  return buildTickets({
    orders,
    items,
    tables: new Map(tables.map((t) => [t.id, t])),
    station,
    dismissed,
    now,
  });
}

let seq = 1000;
function changed(item: OrderItem, fields: ('status' | 'quantity' | 'note' | 'modifiers')[]) {
  seq += 1;
  return {
    id: seq,
    at: item.updatedAt,
    type: 'item.changed' as const,
    data: { item, changed: fields, previousStatus: 'queued' },
  };
}

describe('tickets from the snapshot and the stream', () => {
  it('builds one ticket per order in arrival order, with the table label, waiter and station filter', async () => {
    const db = await kitchenDb();
    await snapshot(
      db,
      [
        order(order2, [soup(soupB, order2, {}, ids.table2)], '2025-01-01T12:05:00.000Z', ids.table2),
        order(order1, [pizza(pizzaA, order1), soup(soupA, order1)]),
      ],
      10,
    );
    const all = await tickets(db);
    expect(all.map((t) => [t.tableLabel, t.staffName, t.items.length, t.cookMinutes])).toEqual([
      ['Table 1', 'Ana', 2, 12],
      ['Table 2', 'Ana', 1, 10],
    ]);
    const pizzaOnly = await tickets(db, 'pizza');
    expect(pizzaOnly).toHaveLength(1);
    expect(pizzaOnly[0]!.items.map((i) => i.name)).toEqual(['Margherita']);
  });

  it('labels a takeaway or delivery ticket with the order type and the customer', async () => {
    const db = await kitchenDb();
    const customer = (name: string) => ({ name, address: null, phone: null });
    await snapshot(
      db,
      [
        { ...order(order1, [soup(soupA, order1, {}, null)], T0Iso, null), type: 'takeaway', customer: customer('Mia') },
        { ...order(order2, [soup(soupB, order2, {}, null)], T0Iso, null), type: 'delivery', customer: customer('Jon') },
      ],
      10,
    );
    expect((await tickets(db)).map((t) => [t.tableLabel, t.tableId])).toEqual([
      ['Takeaway · Mia', null],
      ['Delivery · Jon', null],
    ]);
  });

  it('applies events by version: a replay or an older copy never goes back', async () => {
    const db = await kitchenDb();
    await snapshot(db, [order(order1, [soup(soupA, order1)])], 10);
    const cooking = soup(soupA, order1, { status: 'cooking', version: 2, cookingAt: '2025-01-01T12:01:00.000Z' });
    const ready = soup(soupA, order1, { status: 'ready', version: 3, readyAt: '2025-01-01T12:09:00.000Z' });
    await applyEvent(db, changed(ready, ['status']), now);
    await applyEvent(db, changed(cooking, ['status']), now); // late, older
    await applyEvent(db, changed(ready, ['status']), now); // replayed
    // A snapshot read before the change arrives after it: still ready.
    await snapshot(db, [order(order1, [cooking])], 10);
    const [ticket] = await tickets(db);
    expect(ticket!.items[0]!.status).toBe('ready');
    expect(isReady(ticket!)).toBe(true);
    expect(onBoard(ticket!)).toBe(false);
  });

  it('flags a void after cooking started, until acknowledged or 15 minutes on', async () => {
    const db = await kitchenDb();
    await snapshot(db, [order(order1, [pizza(pizzaA, order1), soup(soupA, order1)])], 10);
    const voidedQueued = pizza(pizzaA, order1, { status: 'voided', version: 2, voidedAt: '2025-01-01T12:02:00.000Z' });
    const voidedCooking = soup(soupA, order1, {
      status: 'voided',
      version: 3,
      cookingAt: '2025-01-01T12:01:00.000Z',
      voidedAt: '2025-01-01T12:03:00.000Z',
      voidReason: 'Guest left',
    });
    for (const [item, after] of [
      [voidedQueued, false],
      [voidedCooking, true],
    ] as const) {
      await applyEvent(
        db,
        {
          id: ++seq,
          at: item.updatedAt,
          type: 'item.voided',
          data: { item, afterCookingStarted: after },
        },
        now,
      );
    }
    const [ticket] = await tickets(db, null, T0 + 5 * 60_000);
    expect(ticket!.items.map((i) => [i.name, i.voided, i.voidedAfterCooking])).toEqual([
      ['Margherita', true, false],
      ['Tomato soup', true, true],
    ]);
    expect(ticket!.alerts.map((a) => a.id)).toEqual([soupA]);
    expect(ticket!.state).toBe('done');
    expect(onBoard(ticket!)).toBe(true);
    expect(await tickets(db, null, T0 + 5 * 60_000, new Set([soupA]))).toEqual([]);
    expect(await tickets(db, null, T0 + 20 * 60_000)).toEqual([]);
  });

  it('highlights an edit of quantity or note, with what it was', async () => {
    const db = await kitchenDb();
    await snapshot(db, [order(order1, [soup(soupA, order1, { quantity: 2 })])], 10);
    const edited = soup(soupA, order1, { quantity: 3, note: 'no cream', version: 2 });
    await applyEvent(db, changed(edited, ['quantity', 'note']), now);
    const [ticket] = await tickets(db);
    expect(ticket!.edited).toBe(true);
    expect(ticket!.items[0]!.edit).toMatchObject({ quantityWas: 2, noteWas: '' });
    // A status change later keeps the flag.
    await applyEvent(db, changed({ ...edited, status: 'cooking', version: 3 }, ['status']), now);
    expect((await tickets(db))[0]!.items[0]!.edit).toMatchObject({ quantityWas: 2 });
  });

  it('flags a change of size or toppings with what the choices were', async () => {
    const db = await kitchenDb();
    const choice = (optionId: string, name: string, groupName: string) => ({
      groupId: groupName === 'Size' ? ids.sizeGroup : ids.toppingGroup,
      groupName,
      optionId,
      name,
      priceDeltaCents: 0,
    });
    await snapshot(
      db,
      [order(order1, [pizza(pizzaA, order1, { modifiers: [choice(ids.small, 'Small', 'Size')] })])],
      10,
    );
    const rechosen = pizza(pizzaA, order1, {
      modifiers: [choice(ids.large, 'Large', 'Size'), choice(ids.mushroom, 'Mushroom', 'Toppings')],
      version: 2,
    });
    await applyEvent(db, changed(rechosen, ['modifiers']), now);
    const [ticket] = await tickets(db);
    expect(ticket!.edited).toBe(true);
    expect(ticket!.items[0]!.modifiers).toEqual(['Large', 'Mushroom']);
    expect(ticket!.items[0]!.edit).toMatchObject({ modifiersWas: 'Small', quantityWas: null, noteWas: null });
  });

  it('drops items the snapshot no longer has, unless an event after it touched them', async () => {
    const db = await kitchenDb();
    await snapshot(db, [order(order1, [soup(soupA, order1)])], 10);
    // Created at position 15, after the next snapshot's position 12.
    await applyEvent(
      db,
      {
        id: 15,
        at: '2025-01-01T12:05:00.000Z',
        type: 'order.created',
        data: { order: order(order2, [soup(soupB, order2)]) },
      },
      now,
    );
    await snapshot(db, [], 12); // order1 was served meanwhile; order2 is newer than this snapshot
    expect((await tickets(db)).map((t) => t.orderId)).toEqual([order2]);
  });

  it('shows a bump at once, as an outbox write, and sends it as a PATCH of the status', async () => {
    const h = await harness();
    open.push(h);
    await snapshot(h.db, [order(order1, [soup(soupA, order1)])], 10);
    h.server.items.set(soupA, soup(soupA, order1));
    const [ticket] = await tickets(h.db);
    const result = await moveItems(h.db, h.ctx, ticketBump(ticket!), 'Chef');
    expect(result.moved).toEqual([{ itemId: soupA, from: 'queued', to: 'cooking' }]);
    const [after] = await tickets(h.db);
    expect(after!.items[0]).toMatchObject({ status: 'cooking', pending: true });
    await h.sender.kick();
    expect(h.server.writes()).toMatchObject([
      {
        method: 'PATCH',
        path: `/api/tables/${ids.table1}/items/${soupA}`,
        body: { status: 'cooking', staffName: 'Chef' },
      },
    ]);
    expect((await tickets(h.db))[0]!.items[0]).toMatchObject({ status: 'cooking', pending: false });
  });
});

describe('kitchen writes', () => {
  it('drops a bump the server refuses, says why, and does not hold the next one', async () => {
    const h = await harness();
    open.push(h);
    await snapshot(h.db, [order(order1, [soup(soupA, order1), soup(soupB, order1)])], 10);
    h.server.items.set(soupB, soup(soupB, order1));
    await moveItems(h.db, h.ctx, [{ itemId: soupA, from: 'queued', to: 'cooking' }], '');
    await moveItems(h.db, h.ctx, [{ itemId: soupB, from: 'queued', to: 'cooking' }], '');
    h.server.next(() => errorReply(409, 'illegal_transition', 'An item that is voided cannot become cooking.'));
    await h.sender.kick();
    expect(await h.db.outbox.count()).toBe(0);
    expect((await getMeta(h.db, 'kitchenNotice'))?.message).toBe('An item that is voided cannot become cooking.');
    expect((await h.db.items.get(soupB))?.status).toBe('cooking');
  });

  it('86es a dish on this device at once, and learns other boards’ 86 from the stream', async () => {
    const h = await harness();
    open.push(h);
    await setAvailability(h.db, h.ctx, ids.pizza, false);
    expect((await h.db.menu.get('menu'))!.menu.items.find((i) => i.id === ids.pizza)!.available).toBe(false);
    expect(await outboxRequests(h.db)).toMatchObject([
      {
        kind: 'setAvailability',
        method: 'PATCH',
        path: `/api/menu/items/${ids.pizza}/availability`,
        body: { available: false },
      },
    ]);
    await applyEvent(
      h.db,
      {
        id: 99,
        at: '2025-01-01T12:00:00.000Z',
        type: 'menu.availability',
        data: { menuItemId: ids.soup, available: false },
      },
      now,
    );
    expect((await h.db.menu.get('menu'))!.menu.items.find((i) => i.id === ids.soup)!.available).toBe(false);
  });
});
