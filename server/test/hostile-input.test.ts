import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, type Fixtures, snapshotCounts, startTestApp, type TestApp, type TestDatabase } from './harness.js';

/*
 * Input a careless client or a hostile network sends, which PostgreSQL or the stack would
 * choke on: each is refused with a 4xx naming what is wrong, and changes nothing.
 */

let app: TestApp;
let db: TestDatabase;
let waiter: Api;
let manager: Api;
let fx: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  ({ db, waiter, manager, fx } = app);
});

afterAll(() => app.close());

const nul = 'ab\u0000cd';
const lowAlone = 'ab\uDC00cd';
const highAlone = 'fries \uD83D';

type Send = (bad: string) => Promise<{ status: number; body: any }>;

/** Every text field a client can send, by the path its `details` must name. */
function textFields(): [field: string, send: Send][] {
  const order = () => fx.order();
  const itemPath = () => `/api/orders/${context.orderId}/items/${context.itemId}`;
  return [
    ['note', (bad) => waiter.post('/api/orders', { ...order(), note: bad })],
    [
      'items.0.note',
      (bad) => {
        const o = order();
        return waiter.post('/api/orders', { ...o, items: [{ ...o.items[1], note: bad }] });
      },
    ],
    ['staffName', (bad) => waiter.post('/api/orders', { ...order(), staffName: bad })],
    [
      'customer.name',
      (bad) => {
        const { tableId: _, ...o } = order();
        return waiter.post('/api/orders', { ...o, type: 'takeaway', customer: { name: bad } });
      },
    ],
    [
      'customer.address',
      (bad) => {
        const { tableId: _, ...o } = order();
        const customer = { name: 'Ana', address: bad, phone: '+49 30 1234' };
        return waiter.post('/api/orders', { ...o, type: 'delivery', customer });
      },
    ],
    ['note', (bad) => waiter.patch(itemPath(), { note: bad }, undefined, { 'if-match': '1' })],
    ['reason', (bad) => waiter.delete(itemPath(), { reason: bad }, undefined, { 'if-match': '1' })],
    ['deviceName', (bad) => new Api(manager.baseUrl).post('/api/pair', { code: 'ABCD-EFGH', deviceName: bad })],
    ['name', (bad) => manager.post('/api/menu/categories', { name: bad })],
    ['staffName', (bad) => manager.post('/api/menu/categories', { name: 'Soups', staffName: bad })],
    [
      'description',
      (bad) =>
        manager.post('/api/menu/items', {
          categoryId: fx.menu.categories[0]!.id,
          name: 'Soup',
          description: bad,
          priceCents: 500,
          station: 'cold',
        }),
    ],
    [
      'station',
      (bad) =>
        manager.post('/api/menu/items', {
          categoryId: fx.menu.categories[0]!.id,
          name: 'Soup',
          priceCents: 500,
          station: bad,
        }),
    ],
    [
      'allergens.0',
      (bad) =>
        manager.post('/api/menu/items', {
          categoryId: fx.menu.categories[0]!.id,
          name: 'Soup',
          priceCents: 500,
          station: 'cold',
          allergens: [bad],
        }),
    ],
    [
      'modifierGroups.0.options.0.name',
      (bad) =>
        manager.post('/api/menu/items', {
          categoryId: fx.menu.categories[0]!.id,
          name: 'Soup',
          priceCents: 500,
          station: 'cold',
          modifierGroups: [{ name: 'Bread', minChoices: 0, maxChoices: 1, options: [{ name: bad }] }],
        }),
    ],
    ['label', (bad) => manager.post('/api/tables', { number: 700, label: bad })],
    ['area', (bad) => manager.post('/api/tables', { number: 701, area: bad })],
    // A URL cannot carry a lone surrogate (its %-escapes decode to U+FFFD), only a NUL.
    [
      'station',
      (bad) => waiter.get(`/api/orders/open?station=${encodeURIComponent(bad.replace(/[\uD800-\uDFFF]/g, '\u0000'))}`),
    ],
  ];
}

let context: { orderId: string; itemId: string };

beforeAll(async () => {
  const order = fx.order(3);
  await waiter.post('/api/orders', order);
  context = { orderId: order.id, itemId: order.items[0]!.id };
});

describe('text PostgreSQL cannot store', () => {
  for (const [label, bad] of [
    ['a NUL character', nul],
    ['a lone low surrogate', lowAlone],
    ['a lone high surrogate', highAlone],
  ] as const) {
    it(`is refused with 400 naming the field when it has ${label}, in every text field`, async () => {
      const before = await snapshotCounts(db.pool);
      for (const [field, send] of textFields()) {
        const res = await send(bad);
        expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(res.body.error.details).toContainEqual({ path: field, message: expect.stringMatching(/NUL|surrogate/) });
      }
      expect(await snapshotCounts(db.pool)).toEqual(before);
    });
  }

  it('still lets whole emoji and other characters through', async () => {
    const order = { ...fx.order(), note: 'birthday 🎂, no nuts', staffName: 'Zoë' };
    const res = await waiter.post('/api/orders', order);
    expect(res.status).toBe(201);
    expect(res.body.order.note).toBe('birthday 🎂, no nuts');
  });
});

describe('dates outside the years 2000 to 2100', () => {
  it('are refused as an order time with a message naming the years', async () => {
    for (const deviceTime of ['0000-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '2101-01-01T00:00:00Z']) {
      const res = await waiter.post('/api/orders', { ...fx.order(), deviceTime });
      expect(res.status, deviceTime).toBe(400);
      expect(res.body.error.details).toEqual([
        { path: 'deviceTime', message: expect.stringContaining('between the years 2000 and 2100') },
      ]);
    }
  });

  it('are refused as report bounds, as days or instants', async () => {
    for (const query of ['from=0000-01-01', 'to=0000-01-01T00:00:00Z', 'from=2026-01-01&to=9999-12-31']) {
      const res = await manager.get(`/api/reports/today?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain('between the years 2000 and 2100');
    }
  });

  it('leave a valid report period alone', async () => {
    const res = await manager.get('/api/reports/today?from=2026-01-01&to=2026-01-02T12:00:00Z');
    expect(res.status).toBe(200);
  });
});
