import { describe, expect } from 'vitest';
import { createPairingCode } from '../src/devices/store.js';
import { Api, deviceApi, appTest } from './harness.js';

const it = appTest();

describe('device tokens', () => {
  it('are required on every route but health and pairing', async ({ app }) => {
    const anonymous = new Api(app.server.baseUrl);
    expect((await anonymous.get('/api/health')).status).toBe(200);
    for (const path of ['/api/menu', '/api/tables', '/api/me', `/api/tables/${app.fx.table(1).id}/items`]) {
      const res = await anonymous.get(path);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await anonymous.post('/api/orders', app.fx.order())).status).toBe(401);
    expect((await new Api(app.server.baseUrl, 'not-a-real-token-at-all').get('/api/menu')).status).toBe(401);
  });

  it('are stored only as hashes', async ({ app }) => {
    const { rows } = await app.db.pool.query(`SELECT token_hash FROM devices`);
    for (const row of rows) {
      expect(row.token_hash).toHaveLength(32);
      expect(row.token_hash.toString('utf8')).not.toContain(app.waiter.token);
    }
  });

  it('stop working the moment the device is revoked', async ({ app }) => {
    const tablet = await deviceApi(app.db.pool, app.server.baseUrl, 'waiter', 'Lost tablet');
    const me = await tablet.get('/api/me');
    expect(me.status).toBe(200);
    const revoked = await app.manager.delete(`/api/devices/${me.body.device.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.device.revokedAt).not.toBeNull();
    expect((await tablet.get('/api/menu')).status).toBe(401);
    expect((await tablet.post('/api/orders', app.fx.order())).status).toBe(401);
  });
});

describe('roles', () => {
  it('a kitchen device cannot place orders, change quantities or void', async ({ app }) => {
    const placed = app.fx.order(50);
    await app.waiter.post('/api/orders', placed);
    const path = `/api/tables/${placed.tableId}/items/${placed.items[0]!.id}`;
    const order = await app.kitchen.post('/api/orders', app.fx.order());
    expect(order.status).toBe(403);
    expect(order.body.error.code).toBe('forbidden');
    expect((await app.kitchen.patch(path, { quantity: 2 })).status).toBe(403);
    expect((await app.kitchen.delete(path)).status).toBe(403);
    expect((await app.kitchen.patch(path, { status: 'served' })).status).toBe(403);
    expect((await app.kitchen.patch(path, { status: 'cooking' })).status).toBe(200);
  });

  it('a waiter cannot move items through the kitchen states or manage devices', async ({ app }) => {
    const placed = app.fx.order(51);
    await app.waiter.post('/api/orders', placed);
    const path = `/api/tables/${placed.tableId}/items/${placed.items[0]!.id}`;
    expect((await app.waiter.patch(path, { status: 'cooking' })).status).toBe(403);
    expect((await app.waiter.get('/api/devices')).status).toBe(403);
    expect((await app.waiter.post('/api/pairing-codes', { role: 'waiter' })).status).toBe(403);
  });

  it('a manager may do everything', async ({ app }) => {
    const placed = app.fx.order(52);
    expect((await app.manager.post('/api/orders', placed)).status).toBe(201);
    const path = `/api/tables/${placed.tableId}/items/${placed.items[0]!.id}`;
    expect((await app.manager.patch(path, { status: 'cooking' })).status).toBe(200);
    expect((await app.manager.patch(path, { quantity: 2 })).status).toBe(200);
    expect((await app.manager.get('/api/devices')).status).toBe(200);
    expect((await app.manager.delete(path)).status).toBe(200);
  });
});

describe('pairing', () => {
  it('a manager makes a code and a new tablet exchanges it once for a token', async ({ app }) => {
    const code = await app.manager.post('/api/pairing-codes', { role: 'kitchen', ttlMinutes: 5 });
    expect(code.status).toBe(201);
    expect(code.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const anonymous = new Api(app.server.baseUrl);
    const paired = await anonymous.post('/api/pair', {
      code: code.body.code.toLowerCase(),
      deviceName: 'Grill screen',
    });
    expect(paired.status).toBe(201);
    expect(paired.body.device).toMatchObject({ name: 'Grill screen', role: 'kitchen' });
    expect(paired.body.token.length).toBeGreaterThanOrEqual(43);
    const screen = new Api(app.server.baseUrl, paired.body.token);
    expect((await screen.get('/api/me')).body.device.role).toBe('kitchen');
    const twice = await anonymous.post('/api/pair', { code: code.body.code, deviceName: 'Copycat' });
    expect(twice.status).toBe(400);
    expect(twice.body.error.code).toBe('pairing_code_invalid');
  });

  it('refuses an expired or unknown code', async ({ app }) => {
    const anonymous = new Api(app.server.baseUrl);
    const { code } = await createPairingCode(app.db.pool, 'waiter', new Date(Date.now() - 1000), null);
    const expired = await anonymous.post('/api/pair', { code, deviceName: 'Late tablet' });
    expect(expired.body.error.code).toBe('pairing_code_invalid');
    const unknown = await anonymous.post('/api/pair', { code: 'ABCD-EFGH', deviceName: 'Guess' });
    expect(unknown.status).toBe(400);
    const invalid = await anonymous.post('/api/pair', { code: '', deviceName: '' });
    expect(invalid.body.error.code).toBe('validation_failed');
    const { rows } = await app.db.pool.query(
      `SELECT count(*)::int AS n FROM devices WHERE name IN ('Late tablet', 'Guess')`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('does not need an Idempotency-Key', async ({ app }) => {
    const code = await app.manager.post('/api/pairing-codes', { role: 'waiter' });
    const res = await new Api(app.server.baseUrl).post('/api/pair', { code: code.body.code, deviceName: 'T' }, null);
    expect(res.status).toBe(201);
  });
});
