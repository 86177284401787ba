import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { createDevice } from '../src/devices/store.js';
import { createLogger } from '../src/logger.js';
import { freePort } from './global-setup.js';
import { Api, createTestDatabase, deviceApi, Fixtures, type TestDatabase } from './harness.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const silent = createLogger('silent');

/** The pid of a backend of this database waiting for a lock of `kind` ('relation', 'advisory', …). */
async function waitingBackend(pool: Pool, database: string, waitEvent: string): Promise<number> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const { rows } = await pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND wait_event = $2`,
      [database, waitEvent],
    );
    if (rows[0]) return rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no backend ever waited for a lock (${waitEvent})`);
}

async function terminate(pool: Pool, pid: number): Promise<void> {
  await pool.query('SELECT pg_terminate_backend($1)', [pid]);
}

interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The real server as its own process (`src/main.ts` through tsx) on `databaseUrl`. */
async function spawnServer(databaseUrl: string, untilListening = true): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      CLIENT_DIST: '/nonexistent',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      RATE_LIMIT_WRITES_BURST: '1000000',
      EVENTS_SWEEP_MS: '200',
      // A request waits for a test's lock for as long as the test needs.
      IDEMPOTENCY_WAIT_MS: '20000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const server = { baseUrl: `http://127.0.0.1:${port}`, child, output: () => output, exited };
  if (untilListening) await listening(server);
  return server;
}

/** Until the server answers HTTP at all (its "listening" line is info, below the level it logs at here). */
async function listening(server: ServerProcess): Promise<void> {
  let gone = false;
  void server.exited.then(() => (gone = true));
  for (let waited = 0; ; waited += 100) {
    if (gone) throw new Error(`the server exited before listening:\n${server.output()}`);
    if (waited > 60_000) throw new Error(`the server never listened:\n${server.output()}`);
    if (
      await fetch(`${server.baseUrl}/api/health`).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const children: ChildProcess[] = [];

describe('a backend terminated under a request (PostgreSQL restarted, an administrator)', () => {
  let db: TestDatabase;
  let server: ServerProcess;
  let waiter: Api;
  let fx: Fixtures;
  let database: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    database = new URL(db.url).pathname.slice(1);
    server = await spawnServer(db.url);
    waiter = await deviceApi(db.pool, server.baseUrl, 'waiter');
    fx = await Fixtures.load(waiter);
  }, 120_000);
  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await db.close();
  });

  /** The server process is still there and answers. */
  async function stillServing(): Promise<void> {
    expect(server.child.exitCode, server.output()).toBeNull();
    expect((await waiter.get('/api/health')).status).toBe(200);
  }

  it('answers the request in flight 503 database_unavailable with Retry-After, and the next requests normally', async () => {
    const order = fx.order(3);
    expect((await waiter.post('/api/orders', order)).status).toBe(201);
    const path = `/api/tables/${order.tableId}/items/${order.items[1]!.id}`;

    const holder = await db.pool.connect();
    const key = randomUUID();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM order_items WHERE id = $1 FOR UPDATE', [order.items[1]!.id]);
      const inFlight = waiter.patch(path, { quantity: 3 }, key);
      await terminate(db.pool, await waitingBackend(db.pool, database, 'transactionid'));
      const answer = await inFlight;
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('database_unavailable');
      expect(answer.headers.get('retry-after')).toBe('1');
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    // The tablet retries with the same key: it goes through once.
    const retried = await waiter.patch(path, { quantity: 3 }, key);
    expect(retried.status).toBe(200);
    expect(retried.body.item).toMatchObject({ quantity: 3, version: 2 });
    await stillServing();
    expect((await waiter.get('/api/orders/open')).status).toBe(200);
  });

  it('keeps sequencing events after the backend of a sequencer pass is terminated', async () => {
    // Hold the sequencer's lock, so its next pass waits inside PostgreSQL.
    const holder = await db.pool.connect();
    await holder.query('SELECT pg_advisory_lock(7163686974657673)');
    const order = fx.order(4);
    try {
      expect((await waiter.post('/api/orders', order)).status).toBe(201);
      await terminate(db.pool, await waitingBackend(db.pool, database, 'advisory'));
    } finally {
      await holder.query('SELECT pg_advisory_unlock(7163686974657673)');
      holder.release();
    }
    // The next pass (a sweep, or the next write's kick) positions it.
    const next = fx.order(5);
    expect((await waiter.post('/api/orders', next)).status).toBe(201);
    for (let waited = 0; ; waited += 50) {
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(position)::int AS n FROM events WHERE order_id = ANY($1::uuid[])`,
        [[order.id, next.id]],
      );
      if (rows[0]!.n === 2) break;
      if (waited > 10_000) throw new Error('the sequencer never positioned the events again');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stillServing();
  });
});

describe('PostgreSQL restarted under load', () => {
  let dataDir: string;
  let port: number;
  let postgres: EmbeddedDatabase;
  /** False once crashed: a crashed instance cannot be stopped again. */
  let running = false;
  let pool: Pool;

  /** This test's own PostgreSQL, to stop and start at will. */
  async function startPostgres(): Promise<void> {
    postgres = await startEmbeddedPostgres(dataDir, port, silent, 'chit');
    running = true;
  }

  /** PostgreSQL's "immediate" shutdown (SIGQUIT): every backend dies at once, recovery at the next start. */
  async function crashPostgres(): Promise<void> {
    const pid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGQUIT');
    running = false;
    for (let waited = 0; ; waited += 20) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      if (waited > 20_000) throw new Error('PostgreSQL did not stop');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'chit-outage-'));
    // As root, PostgreSQL runs as its own user and must get in.
    await chmod(dataDir, 0o755);
    port = await freePort();
    await startPostgres();
    pool = createPool(postgres.url, 4, silent);
  }, 120_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await pool?.end();
    if (running) await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('the server survives, answers again, and every retried order is stored exactly once', async () => {
    const server = await spawnServer(postgres.url);
    const tablets = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(
        async (n) => new Api(server.baseUrl, (await createDevice(pool, `Tablet ${n}`, 'waiter')).token),
      ),
    );
    const kitchen = new Api(server.baseUrl, (await createDevice(pool, 'Pass', 'kitchen')).token);
    const fx = await Fixtures.load(tablets[0]!);

    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    /** A tablet's outbox in short: the same key until a final answer; 5xx and no answer are tried again. */
    async function untilFinal(send: () => Promise<{ status: number; body: unknown }>) {
      for (let attempt = 0; ; attempt++) {
        const answer = await send().catch(() => ({ status: 0, body: undefined }));
        count(answer.status);
        if (answer.status !== 0 && answer.status < 500) return answer;
        if (attempt > 400) throw new Error('never got a final answer');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    const placed: { id: string; status: number }[] = [];
    const bumped: string[] = [];
    let loading = true;
    const load = [
      ...tablets.map(async (tablet) => {
        while (loading) {
          const order = fx.order(1 + Math.floor(Math.random() * 90));
          const key = randomUUID();
          const answer = await untilFinal(() => tablet.post('/api/orders', order, key));
          placed.push({ id: order.id, status: answer.status });
          // The kitchen starts on it: a transactional write beside the one-statement orders.
          const item = order.items[0]!;
          const bumpKey = randomUUID();
          if (answer.status === 201) {
            const path = `/api/tables/${order.tableId}/items/${item.id}`;
            const bump = await untilFinal(() => kitchen.patch(path, { status: 'cooking' }, bumpKey));
            expect(bump.status).toBe(200);
            bumped.push(item.id);
          }
        }
      }),
      (async () => {
        while (loading) {
          await untilFinal(() => kitchen.get('/api/orders/open'));
        }
      })(),
    ];

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await crashPostgres();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await startPostgres();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    loading = false;
    await Promise.all(load);

    expect(server.child.exitCode, server.output()).toBeNull();
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
    // The outage was felt (else this test proves nothing), as 503s and refused connections, never as a 500.
    expect((statuses.get(503) ?? 0) + (statuses.get(0) ?? 0)).toBeGreaterThan(0);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.every((p) => p.status === 201)).toBe(true);

    const ids = placed.map((p) => p.id);
    const { rows } = await pool.query<{ orders: number; items: number; events: number; cooking: number }>(
      `SELECT (SELECT count(*) FROM orders WHERE id = ANY($1::uuid[]))::int AS orders,
              (SELECT count(*) FROM order_items WHERE order_id = ANY($1::uuid[]))::int AS items,
              (SELECT count(*) FROM events WHERE type = 'order.created' AND order_id = ANY($1::uuid[]))::int AS events,
              (SELECT count(*) FROM order_items WHERE id = ANY($2::uuid[]) AND status = 'cooking' AND version = 2)::int AS cooking`,
      [ids, bumped],
    );
    expect(rows[0]).toEqual({ orders: ids.length, items: 3 * ids.length, events: ids.length, cooking: bumped.length });
    // Every order placed, and nothing else.
    const { rows: all } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders`);
    expect(all[0]!.n).toBe(ids.length);
  }, 180_000);

  it('a server started while PostgreSQL is down waits for it, then starts', async () => {
    await crashPostgres();
    const server = await spawnServer(postgres.url, false);
    for (let waited = 0; !server.output().includes('PostgreSQL is not accepting connections yet'); waited += 50) {
      expect(server.child.exitCode, server.output()).toBeNull();
      if (waited > 20_000) throw new Error(`no waiting line:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await startPostgres();
    await listening(server);
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
  }, 120_000);
});
