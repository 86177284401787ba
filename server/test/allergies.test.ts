import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { appTest, deviceApi, type Api, type Fixtures, type TestApp } from './harness.js';

let app: TestApp;
let waiter: Api;
let kitchen: Api;
let fx: Fixtures;
let now = new Date('2026-11-20T19:00:00.000Z');

const it = appTest({ clock: { now: () => now } });

it.beforeAll(({ app: started }) => {
  app = started;
  ({ waiter, kitchen, fx } = app);
});

/** Table 12's usual order with a peanut allergy on the order and a gluten one on the burger. */
function flaggedOrder() {
  const order = fx.order(12);
  return {
    ...order,
    allergy: { allergens: ['Peanuts'], note: 'severe, carries an EpiPen' },
    items: order.items.map((item, i) => (i === 1 ? { ...item, allergy: { allergens: ['gluten'] } } : item)),
  };
}

async function events(orderId: string) {
  const { rows } = await app.db.pool.query<{ type: string; payload: any }>(
    `SELECT type, payload FROM events WHERE order_id = $1 ORDER BY id`,
    [orderId],
  );
  return rows;
}

describe('allergies on an order', () => {
  it('are stored on the order and its lines, read back and carried in the order event', async () => {
    const order = flaggedOrder();
    const res = await waiter.post('/api/orders', order);
    expect(res.status).toBe(201);
    expect(res.body.order.allergy).toEqual({ allergens: ['peanuts'], note: 'severe, carries an EpiPen' });
    expect(res.body.order.allergyAck).toBeNull();
    expect(res.body.order.items.map((i: { allergy: unknown }) => i.allergy)).toEqual([
      null,
      { allergens: ['gluten'], note: '' },
      null,
    ]);
    const read = await waiter.get(`/api/orders/${order.id}`);
    expect(read.body.order).toEqual(res.body.order);
    const [created] = await events(order.id);
    expect(created!.payload.order.allergy).toEqual(res.body.order.allergy);
    expect(created!.payload.order.items[1].allergy).toEqual({ allergens: ['gluten'], note: '' });
  });

  it('refuse an empty flag, a note too long, an allergen named twice and text PostgreSQL cannot store', async () => {
    const cases = [
      { allergy: {} },
      { allergy: { allergens: [], note: '   ' } },
      { allergy: { note: 'x'.repeat(121) } },
      { allergy: { allergens: ['nuts', 'Nuts'] } },
      { allergy: { note: 'nuts\u0000' } },
      { allergy: { allergens: ['nuts'], severity: 'high' } },
    ];
    for (const extra of cases) {
      const res = await waiter.post('/api/orders', { ...fx.order(12), ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details[0].path).toMatch(/^allergy/);
    }
    const order = fx.order(12);
    const line = {
      ...order,
      items: order.items.map((item, i) => (i === 0 ? { ...item, allergy: { allergens: ['x'.repeat(41)] } } : item)),
    };
    const res = await waiter.post('/api/orders', line);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('items.0.allergy.allergens.0');
  });
});

describe("the kitchen's acknowledgement of an allergy", () => {
  it('records who and when once, tells every board, and a retry gets the same answer', async () => {
    const order = flaggedOrder();
    await waiter.post('/api/orders', order);
    now = new Date('2026-11-20T19:02:00.000Z');
    const key = randomUUID();
    const ack = await kitchen.post(`/api/orders/${order.id}/allergy-ack`, { staffName: 'Chef Lu' }, key);
    expect(ack.status).toBe(200);
    const expected = {
      orderId: order.id,
      allergyAck: {
        at: '2026-11-20T19:02:00.000Z',
        deviceId: expect.any(String),
        deviceName: 'Pass',
        staffName: 'Chef Lu',
      },
    };
    expect(ack.body).toEqual(expected);
    const replay = await kitchen.post(`/api/orders/${order.id}/allergy-ack`, { staffName: 'Chef Lu' }, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(ack.text);

    // A second cook acknowledging later changes nothing: the first acknowledgement stands.
    now = new Date('2026-11-20T19:05:00.000Z');
    const other = await deviceApi(app.db.pool, app.server.baseUrl, 'kitchen', 'Grill');
    const second = await other.post(`/api/orders/${order.id}/allergy-ack`, {});
    expect(second.status).toBe(200);
    expect(second.body).toEqual(expected);

    const log = await events(order.id);
    expect(log.map((e) => e.type)).toEqual(['order.created', 'order.allergy_acknowledged']);
    expect(log[1]!.payload).toEqual({ ...ack.body, stations: ['bar', 'grill', 'pizza'] });
    expect((await waiter.get(`/api/orders/${order.id}`)).body.order.allergyAck).toEqual(ack.body.allergyAck);
  });

  it('is for kitchen and manager devices, with an Idempotency-Key, for orders with an allergy', async () => {
    const order = flaggedOrder();
    await waiter.post('/api/orders', order);
    const byWaiter = await waiter.post(`/api/orders/${order.id}/allergy-ack`, {});
    expect(byWaiter.status).toBe(403);
    const noKey = await kitchen.post(`/api/orders/${order.id}/allergy-ack`, {}, null);
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('idempotency_key_missing');
    const unknown = await kitchen.post(`/api/orders/${randomUUID()}/allergy-ack`, {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('order_not_found');
    const badBody = await kitchen.post(`/api/orders/${order.id}/allergy-ack`, { who: 'me' });
    expect(badBody.status).toBe(400);
    const plain = fx.order(14);
    await waiter.post('/api/orders', plain);
    const notFlagged = await kitchen.post(`/api/orders/${plain.id}/allergy-ack`, {});
    expect(notFlagged.status).toBe(422);
    expect(notFlagged.body.error.code).toBe('allergy_not_flagged');
    expect((await events(plain.id)).map((e) => e.type)).toEqual(['order.created']);
    const byManager = await app.manager.post(`/api/orders/${order.id}/allergy-ack`, {});
    expect(byManager.status).toBe(200);
    expect(byManager.body.allergyAck.deviceName).toBe('Office');
  });
});
