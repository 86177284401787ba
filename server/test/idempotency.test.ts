import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect } from 'vitest';
import { createPool } from '../src/db/pool.js';
import { hashSecret } from '../src/devices/tokens.js';
import { createLogger } from '../src/logger.js';
import { Api, deviceApi, snapshotCounts, startTestServer, appTest, type TestApp } from './harness.js';

let app: TestApp;
const it = appTest({ config: { idempotencyWaitMs: 1000 } });

it.beforeAll(({ app: started }) => {
  app = started;
});

async function ordersWithId(id: string): Promise<number> {
  const { rows } = await app.db.pool.query(`SELECT count(*)::int AS n FROM orders WHERE id = $1`, [id]);
  return rows[0].n;
}

describe('Idempotency-Key', () => {
  it('is required on every write', async () => {
    const before = await snapshotCounts(app.db.pool);
    const res = await app.waiter.post('/api/orders', app.fx.order(), null);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('idempotency_key_missing');
    expect(res.body.error.message).toMatch(/Idempotency-Key/);
    const bad = await app.waiter.post('/api/orders', app.fx.order(), 'x'.repeat(300));
    expect(bad.body.error.code).toBe('idempotency_key_invalid');
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
  });

  it('a retried order with the same key is stored once and answered the same way', async () => {
    const order = app.fx.order();
    const key = randomUUID();
    const first = await app.waiter.post('/api/orders', order, key);
    const again = await app.waiter.post('/api/orders', order, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await ordersWithId(order.id)).toBe(1);
  });

  it('replays the very bytes of the first answer', async () => {
    const order = app.fx.order(43);
    const key = randomUUID();
    const first = await app.waiter.post('/api/orders', order, key);
    const again = await app.waiter.post('/api/orders', order, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));

    const path = `/api/tables/${order.tableId}/items/${order.items[0]!.id}`;
    const patchKey = randomUUID();
    const patched = await app.waiter.patch(path, { note: 'extra crispy', staffName: 'Ana' }, patchKey);
    const patchedAgain = await app.waiter.patch(path, { note: 'extra crispy', staffName: 'Ana' }, patchKey);
    expect(patched.status).toBe(200);
    expect(patchedAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(patchedAgain.text).toBe(patched.text);
  });

  it('50 concurrent POSTs with one key create exactly one order and all get the same answer', async () => {
    const order = app.fx.order(40);
    const key = randomUUID();
    const before = await snapshotCounts(app.db.pool);
    const answers = await Promise.all(Array.from({ length: 50 }, () => app.waiter.post('/api/orders', order, key)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    const after = await snapshotCounts(app.db.pool);
    expect(after.orders - before.orders).toBe(1);
    expect(after.order_items - before.order_items).toBe(3);
    expect(after.events - before.events).toBe(1);
  });

  it('refuses the same key with a different request (422) and changes nothing', async () => {
    const key = randomUUID();
    const order = app.fx.order();
    await app.waiter.post('/api/orders', order, key);
    const before = await snapshotCounts(app.db.pool);
    const other = await app.waiter.post('/api/orders', app.fx.order(), key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    const sameKeyOtherRoute = await app.waiter.patch(
      `/api/tables/${order.tableId}/items/${order.items[0]!.id}`,
      { note: 'x' },
      key,
    );
    expect(sameKeyOtherRoute.status).toBe(422);
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
  });

  it('scopes keys to the device: two tablets may use the same key', async () => {
    const other = await deviceApi(app.db.pool, app.server.baseUrl, 'waiter', 'Tablet 2');
    const key = randomUUID();
    const a = await app.waiter.post('/api/orders', app.fx.order(), key);
    const b = await other.post('/api/orders', app.fx.order(), key);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers 409 with Retry-After while the first request with the key is still running', async () => {
    const key = randomUUID();
    const { rows } = await app.db.pool.query(`SELECT id FROM devices WHERE token_hash = $1`, [
      hashSecret(app.waiter.token!),
    ]);
    // Hold the key's row in an open transaction, as a slow first request would.
    const holder = new pg.Client({ connectionString: app.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`INSERT INTO idempotency_keys (device_id, key, request_hash) VALUES ($1, $2, '\\x00')`, [
        rows[0].id,
        key,
      ]);
      const res = await app.waiter.post('/api/orders', app.fx.order(), key);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('idempotency_key_in_use');
      expect(res.headers.get('retry-after')).toBe('1');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    // Once the first gave up, the retry goes through.
    const retry = await app.waiter.post('/api/orders', app.fx.order(), key);
    expect(retry.status).toBe(201);
  });

  it('keeps the key of a refused write: the fixed write goes with a new key', async () => {
    const key = randomUUID();
    const order = app.fx.order();
    const broken = { ...order, items: [{ ...order.items[0]!, modifierOptionIds: [] }] };
    const refused = await app.waiter.post('/api/orders', broken, key);
    expect(refused.status).toBe(422);
    // The same key with the fixed body is another request under a used key.
    const sameKey = await app.waiter.post('/api/orders', order, key);
    expect(sameKey.status).toBe(422);
    expect(sameKey.body.error.code).toBe('idempotency_key_reused');
    const fixed = await app.waiter.post('/api/orders', order, randomUUID());
    expect(fixed.status).toBe(201);
  });

  it('replays PATCH and DELETE too, without bumping the version twice', async () => {
    const order = app.fx.order(41);
    await app.waiter.post('/api/orders', order);
    const path = `/api/tables/${order.tableId}/items/${order.items[1]!.id}`;
    const key = randomUUID();
    const first = await app.waiter.patch(path, { quantity: 4 }, key);
    const second = await app.waiter.patch(path, { quantity: 4 }, key);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect((await app.waiter.get(path)).body.item.version).toBe(2);
    const voidKey = randomUUID();
    await app.waiter.delete(path, { reason: 'spilled' }, voidKey);
    const voidAgain = await app.waiter.delete(path, { reason: 'spilled' }, voidKey);
    expect(voidAgain.headers.get('idempotent-replayed')).toBe('true');
    expect((await app.waiter.get(path)).body.item.version).toBe(3);
  });

  it('still deduplicates a replay after the server restarts', async () => {
    const order = app.fx.order(42);
    const key = randomUUID();
    const first = await app.waiter.post('/api/orders', order, key);
    await app.server.close();
    app.server = await startTestServer(app.db.pool);
    const restarted = new Api(app.server.baseUrl, app.waiter.token);
    const replay = await restarted.post('/api/orders', order, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await ordersWithId(order.id)).toBe(1);
    app.waiter = restarted;
  });

  it('refuses a new key for an order id that already exists, instead of doubling it', async () => {
    const order = app.fx.order();
    await app.waiter.post('/api/orders', order);
    const res = await app.waiter.post('/api/orders', order);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('order_exists');
    expect(await ordersWithId(order.id)).toBe(1);
  });
});

describe('a refusal keeps its Idempotency-Key', () => {
  // The server of this file may have been restarted by a test above: reach the current one.
  const availability = (menuItemId: string, available: boolean) =>
    new Api(app.server.baseUrl, app.kitchen.token).patch(`/api/menu/items/${menuItemId}/availability`, { available });

  it('a replayed refusal is the same refusal, byte for byte', async () => {
    const order = app.fx.order();
    const refusals = [
      // Refused by the order's checks (a required choice is missing) …
      { path: '/api/orders', body: { ...order, items: [{ ...order.items[0]!, modifierOptionIds: [] }] } },
      // … by validation after the device and key are known …
      { path: '/api/orders', body: { ...order, items: [] } },
      // … and inside a transactional write (an item that is not there).
      { path: `/api/tables/${order.tableId}/items/${randomUUID()}`, body: { quantity: 2 }, method: 'PATCH' },
    ];
    for (const { path, body, method } of refusals) {
      const key = randomUUID();
      const send = () => app.waiter.request(method ?? 'POST', path, { body, key });
      const first = await send();
      const again = await send();
      expect(first.status).toBeGreaterThanOrEqual(400);
      expect(first.status).toBeLessThan(500);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(again.status).toBe(first.status);
      expect(again.text).toBe(first.text);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    }
  });

  it('a late original gets the refusal its retry got, and is not stored', async () => {
    const burger = app.fx.item('Burger').id;
    const order = app.fx.order(44);
    const key = randomUUID();
    expect((await availability(burger, false)).status).toBe(200);
    let retry;
    try {
      // The tablet's retry arrives first, while the dish is 86'd.
      retry = await app.waiter.post('/api/orders', order, key);
      expect(retry.status).toBe(422);
      expect(retry.body.error.code).toBe('menu_item_unavailable');
    } finally {
      expect((await availability(burger, true)).status).toBe(200);
    }
    // The original, delayed in the network, arrives once the dish is back.
    const original = await app.waiter.post('/api/orders', order, key);
    expect(original.status).toBe(422);
    expect(original.text).toBe(retry.text);
    expect(original.headers.get('idempotent-replayed')).toBe('true');
    expect(await ordersWithId(order.id)).toBe(0);
  });

  it('a retry refused while its original is still running waits for the original, and gets its answer', async () => {
    const burger = app.fx.item('Burger').id;
    const order = app.fx.order(45);
    const key = randomUUID();
    // A server whose requests wait for locks as long as this test needs.
    const patient = createPool(app.db.url, 5, createLogger('silent'), { lockTimeoutMs: 20_000 });
    const slow = await startTestServer(patient);
    const tablet = new Api(slow.baseUrl, app.waiter.token);
    // The original holds its key uncommitted: its statement waits for the table row we lock.
    const locker = await app.db.pool.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM dining_tables WHERE id = $1 FOR UPDATE', [order.tableId]);
    let original;
    let retry;
    try {
      original = tablet.post('/api/orders', order, key);
      await untilWaiting(1);
      expect((await availability(burger, false)).status).toBe(200);
      // The retry would be refused now: it must not answer before the original has.
      retry = tablet.post('/api/orders', order, key);
      await untilWaiting(2);
    } finally {
      await locker.query('COMMIT');
      locker.release();
      await availability(burger, true);
    }
    const [first, second] = await Promise.all([original, retry]);
    await slow.close();
    await patient.end();
    expect(first.status).toBe(201);
    // It waited and got the original's answer (or, had it waited too long, 409 "try again").
    expect([201, 409]).toContain(second.status);
    if (second.status === 201) expect(second.text).toBe(first.text);
    else expect(second.body.error.code).toBe('idempotency_key_in_use');
    expect(await ordersWithId(order.id)).toBe(1);
  });
});

/** Until `n` backends of this database wait for a lock. */
async function untilWaiting(n: number): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 10) {
    const { rows } = await app.db.pool.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0].n >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${n} requests never waited for a lock`);
}
