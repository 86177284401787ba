import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { Api, deviceApi, snapshotCounts, appTest, type TestApp } from './harness.js';

let app: TestApp;
const it = appTest({ config: { publicUrl: undefined } });

it.beforeAll(({ app: started }) => {
  app = started;
});

async function tables() {
  return (await app.waiter.get('/api/tables')).body.tables as {
    id: string;
    number: number;
    label: string;
    area: string | null;
  }[];
}

describe('tables', () => {
  it('are added, renamed, renumbered and grouped into areas', async () => {
    const created = await app.manager.post('/api/tables', { number: 101, area: 'Garden', staffName: 'Maria' });
    expect(created.status).toBe(201);
    expect(created.body.table).toMatchObject({ number: 101, label: 'Table 101', area: 'Garden' });
    const id = created.body.table.id;
    const renamed = await app.manager.patch(`/api/tables/${id}`, { label: 'Fountain', number: 102 });
    expect(renamed.body.table).toEqual({ id, number: 102, label: 'Fountain', area: 'Garden' });
    const moved = await app.manager.patch(`/api/tables/${id}`, { area: null });
    expect(moved.body.table.area).toBeNull();
    expect((await tables()).find((t) => t.id === id)).toEqual({ id, number: 102, label: 'Fountain', area: null });
    const { rows } = await app.db.pool.query(`SELECT type, payload FROM events WHERE type = 'tables.changed'`);
    expect(rows).toHaveLength(3);
    expect(rows[0].payload).toEqual({ tableId: id });
  });

  it('refuse a number another table has, with a clear code', async () => {
    const res = await app.manager.post('/api/tables', { number: 12 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('table_number_taken');
    const renumber = await app.manager.patch(`/api/tables/${app.fx.table(13).id}`, { number: 12 });
    expect(renumber.status).toBe(409);
    expect(renumber.body.error.code).toBe('table_number_taken');
  });

  it('cannot be removed while they have open items; afterwards a table with orders is archived', async () => {
    const table = app.fx.table(50);
    const order = app.fx.order(50);
    await app.waiter.post('/api/orders', order);
    const before = await snapshotCounts(app.db.pool);
    const refused = await app.manager.delete(`/api/tables/${table.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'table_has_open_items',
      message: 'Table 50 still has 3 open items. Serve or void them first.',
    });
    expect(await snapshotCounts(app.db.pool)).toEqual(before);

    for (const item of order.items) {
      const path = `/api/tables/${table.id}/items/${item.id}`;
      await app.kitchen.patch(path, { status: 'ready' });
      await app.waiter.patch(path, { status: 'served' });
    }
    const removed = await app.manager.delete(`/api/tables/${table.id}`, { staffName: 'Maria' });
    expect(removed.body).toEqual({ id: table.id, outcome: 'archived' });
    expect((await tables()).map((t) => t.number)).not.toContain(50);
    // Its past items stay readable, and its number is free for a new table.
    expect((await app.waiter.get(`/api/tables/${table.id}/items/${order.items[0]!.id}`)).body.item.status).toBe(
      'served',
    );
    expect((await app.manager.post('/api/tables', { number: 50 })).status).toBe(201);
    // An order that waited on a tablet for the removed table is refused with a reason.
    const late = await app.waiter.post('/api/orders', { ...app.fx.order(50), tableId: table.id });
    expect(late.status).toBe(422);
    expect(late.body.error).toMatchObject({ code: 'table_not_found', message: 'Table 50 has been removed.' });
    expect((await app.manager.patch(`/api/tables/${table.id}`, { label: 'x' })).status).toBe(404);
  });

  it('without orders is deleted', async () => {
    const removed = await app.manager.delete(`/api/tables/${app.fx.table(99).id}`);
    expect(removed.body).toEqual({ id: app.fx.table(99).id, outcome: 'deleted' });
    const again = await app.manager.delete(`/api/tables/${app.fx.table(99).id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('table_not_found');
  });
});

describe('devices', () => {
  it('are listed with role, last seen, app version and writes received', async () => {
    const tablet = await deviceApi(app.db.pool, app.server.baseUrl, 'waiter', 'Tablet 7');
    const withVersion = (h: Record<string, string> = {}) => ({ ...h, 'chit-app-version': '1.4.2' });
    await tablet.request('GET', '/api/menu', { headers: withVersion() });
    await tablet.post('/api/orders', app.fx.order(8), undefined, withVersion());
    await tablet.post('/api/orders', { bad: true }, undefined, withVersion());
    const list = await app.manager.get('/api/devices');
    expect(list.status).toBe(200);
    const listed = list.body.devices.find((d: any) => d.name === 'Tablet 7');
    expect(listed).toMatchObject({ role: 'waiter', appVersion: '1.4.2', writesReceived: 2, revokedAt: null });
    expect(Date.now() - Date.parse(listed.lastSeenAt)).toBeLessThan(60_000);
    // A version the device stops sending is kept; a malformed one is ignored, not refused.
    const res = await tablet.request('GET', '/api/menu', { headers: { 'chit-app-version': 'x'.repeat(200) } });
    expect(res.status).toBe(200);
    const again = (await app.manager.get('/api/devices')).body.devices.find((d: any) => d.name === 'Tablet 7');
    expect(again.appVersion).toBe('1.4.2');
  });

  it('are paired with a code whose link a QR code can carry', async () => {
    const res = await app.manager.post('/api/pairing-codes', { role: 'kitchen' });
    expect(res.status).toBe(201);
    const { code, pairUrl } = res.body;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(pairUrl).toBe(`${app.server.baseUrl}/pair?code=${code}`);
    const paired = await new Api(app.server.baseUrl).post('/api/pair', {
      code: new URL(pairUrl).searchParams.get('code'),
      deviceName: 'Grill screen',
    });
    expect(paired.status).toBe(201);
    expect(paired.body.device).toMatchObject({ role: 'kitchen', name: 'Grill screen', appVersion: null });
  });

  it('are revoked by a manager, and only by one', async () => {
    const tablet = await deviceApi(app.db.pool, app.server.baseUrl, 'waiter', 'Stolen');
    const id = (await tablet.get('/api/me')).body.device.id;
    expect((await app.waiter.delete(`/api/devices/${id}`)).status).toBe(403);
    expect(
      (await app.manager.delete(`/api/devices/${id}`, { staffName: 'Maria' })).body.device.revokedAt,
    ).not.toBeNull();
    const { rows } = await app.db.pool.query(
      `SELECT r.name, d.revoked_by_staff_name FROM devices d JOIN devices r ON r.id = d.revoked_by_device_id
        WHERE d.id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ name: 'Office', revoked_by_staff_name: 'Maria' });
    expect((await tablet.get('/api/menu')).status).toBe(401);
    expect((await app.manager.delete(`/api/devices/${randomUUID()}`)).status).toBe(404);
  });
});
