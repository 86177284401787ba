import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './global-setup.js';
import {
  createTestDatabase,
  deviceApi,
  Fixtures,
  untilSomeoneWaitsForALock,
  type Api,
  type TestDatabase,
} from './harness.js';
import { SseClient } from './sse.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Instance {
  baseUrl: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await db.close();
});

/**
 * A real server process on the test database. The sweep is an hour, so an event can only
 * cross from one instance to another through NOTIFY.
 */
async function spawnServer(): Promise<Instance> {
  const port = await freePort();
  // Node itself with tsx as a loader (not the tsx CLI, which would stand between the
  // signal and the server).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      CLIENT_DIST: '/nonexistent',
      LOG_LEVEL: 'info',
      EVENTS_SWEEP_MS: '3600000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Chit is listening')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
  return { baseUrl: `http://127.0.0.1:${port}`, child, exited };
}

async function openStream(baseUrl: string, api: Api, query = ''): Promise<SseClient> {
  const s = await SseClient.open(`${baseUrl}/api/events${query}`, { authorization: `Bearer ${api.token}` });
  await s.until(() => s.frames.some((f) => f.event === 'ready') || s.ended, 'the ready frame');
  return s;
}

describe('several server instances on one database', () => {
  it('shows an order posted to one instance on a stream from the other, both ways', async () => {
    const [a, b] = await Promise.all([spawnServer(), spawnServer()]);
    const waiterOnA = await deviceApi(db.pool, a.baseUrl, 'waiter');
    const kitchenOnB = await deviceApi(db.pool, b.baseUrl, 'kitchen');
    const fx = await Fixtures.load(waiterOnA);
    const pizzaOnB = await openStream(b.baseUrl, kitchenOnB, '?station=pizza');
    const waiterStreamOnA = await openStream(a.baseUrl, waiterOnA, '?mine=1');

    const order = fx.order(12);
    expect((await waiterOnA.post('/api/orders', order)).status).toBe(201);
    const [created] = await pizzaOnB.untilEvents(1);
    expect(created).toMatchObject({ type: 'order.created', data: { order: { id: order.id } } });

    const item = order.items[0]!;
    const cooking = await kitchenOnB.patch(`/api/tables/${order.tableId}/items/${item.id}`, { status: 'cooking' });
    expect(cooking.status).toBe(200);
    const seenOnA = await waiterStreamOnA.untilEvents(2);
    expect(seenOnA.map((e) => e.type)).toEqual(['order.created', 'item.changed']);
    expect(seenOnA[1]).toMatchObject({ id: created!.id + 1, data: { item: { id: item.id, status: 'cooking' } } });

    pizzaOnB.close();
    waiterStreamOnA.close();
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
  });

  it('on SIGTERM stops accepting, ends streams with a retry hint, finishes the request in flight and exits', async () => {
    const instance = await spawnServer();
    const waiter = await deviceApi(db.pool, instance.baseUrl, 'waiter');
    const fx = await Fixtures.load(waiter);
    const stream = await openStream(instance.baseUrl, waiter);
    const order = fx.order(30);

    // Keep the order's transaction open: it waits for the table row we lock.
    const locker = await db.pool.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM dining_tables WHERE id = $1 FOR UPDATE', [order.tableId]);
    const inFlight = waiter.post('/api/orders', order);
    try {
      await untilSomeoneWaitsForALock(db.pool);
      instance.child.kill('SIGTERM');
      await stream.until(() => stream.ended, 'the stream to end');
      expect(stream.frames.at(-1)).toMatchObject({ retry: expect.any(Number) });
      await expect(fetch(`${instance.baseUrl}/api/health`)).rejects.toThrow();
    } finally {
      await locker.query('COMMIT');
      locker.release();
    }
    const placed = await inFlight;
    expect(placed.status).toBe(201);
    expect(await instance.exited).toBe(0);
    // Its event was positioned by the last sequencer pass, not left for another instance.
    const { rows } = await db.pool.query(`SELECT position FROM events WHERE order_id = $1`, [order.id]);
    expect(rows[0].position).toEqual(expect.any(Number));
    // And every connection the process had (pool and LISTEN) is gone.
    const { rows: sessions } = await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
    );
    expect(sessions[0].n).toBe(0);
  });
});
