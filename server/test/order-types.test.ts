import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { snapshotCounts, appTest, type TestApp } from './harness.js';

let app: TestApp;

const it = appTest();

it.beforeAll(({ app: started }) => {
  app = started;
});

function lines() {
  return [
    { id: randomUUID(), menuItemId: app.fx.item('Burger').id, quantity: 2 },
    { id: randomUUID(), menuItemId: app.fx.item('Fries').id, quantity: 1, note: 'extra salt' },
  ];
}

describe('takeaway orders', () => {
  it('go to the kitchen without a table, for a named customer, and are worked through the order', async () => {
    const order = { id: randomUUID(), type: 'takeaway', customer: { name: 'Mia' }, staffName: 'Ana', items: lines() };
    const created = await app.waiter.post('/api/orders', order);
    expect(created.status).toBe(201);
    expect(created.body.order).toMatchObject({
      id: order.id,
      type: 'takeaway',
      tableId: null,
      customer: { name: 'Mia', address: null, phone: null },
      staffName: 'Ana',
    });
    expect(created.body.order.items.map((i: any) => [i.name, i.tableId, i.status])).toEqual([
      ['Burger', null, 'queued'],
      ['Fries', null, 'queued'],
    ]);
    const { rows } = await app.db.pool.query(`SELECT type FROM events WHERE order_id = $1`, [order.id]);
    expect(rows.map((r) => r.type)).toEqual(['order.created']);

    const itemPath = `/api/orders/${order.id}/items/${order.items[0]!.id}`;
    const cooking = await app.kitchen.patch(itemPath, { status: 'cooking' }, undefined, { 'if-match': '"1"' });
    expect(cooking.status).toBe(200);
    expect(cooking.body.item).toMatchObject({ status: 'cooking', version: 2, tableId: null });
    expect((await app.kitchen.patch(itemPath, { status: 'ready' })).body.item.status).toBe('ready');
    expect((await app.waiter.patch(itemPath, { status: 'served', staffName: 'Ben' })).body.item).toMatchObject({
      status: 'served',
      updatedByStaffName: 'Ben',
    });

    const voided = await app.waiter.delete(`/api/orders/${order.id}/items/${order.items[1]!.id}`, {
      reason: 'customer left',
    });
    expect(voided.status).toBe(200);
    expect(voided.body.item).toMatchObject({ status: 'voided', voidReason: 'customer left' });

    const read = await app.waiter.get(`/api/orders/${order.id}`);
    expect(read.status).toBe(200);
    expect(read.body.order.items.map((i: any) => `${i.name} ${i.status}`).sort()).toEqual([
      'Burger served',
      'Fries voided',
    ]);
    const one = await app.waiter.get(itemPath);
    expect(one.headers.get('etag')).toBe('"4"');
  });

  it('need the customer name', async () => {
    const before = await snapshotCounts(app.db.pool);
    const res = await app.waiter.post('/api/orders', { id: randomUUID(), type: 'takeaway', items: lines() });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: any) => d.path)).toContain('customer');
    const blank = await app.waiter.post('/api/orders', {
      id: randomUUID(),
      type: 'takeaway',
      customer: { name: '   ' },
      items: lines(),
    });
    expect(blank.status).toBe(400);
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
  });
});

describe('delivery orders', () => {
  it('carry name, address and phone, and are refused without any of them', async () => {
    const customer = { name: 'Jon', address: 'Hauptstr. 1, 10115 Berlin', phone: '+49 30 1234567' };
    const order = { id: randomUUID(), type: 'delivery', customer, items: lines() };
    const created = await app.waiter.post('/api/orders', order);
    expect(created.status).toBe(201);
    expect(created.body.order).toMatchObject({ type: 'delivery', tableId: null, customer });
    expect((await app.waiter.get(`/api/orders/${order.id}`)).body.order.customer).toEqual(customer);

    const before = await snapshotCounts(app.db.pool);
    for (const missing of ['address', 'phone', 'name'] as const) {
      const partial: Record<string, string> = { ...customer };
      delete partial[missing];
      const res = await app.waiter.post('/api/orders', {
        ...order,
        id: randomUUID(),
        customer: partial,
        items: lines(),
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: any) => d.path)).toContain(`customer.${missing}`);
    }
    const badPhone = await app.waiter.post('/api/orders', {
      ...order,
      id: randomUUID(),
      customer: { ...customer, phone: 'call me' },
      items: lines(),
    });
    expect(badPhone.status).toBe(400);
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
  });

  it('cannot be given a table, and a dine-in order cannot skip it', async () => {
    const withTable = await app.waiter.post('/api/orders', {
      id: randomUUID(),
      type: 'delivery',
      tableId: app.fx.table(1).id,
      customer: { name: 'Jon', address: 'x', phone: '123' },
      items: lines(),
    });
    expect(withTable.status).toBe(400);
    expect(withTable.body.error.details).toContainEqual({
      path: 'tableId',
      message: 'A takeaway or delivery order has no table.',
    });
    const noTable = await app.waiter.post('/api/orders', { id: randomUUID(), type: 'dine_in', items: lines() });
    expect(noTable.status).toBe(400);
    expect(noTable.body.error.details.map((d: any) => d.path)).toContain('tableId');
    const unknownType = await app.waiter.post('/api/orders', {
      id: randomUUID(),
      type: 'drive_through',
      items: lines(),
    });
    expect(unknownType.status).toBe(400);
  });
});

describe('dine-in orders', () => {
  it('are still what an order without a type is, and read the same through the table or the order', async () => {
    const order = app.fx.order(40);
    const created = await app.waiter.post('/api/orders', order);
    expect(created.status).toBe(201);
    expect(created.body.order).toMatchObject({ type: 'dine_in', tableId: app.fx.table(40).id, customer: null });
    const viaTable = await app.waiter.get(`/api/tables/${app.fx.table(40).id}/items/${order.items[0]!.id}`);
    const viaOrder = await app.waiter.get(`/api/orders/${order.id}/items/${order.items[0]!.id}`);
    expect(viaOrder.body).toEqual(viaTable.body);
    const otherOrder = await app.waiter.get(`/api/orders/${randomUUID()}/items/${order.items[0]!.id}`);
    expect(otherOrder.status).toBe(404);
    expect(otherOrder.body.error.code).toBe('item_not_found');
  });

  it('an unknown order is 404 order_not_found', async () => {
    const res = await app.waiter.get(`/api/orders/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('order_not_found');
    expect((await app.waiter.get('/api/orders/nope')).body.error.code).toBe('order_not_found');
  });
});
