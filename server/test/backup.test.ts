import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backup, restore } from '../src/backup/backup.js';
import { localTime, scheduleBackups } from '../src/backup/schedule.js';
import { createPool } from '../src/db/pool.js';
import { createLogger } from '../src/logger.js';
import { createEmptyDatabase, deviceApi, startTestApp, startTestServer, type TestApp } from './harness.js';

const logger = createLogger('silent');
let app: TestApp;
let dir: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  app = await startTestApp();
  dir = await mkdtemp(path.join(tmpdir(), 'chit-backup-'));
  // A restaurant's worth of history: orders, a bumped item, a voided one, an 86'd dish.
  for (let table = 1; table <= 5; table++) {
    const order = app.fx.order(table);
    expect((await app.waiter.post('/api/orders', order)).status).toBe(201);
    const item = order.items[0]!;
    const current = await app.kitchen.get(`/api/tables/${order.tableId}/items/${item.id}`);
    await app.kitchen.patch(`/api/tables/${order.tableId}/items/${item.id}`, { status: 'cooking' }, undefined, {
      'If-Match': current.headers.get('etag')!,
    });
  }
  const voided = app.fx.order(6);
  await app.waiter.post('/api/orders', voided);
  await app.waiter.delete(`/api/tables/${voided.tableId}/items/${voided.items[1]!.id}`, { reason: 'wrong table' });
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every row of every table and every sequence's value, in a comparable form. */
async function contents(url: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'pgmigrations' ORDER BY 1`,
    );
    const result: Record<string, unknown> = {};
    for (const { name } of tables.rows) {
      // An event not yet positioned gets the restoring cluster's transaction id (so it is
      // positioned there): the one column that may differ.
      const columns = name === 'events' ? `*, NULL AS tx_id` : '*';
      const { rows } = await client.query(`SELECT ${columns} FROM "${name}" ORDER BY 1`);
      result[name] = rows.map((row: Record<string, unknown>) => JSON.stringify(row, (_k, v: unknown) => v)).sort();
    }
    const sequences = await client.query(
      `SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`,
    );
    result.sequences = sequences.rows;
    result.migrations = (await client.query(`SELECT name FROM pgmigrations ORDER BY id`)).rows;
    return result;
  } finally {
    await client.end();
  }
}

async function emptyDatabase(): Promise<string> {
  const empty = await createEmptyDatabase();
  cleanups.push(() => empty.close());
  return empty.url;
}

describe('backup and restore', () => {
  for (const format of ['auto', 'chit'] as const) {
    it(`a backup (${format}) restored into a fresh database holds the same orders, and takes new ones`, async () => {
      const made = await backup(app.db.url, dir, { keep: 10, logger, format });
      if (format === 'chit') expect(made.format).toBe('chit');
      expect(path.basename(made.file)).toMatch(/^chit-\d{8}-\d{6}\.(dump|chitdump)$/);

      const target = await emptyDatabase();
      await restore(target, made.file, logger);
      const [before, after] = await Promise.all([contents(app.db.url), contents(target)]);
      expect(after).toEqual(before);
      expect((before.orders as unknown[]).length).toBe(6);

      // The restored database works: the same waiter's token, a new order, its event after the old ones.
      const pool = createPool(target, 4, logger);
      const server = await startTestServer(pool);
      try {
        const waiter = await deviceApi(pool, server.baseUrl, 'waiter', 'Restored tablet');
        expect((await waiter.post('/api/orders', app.fx.order(7))).status).toBe(201);
        const orders = await pool.query(`SELECT count(*)::int AS n FROM orders`);
        expect(orders.rows[0].n).toBe(7);
      } finally {
        await server.close();
        await pool.end();
      }
    });
  }

  it('keeps only the newest backups', async () => {
    const keepDir = path.join(dir, 'keep');
    for (const minute of [1, 2, 3, 4]) {
      await backup(app.db.url, keepDir, { keep: 2, logger, now: new Date(Date.UTC(2026, 0, 1, 3, minute)) });
    }
    const names = (await readdir(keepDir)).sort();
    expect(names.map((name) => name.replace(/\.(dump|chitdump)$/, ''))).toEqual([
      'chit-20260101-030300',
      'chit-20260101-030400',
    ]);
  });

  it('refuses to restore over a database that has data', async () => {
    const made = await backup(app.db.url, path.join(dir, 'refuse'), { keep: 1, logger });
    await expect(restore(app.db.url, made.file, logger)).rejects.toThrow(/not empty/);
    expect((await app.waiter.get('/api/orders/open')).status).toBe(200);
  });

  it("runs the nightly backup once, at the set time in the restaurant's time zone", async () => {
    const nightly = path.join(dir, 'nightly');
    // 02:59 in Berlin (01:59 UTC in winter).
    let now = new Date('2026-01-10T01:59:00Z');
    expect(localTime(now, 'Europe/Berlin')).toEqual({ day: '2026-01-10', time: '02:59' });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const stop = scheduleBackups(
        { databaseUrl: app.db.url, dir: nightly, keep: 3, at: '03:00', timezone: 'Europe/Berlin' },
        logger,
        () => now,
      );
      // The day it starts counts as done: a server started after 03:00 does not back up at once.
      now = new Date('2026-01-11T01:59:30Z');
      vi.advanceTimersByTime(30_000);
      expect(await readdir(nightly).catch(() => [])).toEqual([]);
      now = new Date('2026-01-11T02:00:10Z');
      vi.advanceTimersByTime(30_000);
      await expect.poll(async () => (await readdir(nightly).catch(() => [])).length, { timeout: 10_000 }).toBe(1);
      now = new Date('2026-01-11T02:30:00Z');
      vi.advanceTimersByTime(30_000);
      vi.advanceTimersByTime(30_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await readdir(nightly)).toHaveLength(1);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
