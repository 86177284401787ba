// Before Dexie loads (db/hooks.js brings it in): it picks up indexedDB when it loads.
import 'fake-indexeddb/auto';
import type { Customer, Order } from '@chit/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEvent, mergeOpenOrders } from '../db/cache.js';
import { takeawayOverview } from '../db/hooks.js';
import { discardEntry } from '../db/outbox.js';
import type { DraftRow } from '../db/schema.js';
import { moveItems } from '../db/mutations/bumpItem.js';
import { placeOrder } from '../db/mutations/createOrder.js';
import { changeItem } from '../db/mutations/patchItem.js';
import { voidItem } from '../db/mutations/voidItem.js';
import { addToCart, discardDraft, saveDraft } from '../db/writes.js';
import { errorReply } from '../test/fake-server.js';
import { ids, serverItem, soupOrder } from '../test/fixtures.js';
import { harness, orderExistsAfterLostAnswer, outboxRequests, type Harness } from '../test/harness.js';

const open: Harness[] = [];
async function setup(): Promise<Harness> {
  const h = await harness();
  open.push(h);
  return h;
}
afterEach(() => {
  for (const h of open.splice(0)) {
    h.sender.stop();
    h.db.close();
  }
});

const mia = { name: 'Mia', address: null, phone: null } satisfies Customer;
const jon = { name: 'Jon', address: 'Hauptstr. 1', phone: '+49 30 1234567' } satisfies Customer;

/** What a waiter does: the customer form, one dish, Send. Returns the order's id. */
async function takeaway(h: Harness, draft: Pick<DraftRow, 'type' | 'customer'> = { type: 'takeaway', customer: mia }) {
  const draftId = await saveDraft(h.db, h.ctx, draft);
  await addToCart(h.db, h.ctx, draftId, { menuItemId: ids.soup, modifierOptionIds: [], quantity: 1, note: '' });
  const placed = await placeOrder(h.db, h.ctx, { cartId: draftId, staffName: 'Ana' });
  expect(placed).toEqual({ ok: true, orderId: draftId });
  return draftId;
}

/** A delivery order another tablet sent, as the server lists it. */
function othersDelivery(): Order {
  return {
    ...soupOrder('70000000-0000-4000-8000-00000000d001', '70000000-0000-4000-8000-00000000d002', {
      type: 'delivery',
      customer: jon,
    }),
    deviceId: '60000000-0000-4000-8000-000000000009',
  };
}

describe('takeaway and delivery orders on the tablet', () => {
  it('a takeaway order goes through the outbox with its customer and no table, once', async () => {
    const h = await setup();
    const orderId = await takeaway(h);
    expect(await h.db.drafts.count()).toBe(0);
    expect(await h.db.cart.count()).toBe(0);
    expect(await h.db.orders.get(orderId)).toMatchObject({
      type: 'takeaway',
      tableId: null,
      customer: mia,
      sync: 'local',
    });
    expect(await takeawayOverview(h.db)).toEqual([
      { order: expect.objectContaining({ id: orderId }), ticketNumber: null, state: 'local', unsynced: 1, problems: 0 },
    ]);

    h.server.next(() => 'network');
    await h.sender.kick();
    h.clock.now += 60_000;
    await h.sender.kick();
    const writes = h.server.writes();
    expect(writes).toHaveLength(2);
    expect(writes[1]!.key).toBe(writes[0]!.key);
    expect(writes[0]!.body).toEqual({
      id: orderId,
      type: 'takeaway',
      customer: { name: 'Mia' },
      items: [expect.objectContaining({ menuItemId: ids.soup, quantity: 1 })],
      note: '',
      staffName: 'Ana',
      deviceTime: '2025-01-01T12:00:00.000Z',
    });
    expect(await h.db.items.where('orderId').equals(orderId).toArray()).toEqual([
      expect.objectContaining({ sync: 'synced', tableId: null, status: 'queued' }),
    ]);
    expect(await takeawayOverview(h.db)).toEqual([
      {
        order: expect.objectContaining({ id: orderId, customer: mia }),
        ticketNumber: 1,
        state: 'queued',
        unsynced: 0,
        problems: 0,
      },
    ]);
  });

  it('a delivery order sends name, address and phone', async () => {
    const h = await setup();
    const orderId = await takeaway(h, { type: 'delivery', customer: jon });
    await h.sender.kick();
    expect(h.server.writes()[0]!.body).toMatchObject({ id: orderId, type: 'delivery', customer: jon });
    expect(h.server.writes()[0]!.body).not.toHaveProperty('tableId');
  });

  it('a delivery without a phone is refused on the tablet, with the field’s message, and can be fixed or discarded', async () => {
    const h = await setup();
    const draftId = await saveDraft(h.db, h.ctx, { type: 'delivery', customer: { ...jon, phone: null } });
    await addToCart(h.db, h.ctx, draftId, { menuItemId: ids.soup, modifierOptionIds: [], quantity: 1, note: '' });
    expect(await placeOrder(h.db, h.ctx, { cartId: draftId, staffName: 'Ana' })).toEqual({
      ok: false,
      message: 'Give a phone number of digits, spaces and + ( ) - . /',
    });
    expect(await h.db.outbox.count()).toBe(0);
    expect(await h.db.cart.count()).toBe(1);
    expect(await takeawayOverview(h.db)).toEqual([
      { order: expect.objectContaining({ id: draftId }), ticketNumber: null, state: 'draft', unsynced: 0, problems: 0 },
    ]);

    // Fixed on the customer form: the same draft, same place in the list, its cart kept.
    h.clock.now += 60_000;
    await saveDraft(h.db, h.ctx, { id: draftId, type: 'delivery', customer: jon });
    expect(await h.db.drafts.get(draftId)).toMatchObject({ customer: jon, createdAt: h.clock.now - 60_000 });
    expect(await h.db.cart.count()).toBe(1);

    await discardDraft(h.db, draftId);
    expect(await h.db.cart.count()).toBe(0);
    expect(await takeawayOverview(h.db)).toEqual([]);
  });

  it('changes and voids of its items go through the order, not a table', async () => {
    const h = await setup();
    const orderId = await takeaway(h);
    await h.sender.kick();
    const [item] = await h.db.items.where('orderId').equals(orderId).toArray();
    await changeItem(h.db, h.ctx, item!.id, { quantity: 3 }, 'Ana');
    await voidItem(h.db, h.ctx, item!.id, 'customer left', 'Ana');
    await h.sender.kick();
    expect(h.server.writes().map((w) => `${w.method} ${w.path}`)).toEqual([
      'POST /api/orders',
      `PATCH /api/orders/${orderId}/items/${item!.id}`,
      `DELETE /api/orders/${orderId}/items/${item!.id}`,
    ]);
    expect(await h.db.outbox.toArray()).toEqual([]);
    expect(await h.db.items.get(item!.id)).toMatchObject({ status: 'voided', quantity: 3, pendingWrites: 0 });
    expect(await takeawayOverview(h.db)).toEqual([]);
  });

  it('a refused takeaway order shows the server’s reason, and discarding it removes it from the tablet', async () => {
    const h = await setup();
    const orderId = await takeaway(h);
    h.server.next(() => errorReply(422, 'menu_item_unavailable', 'Tomato soup is sold out.'));
    await h.sender.kick();
    expect(await h.db.items.where('orderId').equals(orderId).toArray()).toEqual([
      expect.objectContaining({ problem: 'Tomato soup is sold out.', sync: 'local' }),
    ]);
    expect(await takeawayOverview(h.db)).toEqual([
      { order: expect.objectContaining({ id: orderId }), ticketNumber: null, state: 'local', unsynced: 1, problems: 1 },
    ]);
    const [entry] = await h.db.outbox.toArray();
    await discardEntry(h.db, entry!.seq!);
    expect(await h.db.orders.get(orderId)).toBeUndefined();
    expect(await takeawayOverview(h.db)).toEqual([]);
  });

  it('an "order exists" after a lost answer is checked against the order itself', async () => {
    const h = await setup();
    const orderId = await takeaway(h);
    await orderExistsAfterLostAnswer(h);
    expect(h.server.requests.at(-1)).toMatchObject({ method: 'GET', path: `/api/orders/${orderId}` });
    expect(await h.db.outbox.count()).toBe(0);
    expect(await h.db.orders.get(orderId)).toMatchObject({ sync: 'synced' });
  });
});

describe('takeaway and delivery orders from the server', () => {
  it('keeps another tablet’s delivery order from the open orders, and follows it to ready', async () => {
    const h = await setup();
    const delivery = othersDelivery();
    await mergeOpenOrders(h.db, [delivery], 10, h.clock.now);
    expect(await h.db.orders.get(delivery.id)).toMatchObject({
      type: 'delivery',
      tableId: null,
      customer: jon,
      mine: false,
      sync: 'synced',
    });
    expect(await takeawayOverview(h.db)).toEqual([
      {
        order: expect.objectContaining({ id: delivery.id }),
        ticketNumber: 1,
        state: 'queued',
        unsynced: 0,
        problems: 0,
      },
    ]);

    const ready = { ...delivery.items[0]!, status: 'ready' as const, version: 3, readyAt: '2025-01-01T12:10:00.000Z' };
    await applyEvent(
      h.db,
      {
        id: 11,
        at: ready.readyAt,
        type: 'item.changed',
        data: { item: ready, changed: ['status'], previousStatus: 'cooking' },
      },
      h.clock.now,
    );
    expect((await takeawayOverview(h.db))[0]!.state).toBe('ready');

    // Handed over: served, and the order leaves the list.
    await changeItem(h.db, h.ctx, ready.id, { served: true }, 'Ana');
    await h.sender.kick();
    expect(h.server.writes().map((w) => [w.method, w.path, w.body])).toEqual([
      ['PATCH', `/api/orders/${delivery.id}/items/${ready.id}`, { status: 'served', staffName: 'Ana' }],
    ]);
  });

  it('keeps a takeaway order that arrives in its event', async () => {
    const h = await setup();
    const delivery = othersDelivery();
    await applyEvent(
      h.db,
      { id: 5, at: delivery.createdAt, type: 'order.created', data: { order: delivery } },
      h.clock.now,
    );
    expect(await h.db.items.where('orderId').equals(delivery.id).count()).toBe(1);
    expect((await takeawayOverview(h.db)).map((s) => s.order.customer?.name)).toEqual(['Jon']);
  });

  it('does not invent an order for an item event of a takeaway order it never saw', async () => {
    const h = await setup();
    const item = serverItem({
      id: '70000000-0000-4000-8000-00000000e002',
      orderId: '70000000-0000-4000-8000-00000000e001',
      tableId: null,
    });
    await applyEvent(
      h.db,
      {
        id: 7,
        at: item.updatedAt,
        type: 'item.changed',
        data: { item: { ...item, status: 'cooking', version: 2 }, changed: ['status'], previousStatus: 'queued' },
      },
      h.clock.now,
    );
    // Its customer is unknown: the order comes whole with the next open orders.
    expect(await h.db.orders.count()).toBe(0);
    await mergeOpenOrders(
      h.db,
      [{ ...othersDelivery(), id: item.orderId, items: [{ ...item, status: 'cooking', version: 2 }] }],
      8,
      h.clock.now,
    );
    expect(await h.db.orders.get(item.orderId)).toMatchObject({ type: 'delivery', customer: jon });
  });

  it('the kitchen bumps a takeaway item through its order', async () => {
    const h = await setup();
    const delivery = othersDelivery();
    await mergeOpenOrders(h.db, [delivery], 10, h.clock.now);
    const item = delivery.items[0]!;
    await moveItems(h.db, h.ctx, [{ itemId: item.id, from: 'queued', to: 'cooking' }], 'Cook');
    expect(await outboxRequests(h.db)).toEqual([
      expect.objectContaining({ kind: 'bumpItem', path: `/api/orders/${delivery.id}/items/${item.id}`, tableId: null }),
    ]);
  });
});
