import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, snapshotCounts, startTestApp, startTestServer, type TestApp, type TestServer } from './harness.js';

// Each instance keeps its own copy of the menu and the tables for placing orders
// (src/orders/catalog.ts). These tests change them through one instance and order through
// another whose copy is already loaded: the copy must never decide on its own.
let app: TestApp;
let other: TestServer;
/** The same waiter tablet, talking to the other instance. */
let waiterElsewhere: Api;

beforeAll(async () => {
  app = await startTestApp();
  other = await startTestServer(app.db.pool);
  waiterElsewhere = new Api(other.baseUrl, app.waiter.token);
  // Both instances have loaded their copy.
  expect((await app.waiter.post('/api/orders', app.fx.order(1))).status).toBe(201);
  expect((await waiterElsewhere.post('/api/orders', app.fx.order(2))).status).toBe(201);
});

afterAll(async () => {
  await other.close();
  await app.close();
});

describe('an instance that loaded the menu and tables before they changed elsewhere', () => {
  it("refuses a dish the kitchen 86'd through another instance, and takes it again once it is back", async () => {
    const burger = app.fx.item('Burger').id;
    const kitchenElsewhere = new Api(other.baseUrl, app.kitchen.token);
    expect((await kitchenElsewhere.patch(`/api/menu/items/${burger}/availability`, { available: false })).status).toBe(
      200,
    );
    const before = await snapshotCounts(app.db.pool);
    const refused = await app.waiter.post('/api/orders', app.fx.order(3));
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'menu_item_unavailable',
      message: 'Burger is not available right now.',
    });
    expect(await snapshotCounts(app.db.pool)).toEqual(before);

    expect((await kitchenElsewhere.patch(`/api/menu/items/${burger}/availability`, { available: true })).status).toBe(
      200,
    );
    expect((await app.waiter.post('/api/orders', app.fx.order(3))).status).toBe(201);
  });

  it('takes a dish the manager added through another instance, at its price', async () => {
    const managerElsewhere = new Api(other.baseUrl, app.manager.token);
    const created = await managerElsewhere.post('/api/menu/items', {
      categoryId: app.fx.item('Burger').categoryId,
      name: 'Veggie burger',
      priceCents: 1150,
      station: 'grill',
    });
    expect(created.status).toBe(201);
    const order = {
      id: randomUUID(),
      tableId: app.fx.table(4).id,
      items: [{ id: randomUUID(), menuItemId: created.body.item.id, quantity: 2 }],
    };
    const placed = await app.waiter.post('/api/orders', order);
    expect(placed.status).toBe(201);
    expect(placed.body.order.items[0]).toMatchObject({ name: 'Veggie burger', unitPriceCents: 1150 });
  });

  it('prices an order at the price changed through another instance', async () => {
    const cola = app.fx.item('Cola');
    const managerElsewhere = new Api(other.baseUrl, app.manager.token);
    expect((await managerElsewhere.patch(`/api/menu/items/${cola.id}`, { priceCents: 390 })).status).toBe(200);
    const order = {
      id: randomUUID(),
      tableId: app.fx.table(5).id,
      items: [{ id: randomUUID(), menuItemId: cola.id, quantity: 1 }],
    };
    const placed = await app.waiter.post('/api/orders', order);
    expect(placed.body.order.items[0].unitPriceCents).toBe(390);
  });

  it('takes orders for a table added, and refuses them for a table removed, through another instance', async () => {
    const managerElsewhere = new Api(other.baseUrl, app.manager.token);
    const added = await managerElsewhere.post('/api/tables', { number: 140 });
    expect(added.status).toBe(201);
    const onNewTable = { ...app.fx.order(1), tableId: added.body.table.id };
    expect((await app.waiter.post('/api/orders', onNewTable)).status).toBe(201);

    const spare = await managerElsewhere.post('/api/tables', { number: 141 });
    expect((await app.waiter.post('/api/orders', { ...app.fx.order(1), tableId: spare.body.table.id })).status).toBe(
      201,
    );
    // Its order is served and billed; then the table goes.
    await app.db.pool.query(`UPDATE order_items SET status = 'served' WHERE table_id = $1`, [spare.body.table.id]);
    expect((await managerElsewhere.delete(`/api/tables/${spare.body.table.id}`)).status).toBe(200);
    const before = await snapshotCounts(app.db.pool);
    const refused = await app.waiter.post('/api/orders', { ...app.fx.order(1), tableId: spare.body.table.id });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'table_not_found', message: 'Table 141 has been removed.' });
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
  });

  it('still refuses a table that never existed', async () => {
    const refused = await app.waiter.post('/api/orders', { ...app.fx.order(1), tableId: randomUUID() });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('table_not_found');
  });
});
