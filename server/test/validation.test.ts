import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixtures, snapshotCounts, startTestApp, type TestApp } from './harness.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await app.db.pool.query(`UPDATE menu_items SET available = false WHERE name = 'Lemonade'`);
});

afterAll(() => app.close());

type Case = [name: string, status: number, code: string, send: () => Promise<{ status: number; body: any }>];

function orderWith(change: (order: ReturnType<Fixtures['order']>) => unknown) {
  const order = app.fx.order();
  return change(order) ?? order;
}

const cases: Case[] = [
  [
    'malformed JSON',
    400,
    'malformed_json',
    () => app.waiter.request('POST', '/api/orders', { rawBody: '{"id": "abc",', key: randomUUID() }),
  ],
  [
    'a body that is not JSON',
    415,
    'unsupported_media_type',
    () => app.waiter.request('POST', '/api/orders', { rawBody: 'id=1', headers: { 'content-type': 'text/plain' } }),
  ],
  [
    'an oversized body',
    413,
    'payload_too_large',
    () => app.waiter.post('/api/orders', { ...app.fx.order(), note: 'x'.repeat(100_000) }),
  ],
  ['an empty body', 400, 'validation_failed', () => app.waiter.post('/api/orders', {})],
  [
    'a wrong type',
    400,
    'validation_failed',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => ({ ...o, items: 'pizza' })),
      ),
  ],
  [
    'an order id that is not a UUID',
    400,
    'validation_failed',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => ({ ...o, id: '42' })),
      ),
  ],
  [
    'no items',
    400,
    'validation_failed',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => ({ ...o, items: [] })),
      ),
  ],
  [
    'a quantity of zero',
    400,
    'validation_failed',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => void (o.items[1]!.quantity = 0)),
      ),
  ],
  [
    'a quantity of 100',
    400,
    'validation_failed',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => void (o.items[1]!.quantity = 100)),
      ),
  ],
  [
    'a fractional quantity',
    400,
    'validation_failed',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => void (o.items[1]!.quantity = 1.5)),
      ),
  ],
  [
    'a note that is too long',
    400,
    'validation_failed',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => void ((o.items[1] as { note?: string }).note = 'x'.repeat(201))),
      ),
  ],
  [
    'two items with one id',
    400,
    'validation_failed',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => void (o.items[1]!.id = o.items[0]!.id)),
      ),
  ],
  [
    'an unknown table',
    422,
    'table_not_found',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => ({ ...o, tableId: randomUUID() })),
      ),
  ],
  [
    'an unknown menu item',
    422,
    'menu_item_not_found',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => void (o.items[2]!.menuItemId = randomUUID())),
      ),
  ],
  [
    'an unavailable menu item',
    422,
    'menu_item_unavailable',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => void (o.items[2]!.menuItemId = app.fx.item('Lemonade').id)),
      ),
  ],
  [
    'a pizza without a size',
    422,
    'modifier_choice_invalid',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => void (o.items[0]!.modifierOptionIds = [])),
      ),
  ],
  [
    'a pizza with two sizes',
    422,
    'modifier_choice_invalid',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith((o) => void o.items[0]!.modifierOptionIds!.push(app.fx.option('Margherita', 'Large'))),
      ),
  ],
  [
    "a burger with the pizza's topping",
    422,
    'modifier_choice_invalid',
    () =>
      app.waiter.post(
        '/api/orders',
        orderWith(
          (o) =>
            void ((o.items[1] as { modifierOptionIds?: string[] }).modifierOptionIds = [
              app.fx.option('Margherita', 'Mushroom'),
            ]),
        ),
      ),
  ],
  [
    'a PATCH that changes nothing',
    400,
    'validation_failed',
    () => app.waiter.patch(`/api/tables/${app.fx.table(1).id}/items/${randomUUID()}`, {}),
  ],
  [
    'a PATCH with an unknown field',
    400,
    'validation_failed',
    () => app.waiter.patch(`/api/tables/${app.fx.table(1).id}/items/${randomUUID()}`, { price: 0 }),
  ],
  [
    'a PATCH to voided',
    400,
    'validation_failed',
    () => app.waiter.patch(`/api/tables/${app.fx.table(1).id}/items/${randomUUID()}`, { status: 'voided' }),
  ],
  [
    'a bad If-Match',
    400,
    'validation_failed',
    () =>
      app.waiter.patch(`/api/tables/${app.fx.table(1).id}/items/${randomUUID()}`, { note: 'x' }, undefined, {
        'if-match': 'yesterday',
      }),
  ],
  [
    'a PATCH of an item that does not exist',
    404,
    'item_not_found',
    () => app.waiter.patch(`/api/tables/${app.fx.table(1).id}/items/${randomUUID()}`, { note: 'x' }),
  ],
  ['an unknown route', 404, 'not_found', () => app.waiter.get('/api/nothing-here')],
];

describe('bad input', () => {
  it.each(cases)('%s gets %i %s and changes nothing', async (_name, status, code, send) => {
    const before = await snapshotCounts(app.db.pool);
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message.length).toBeGreaterThan(10);
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
  });

  it('lists every problem with its path', async () => {
    const order = app.fx.order();
    const res = await app.waiter.post('/api/orders', {
      ...order,
      id: 'x',
      items: [{ ...order.items[0], quantity: -1 }],
    });
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'id' }),
        expect.objectContaining({ path: 'items.0.quantity', message: 'Quantity must be at least 1.' }),
      ]),
    );
  });

  it('names the unavailable item so the waiter knows what to change', async () => {
    const order = app.fx.order();
    order.items[2]!.menuItemId = app.fx.item('Lemonade').id;
    const res = await app.waiter.post('/api/orders', order);
    expect(res.body.error.message).toBe('Lemonade is not available right now.');
    expect(res.body.error.details).toEqual([
      { path: 'items.2.menuItemId', message: 'Lemonade is not available right now.' },
    ]);
  });
});
