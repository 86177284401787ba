import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createPool, isDatabaseUnavailable, pgCode, type Pool } from '../src/db/pool.js';
import { transaction } from '../src/db/transaction.js';
import { Api, startTestApp, startTestServer, type TestApp, type TestServer } from './harness.js';

// What a Chit instance sees in a failover, made with one real PostgreSQL: a session that is
// read-only answers writes with SQLSTATE 25006, exactly as a standby (or a primary that was
// just demoted) does.
let app: TestApp;
let readOnlyPool: pg.Pool;
let readOnly: TestServer;
let waiterOnReadOnly: Api;

beforeAll(async () => {
  app = await startTestApp();
  readOnlyPool = new pg.Pool({
    connectionString: app.db.url,
    max: 5,
    options: '-c default_transaction_read_only=on',
  });
  readOnlyPool.on('error', () => undefined);
  readOnly = await startTestServer(readOnlyPool);
  waiterOnReadOnly = new Api(readOnly.baseUrl, app.waiter.token);
});

afterAll(async () => {
  await readOnly.close();
  await readOnlyPool.end();
  await app.close();
});

async function ordersWithId(id: string): Promise<number> {
  const { rows } = await app.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE id = $1`, [id]);
  return rows[0]!.n;
}

describe('an instance whose database is not writable (a standby, a failover in progress)', () => {
  it('answers an order 503 database_unavailable with Retry-After, and the retry with the same key stores it once', async () => {
    const order = app.fx.order();
    const key = randomUUID();
    const refused = await waiterOnReadOnly.post('/api/orders', order, key);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('database_unavailable');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await ordersWithId(order.id)).toBe(0);

    const retried = await app.waiter.post('/api/orders', order, key);
    expect(retried.status).toBe(201);
    const again = await app.waiter.post('/api/orders', order, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await ordersWithId(order.id)).toBe(1);
  });

  it('is live but not ready, while an instance on the primary is both', async () => {
    expect((await fetch(`${readOnly.baseUrl}/api/health/live`)).status).toBe(200);
    const notReady = await fetch(`${readOnly.baseUrl}/api/health/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ok: false, database: 'unavailable' });
    // The old endpoint keeps its meaning: the process answers and the database answers.
    expect((await fetch(`${readOnly.baseUrl}/api/health`)).status).toBe(200);

    const ready = await fetch(`${app.server.baseUrl}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, database: 'writable' });
  });

  it('is not ready when its database cannot be reached at all, and stays live', async () => {
    const unreachable = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', max: 1 });
    const server = await startTestServer(unreachable);
    try {
      expect((await fetch(`${server.baseUrl}/api/health/live`)).status).toBe(200);
      expect((await fetch(`${server.baseUrl}/api/health/ready`)).status).toBe(503);
    } finally {
      await server.close();
      await unreachable.end();
    }
  });
});

describe('a pooled connection that landed on a read-only server', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(app.db.url, 1, createLogger('silent'));
  });
  afterAll(() => pool.end());

  it('is discarded after its write fails, so the next write gets a fresh connection', async () => {
    // The pool's only connection becomes read-only, as one that HAProxy had routed to a
    // primary that has since been demoted.
    const client = await pool.connect();
    await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    client.release();
    const write = () => transaction(pool, (c) => c.query(`CREATE TEMP TABLE IF NOT EXISTS t (x int)`));
    const failed = await write().catch((err: unknown) => err);
    expect(pgCode(failed)).toBe('25006');
    await expect(write()).resolves.toBeDefined();
  });
});

describe('a connection that dies while a transaction holds it', () => {
  it('fails that transaction as database_unavailable and leaves the process running', async () => {
    const pool = createPool(app.db.url, 2, createLogger('silent'));
    try {
      const failed = await transaction(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Killed between two statements: the moment a failover most often finds a connection.
        await app.db.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await client.query('SELECT 1');
      }).catch((err: unknown) => err);
      expect(isDatabaseUnavailable(failed)).toBe(true);
      // The broken connection was not given back: the pool's next transaction works.
      await expect(transaction(pool, (c) => c.query('SELECT 1'))).resolves.toBeDefined();
    } finally {
      await pool.end();
    }
  });
});
