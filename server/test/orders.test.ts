import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import type { Api } from './harness.js';
import { type Fixtures, appTest, type TestDatabase } from './harness.js';

let db: TestDatabase;
let waiter: Api;
let kitchen: Api;
let fx: Fixtures;
let clockNow = new Date('2026-11-20T19:00:00.000Z');

// random() = 0.5 makes an item without prep time take 5 + floor(0.5 * 11) = 10 minutes.
const it = appTest({ clock: { now: () => clockNow }, random: () => 0.5 });

it.beforeAll(({ app }) => {
  ({ db, waiter, kitchen, fx } = app);
});

describe('the menu and the tables', () => {
  it('offer the seeded demo menu with its modifier rules', () => {
    const pizza = fx.item('Margherita');
    expect(pizza.modifierGroups.map((g) => [g.name, g.minChoices, g.maxChoices])).toEqual([
      ['Size', 1, 1],
      ['Toppings', 0, 3],
    ]);
    expect(pizza.modifierGroups[0]!.options.map((o) => o.name)).toEqual(['Small', 'Medium', 'Large']);
    expect(pizza.modifierGroups[1]!.options.map((o) => o.name)).toEqual(['Extra cheese', 'Pepperoni', 'Mushroom']);
    expect(fx.menu.categories.map((c) => c.name)).toEqual(['Pizza', 'Burgers', 'Sides', 'Drinks']);
  });

  it('seed 100 numbered tables with stable ids', async () => {
    expect(fx.tables).toHaveLength(100);
    expect(fx.table(12).label).toBe('Table 12');
    const again = await waiter.get('/api/tables');
    expect(again.body.tables).toEqual(fx.tables);
  });
});

describe('placing an order', () => {
  it('stores every item with its table, price, modifiers, note and cook time', async () => {
    const order = fx.order(12);
    const res = await waiter.post('/api/orders', {
      ...order,
      note: 'birthday',
      deviceTime: '2026-11-20T18:59:58.000Z',
    });
    expect(res.status).toBe(201);
    const stored = res.body.order;
    expect(stored).toMatchObject({ id: order.id, tableId: fx.table(12).id, note: 'birthday', staffName: 'Ana' });
    expect(stored.createdAt).toBe(clockNow.toISOString());
    expect(stored.deviceTime).toBe('2026-11-20T18:59:58.000Z');
    const [pizza, burger, cola] = stored.items;
    expect(pizza).toMatchObject({
      id: order.items[0]!.id,
      name: 'Margherita',
      station: 'pizza',
      unitPriceCents: 1100 + 0 + 200,
      quantity: 1,
      cookMinutes: 12,
      status: 'queued',
      version: 1,
      staffName: 'Ana',
    });
    expect(pizza.modifiers.map((m: { name: string }) => m.name)).toEqual(['Medium', 'Pepperoni']);
    expect(burger).toMatchObject({ note: 'no pickles', quantity: 2, cookMinutes: 10, unitPriceCents: 1350 });
    expect(cola).toMatchObject({ cookMinutes: 1, station: 'bar' });
    const { rows: events } = await db.pool.query(
      `SELECT type, table_id, order_id, device_id, payload FROM events WHERE order_id = $1`,
      [order.id],
    );
    expect(events).toEqual([
      {
        type: 'order.created',
        table_id: stored.tableId,
        order_id: order.id,
        device_id: stored.deviceId,
        payload: { order: stored },
      },
    ]);
  });

  it('gives a dish without a prep time a random 5 to 15 minutes, fixed at creation', async () => {
    const order = {
      id: randomUUID(),
      tableId: fx.table(3).id,
      items: [{ id: randomUUID(), menuItemId: fx.item('Side salad').id, quantity: 1 }],
    };
    const res = await waiter.post('/api/orders', order);
    expect(res.status).toBe(201);
    expect(res.body.order.items[0].cookMinutes).toBe(10);
    const read = await waiter.get(`/api/tables/${fx.table(3).id}/items/${order.items[0]!.id}`);
    expect(read.body.item.cookMinutes).toBe(10);
  });

  it('lists the open items of a table, and one item in full with its version as ETag', async () => {
    const order = fx.order(20);
    await waiter.post('/api/orders', order);
    const list = await waiter.get(`/api/tables/${fx.table(20).id}/items`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id).sort()).toEqual(order.items.map((i) => i.id).sort());
    const one = await waiter.get(`/api/tables/${fx.table(20).id}/items/${order.items[1]!.id}`);
    expect(one.status).toBe(200);
    expect(one.headers.get('etag')).toBe('"1"');
    expect(one.body.item).toMatchObject({ note: 'no pickles', deviceTime: null, voidedAt: null });
  });

  it('answers 404 for an item asked for through another table, and for unknown tables', async () => {
    const order = fx.order(21);
    await waiter.post('/api/orders', order);
    const wrong = await waiter.get(`/api/tables/${fx.table(22).id}/items/${order.items[0]!.id}`);
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.code).toBe('item_not_found');
    const unknown = await waiter.get(`/api/tables/${randomUUID()}/items`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('table_not_found');
    const notUuid = await waiter.get(`/api/tables/twelve/items`);
    expect(notUuid.status).toBe(404);
  });
});

describe('changing an item', () => {
  it('moves through queued, cooking, ready and served, stamping each step', async () => {
    const order = fx.order(30);
    await waiter.post('/api/orders', order);
    const path = `/api/tables/${fx.table(30).id}/items/${order.items[0]!.id}`;
    clockNow = new Date('2026-11-20T19:05:00.000Z');
    const cooking = await kitchen.patch(path, { status: 'cooking' });
    expect(cooking.status).toBe(200);
    expect(cooking.body.item).toMatchObject({ status: 'cooking', version: 2, cookingAt: '2026-11-20T19:05:00.000Z' });
    clockNow = new Date('2026-11-20T19:15:00.000Z');
    const ready = await kitchen.patch(path, { status: 'ready' });
    expect(ready.body.item).toMatchObject({ status: 'ready', version: 3, readyAt: '2026-11-20T19:15:00.000Z' });
    const served = await waiter.patch(path, { status: 'served', staffName: 'Ben' });
    expect(served.body.item).toMatchObject({ status: 'served', version: 4, updatedByStaffName: 'Ben' });
  });

  it('refuses an illegal transition with 409 and leaves the item as it was', async () => {
    const order = fx.order(31);
    await waiter.post('/api/orders', order);
    const path = `/api/tables/${fx.table(31).id}/items/${order.items[0]!.id}`;
    const res = await waiter.patch(path, { status: 'served' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('illegal_transition');
    expect((await waiter.get(path)).body.item).toMatchObject({ status: 'queued', version: 1 });
  });

  it('changes quantity and note, and refuses a stale If-Match with the current item', async () => {
    const order = fx.order(32);
    await waiter.post('/api/orders', order);
    const path = `/api/tables/${fx.table(32).id}/items/${order.items[1]!.id}`;
    const edited = await waiter.patch(path, { quantity: 3, note: 'no pickles, extra sauce' }, undefined, {
      'if-match': '"1"',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.item).toMatchObject({ quantity: 3, note: 'no pickles, extra sauce', version: 2 });
    const stale = await waiter.patch(path, { quantity: 1 }, undefined, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.current).toMatchObject({ quantity: 3, version: 2 });
  });

  it('voids an item: gone from the table list, kept in full for billing, and voiding a served item is refused', async () => {
    const order = fx.order(33);
    await waiter.post('/api/orders', order);
    const table = fx.table(33).id;
    const path = `/api/tables/${table}/items/${order.items[2]!.id}`;
    const voided = await waiter.delete(path, { reason: 'changed their mind', staffName: 'Ana' });
    expect(voided.status).toBe(200);
    expect(voided.body.item).toMatchObject({ status: 'voided', voidReason: 'changed their mind', version: 2 });
    const list = await waiter.get(`/api/tables/${table}/items`);
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(order.items[2]!.id);
    expect((await waiter.get(path)).body.item.status).toBe('voided');

    const servedPath = `/api/tables/${table}/items/${order.items[0]!.id}`;
    await kitchen.patch(servedPath, { status: 'ready' });
    await waiter.patch(servedPath, { status: 'served' });
    const refused = await waiter.delete(servedPath);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('illegal_transition');
  });

  it('will not void an item through another table', async () => {
    const order = fx.order(34);
    await waiter.post('/api/orders', order);
    const res = await waiter.delete(`/api/tables/${fx.table(35).id}/items/${order.items[0]!.id}`);
    expect(res.status).toBe(404);
    const item = await waiter.get(`/api/tables/${fx.table(34).id}/items/${order.items[0]!.id}`);
    expect(item.body.item.status).toBe('queued');
  });
});

describe("the kitchen's open orders", () => {
  it('lists orders with open items, with all their items, and the event position to stream from', async () => {
    const order = fx.order(60);
    await waiter.post('/api/orders', order);
    const table = fx.table(60).id;
    for (const item of order.items) {
      await kitchen.patch(`/api/tables/${table}/items/${item.id}`, { status: 'ready' });
      await waiter.patch(`/api/tables/${table}/items/${item.id}`, { status: 'served' });
    }
    const open = fx.order(61);
    await waiter.post('/api/orders', open);
    await waiter.delete(`/api/tables/${fx.table(61).id}/items/${open.items[2]!.id}`);
    const res = await kitchen.get('/api/orders/open');
    expect(res.status).toBe(200);
    const ids = res.body.orders.map((o: { id: string }) => o.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(order.id);
    const shown = res.body.orders.find((o: { id: string }) => o.id === open.id);
    expect(shown.items.map((i: { status: string }) => i.status)).toEqual(['queued', 'queued', 'voided']);
    expect(res.body.eventPosition).toBeGreaterThanOrEqual(0);
  });

  it('filters by station', async () => {
    const order = fx.order(62);
    await waiter.post('/api/orders', order);
    const res = await kitchen.get('/api/orders/open?station=pizza');
    const shown = res.body.orders.find((o: { id: string }) => o.id === order.id);
    expect(shown.items.map((i: { name: string }) => i.name)).toEqual(['Margherita']);
    const bad = await kitchen.get('/api/orders/open?voidedWithinMinutes=forever');
    expect(bad.status).toBe(400);
  });
});

describe('a busy dining room', () => {
  it('100 concurrent mixed requests over 100 tables all succeed', async () => {
    const orders = fx.tables.map((t) => fx.order(t.number));
    // First place half the orders so the other requests have items to change and read.
    await Promise.all(orders.slice(0, 50).map((o) => waiter.post('/api/orders', o)));
    const requests = fx.tables.map((table, i) => {
      const order = orders[i]!;
      const placed = i < 50;
      switch (i % 4) {
        case 0:
          return placed
            ? kitchen.patch(`/api/tables/${table.id}/items/${order.items[0]!.id}`, { status: 'cooking' })
            : waiter.post('/api/orders', order);
        case 1:
          return placed ? waiter.get(`/api/tables/${table.id}/items`) : waiter.post('/api/orders', order);
        case 2:
          return placed
            ? waiter.delete(`/api/tables/${table.id}/items/${order.items[2]!.id}`)
            : waiter.post('/api/orders', order);
        default:
          return placed
            ? waiter.patch(`/api/tables/${table.id}/items/${order.items[1]!.id}`, { note: 'no onions' })
            : waiter.post('/api/orders', order);
      }
    });
    const results = await Promise.all(requests);
    expect(results.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[])`, [
      orders.map((o) => o.id),
    ]);
    expect(rows[0].n).toBe(100);
  });
});
