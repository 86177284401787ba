import { describe, expect } from 'vitest';
import { appTest, type TestApp } from './harness.js';

let clockNow = new Date('2026-11-20T19:00:00.000Z');
const at = (time: string) => {
  clockNow = new Date(`2026-11-20T${time}:00.000Z`);
};

let app: TestApp;

const it = appTest({ clock: { now: () => clockNow } });

it.beforeAll(({ app: started }) => {
  app = started;
});

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id).sort();

async function serve(tableNumber: number, itemId: string): Promise<void> {
  const path = `/api/tables/${app.fx.table(tableNumber).id}/items/${itemId}`;
  for (const [device, status] of [
    [app.kitchen, 'cooking'],
    [app.kitchen, 'ready'],
    [app.waiter, 'served'],
  ] as const) {
    expect((await device.patch(path, { status })).status).toBe(200);
  }
}

describe("a table's items after the table was cleared", () => {
  it('are the next party’s only, plus what the last party still had coming; older ones stay in their orders', async () => {
    const table = app.fx.table(40);
    at('19:00');
    const first = app.fx.order(40);
    await app.waiter.post('/api/orders', first);
    const [served, open, cola] = first.items.map((i) => i.id) as [string, string, string];
    await app.waiter.delete(`/api/tables/${table.id}/items/${cola}`, { reason: 'changed their mind' });
    at('19:10');
    await serve(40, served);
    const before = await app.waiter.get(`/api/tables/${table.id}/items`);
    expect(ids(before)).toEqual([served, open].sort());

    at('20:00');
    const cleared = await app.waiter.post(`/api/tables/${table.id}/clear`, { staffName: 'Ben' });
    expect(cleared.status).toBe(200);
    expect(cleared.body.cleared).toEqual({ tableId: table.id, clearedAt: '2026-11-20T20:00:00.000Z' });

    // The served dish left with its party; the one never served is still owed.
    expect(ids(await app.waiter.get(`/api/tables/${table.id}/items`))).toEqual([open]);

    at('20:05');
    const next = app.fx.order(40);
    await app.waiter.post('/api/orders', next);
    at('20:20');
    await serve(40, next.items[0]!.id);
    await serve(40, open);
    expect(ids(await app.waiter.get(`/api/tables/${table.id}/items`))).toEqual(
      [open, ...next.items.map((i) => i.id)].sort(),
    );

    // The first party's order is still whole, served dish included.
    const old = await app.waiter.get(`/api/orders/${first.id}`);
    expect(old.body.order.items.map((i: { id: string; status: string }) => [i.id, i.status])).toContainEqual([
      served,
      'served',
    ]);

    const { rows } = await app.db.pool.query(`SELECT payload FROM events WHERE type = 'table.cleared'`);
    expect(rows.map((r) => r.payload)).toEqual([{ tableId: table.id, clearedAt: '2026-11-20T20:00:00.000Z' }]);
  });

  it('a retried clear with the same key is one clear; an unknown table is a 404 that changes nothing', async () => {
    const table = app.fx.table(41);
    at('21:00');
    const key = 'clear-41-once';
    const once = await app.waiter.post(`/api/tables/${table.id}/clear`, {}, key);
    at('21:30');
    const again = await app.waiter.post(`/api/tables/${table.id}/clear`, {}, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(once.body);
    expect(again.body.cleared.clearedAt).toBe('2026-11-20T21:00:00.000Z');
    const missing = await app.waiter.post(`/api/tables/${app.fx.order(41).id}/clear`, {});
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('table_not_found');
    const cook = await app.kitchen.post(`/api/tables/${table.id}/clear`, {});
    expect(cook.status).toBe(403);
  });
});
