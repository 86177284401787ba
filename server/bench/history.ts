/**
 * Chit after months of service vs. a fresh database, in one run.
 *
 *   pnpm --filter @chit/server run bench:history  [-- --days 30 --orders-per-day 5500 --event-days 3 --seconds 8]
 *
 * Fills one embedded PostgreSQL with `--days` of a busy restaurant (orders, items, table
 * clears, idempotency keys; events for the last `--event-days`, the log being pruned to
 * EVENTS_RETENTION_DAYS anyway) in bulk with SQL `generate_series`, not through HTTP, and
 * starts a second, fresh one. Against the built server on each it measures: order intake
 * (orders/s, the history's as a ratio of the fresh one's), p50/p99 and bytes of a table's
 * items, the open orders, one order, today's report and a past day's report, a stream
 * resumed a day back, and the database's size, extrapolated to a restaurant-year. Then it
 * restarts both PostgreSQLs and servers (cold caches) and measures again.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { benchOptions } from '@chit/e2e/bench';
import autocannon from 'autocannon';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.js';
import { createDevice } from '../src/devices/store.js';
import { createLogger } from '../src/logger.js';
import { seededDatabase, type SeededDatabase } from '../test/seeded-database.js';
import { fill } from './history-fill.js';
import {
  freePort,
  median,
  orderFactory,
  percentile,
  startServer,
  type OrderFactory,
  type RunningServer,
} from './lib.js';

const options = benchOptions({ days: 30, 'orders-per-day': 5500, 'event-days': 3, seconds: 8, samples: 200 });
const { days, seconds, samples } = options;
const ordersPerDay = options['orders-per-day'];
const eventDays = Math.min(days, options['event-days']);
const logger = createLogger('warn');

/** One of the two databases; kept on disk across a restart of its PostgreSQL. */
type Db = SeededDatabase & { dir: string; pg: EmbeddedDatabase };

async function openDb(dir: string, port: number): Promise<Db> {
  const pg = await startEmbeddedPostgres(dir, port, logger);
  return { dir, pg, ...(await seededDatabase(pg.url, logger, 8, () => pg.stop())) };
}

async function newDb(): Promise<Db> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chit-history-'));
  await chmod(dir, 0o755);
  return openDb(dir, await freePort());
}

const seconds_ = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Measure {
  p50: number;
  p99: number;
  bytes: number;
}

async function timedGets(baseUrl: string, token: string, paths: () => string): Promise<Measure> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    bytes = Math.max(
      bytes,
      await new Promise<number>((resolve, reject) => {
        http
          .get(`${baseUrl}${paths()}`, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
            let size = 0;
            res.on('data', (chunk: Buffer) => (size += chunk.length));
            res.on('end', () => (res.statusCode === 200 ? resolve(size) : reject(new Error(`${res.statusCode}`))));
          })
          .on('error', reject);
      }),
    );
    times.push(performance.now() - started);
  }
  agent.destroy();
  return { p50: median(times), p99: percentile(times, 99), bytes };
}

async function intake(baseUrl: string, factory: OrderFactory): Promise<{ ordersPerSec: number; p99: number }> {
  const bodies = Array.from({ length: 3000 * seconds }, () => JSON.stringify(factory.order()));
  let next = 0;
  const result = await autocannon({
    url: baseUrl,
    connections: 32,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/orders',
        setupRequest: (req) => ({
          ...req,
          body: bodies[next++ % bodies.length],
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${factory.nextToken()}`,
            'idempotency-key': randomUUID(),
          },
        }),
      },
    ],
  });
  return { ordersPerSec: result.requests.average, p99: result.latency.p99 };
}

/** Opens the stream a day back and reads until the head; the time to catch up. */
async function resumeDayBack(db: Db, baseUrl: string, token: string): Promise<{ events: number; ms: number }> {
  const { rows } = await db.pool.query<{ from: number | null; head: number }>(
    `SELECT (SELECT min(position) FROM events WHERE created_at >= now() - interval '1 day') AS from,
            coalesce((SELECT max(position) FROM events), 0) AS head`,
  );
  const from = rows[0]!.from;
  if (from === null) return { events: 0, ms: 0 };
  const head = rows[0]!.head;
  const started = performance.now();
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    const req = http.get(
      `${baseUrl}/api/events?after=${from - 1}&compact=1`,
      { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
      (res) => {
        let tail = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const text = tail + chunk;
          const cut = text.lastIndexOf('\n\n');
          if (cut < 0) {
            tail = text;
            return;
          }
          for (const match of text.slice(0, cut).matchAll(/^id: (\d+)$/gm)) {
            count++;
            if (Number(match[1]) >= head) {
              req.destroy();
              resolve();
            }
          }
          tail = text.slice(cut + 2);
        });
        res.on('end', () => resolve());
      },
    );
    req.on('error', (err) => (count > 0 ? resolve() : reject(err)));
  });
  return { events: count, ms: performance.now() - started };
}

interface Figures {
  intake: { ordersPerSec: number; p99: number };
  tableItems: Measure;
  openOrders: Measure;
  oneOrder: Measure;
  today: Measure;
  pastDay: Measure;
  resume: { events: number; ms: number };
}

/**
 * Waits for autovacuum's next pass over the items. The intake writes in seconds what a
 * restaurant writes in a day; in service, autovacuum passes every few thousand rows
 * (migration 0015), so no read meets a whole day of pages it has not seen. Both sides wait
 * alike; the wait is printed.
 */
async function vacuumed(db: Db): Promise<void> {
  const started = performance.now();
  const since = new Date();
  for (let i = 0; i < 120; i++) {
    const { rows } = await db.pool.query<{ at: Date | null }>(
      `SELECT greatest(last_autovacuum, last_vacuum) AS at FROM pg_stat_user_tables WHERE relname = 'order_items'`,
    );
    if (rows[0]?.at && new Date(rows[0].at) >= since) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  console.log(`  (autovacuum passed over the items ${seconds_(performance.now() - started)} after the intake)`);
}

async function measure(db: Db, server: RunningServer, factory: OrderFactory): Promise<Figures> {
  const token = factory.token;
  const taken = await intake(server.baseUrl, factory);
  // The intake leaves thousands of orders open, which no kitchen has: keep the rush's working
  // set (the newest 60 tickets) open and serve the rest in SQL, on both sides alike.
  await db.pool.query(
    `UPDATE order_items SET status = 'served', ready_at = coalesce(ready_at, now()), served_at = now()
      WHERE status IN ('queued', 'cooking', 'ready')
        AND order_id NOT IN (SELECT id FROM orders ORDER BY created_at DESC LIMIT 60)`,
  );
  await vacuumed(db);
  const { rows: tables } = await db.pool.query<{ id: string }>(`SELECT id FROM dining_tables`);
  const { rows: orders } = await db.pool.query<{ id: string }>(`SELECT id FROM orders ORDER BY random() LIMIT 500`);
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const pastDay = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
  const figures: Figures = {
    intake: taken,
    tableItems: await timedGets(server.baseUrl, token, () => `/api/tables/${pick(tables).id}/items`),
    openOrders: await timedGets(server.baseUrl, token, () => '/api/orders/open'),
    oneOrder: await timedGets(server.baseUrl, token, () => `/api/orders/${pick(orders).id}`),
    today: { p50: 0, p99: 0, bytes: 0 },
    pastDay: { p50: 0, p99: 0, bytes: 0 },
    resume: await resumeDayBack(db, server.baseUrl, token),
  };
  const { token: managerToken } = await createDevice(db.pool, `bench manager ${randomUUID().slice(0, 8)}`, 'manager');
  figures.today = await timedGets(server.baseUrl, managerToken, () => '/api/reports/today');
  figures.pastDay = await timedGets(
    server.baseUrl,
    managerToken,
    () => `/api/reports/today?from=${pastDay}&to=${pastDay}`,
  );
  return figures;
}

function print(label: string, fresh: Figures, history: Figures): void {
  const row = (name: string, f: Measure, h: Measure) =>
    console.log(
      `  ${name.padEnd(18)} fresh p50 ${f.p50.toFixed(1).padStart(6)} ms p99 ${f.p99.toFixed(1).padStart(6)} ms ${(f.bytes / 1024).toFixed(0).padStart(6)} KB` +
        ` | history p50 ${h.p50.toFixed(1).padStart(6)} ms p99 ${h.p99.toFixed(1).padStart(6)} ms ${(h.bytes / 1024).toFixed(0).padStart(6)} KB`,
    );
  console.log(`\n${label}`);
  console.log(
    `  order intake       fresh ${fresh.intake.ordersPerSec.toFixed(0)} orders/s (p99 ${fresh.intake.p99} ms)` +
      ` | history ${history.intake.ordersPerSec.toFixed(0)} orders/s (p99 ${history.intake.p99} ms)` +
      ` | ratio ${(history.intake.ordersPerSec / fresh.intake.ordersPerSec).toFixed(2)}`,
  );
  row("a table's items", fresh.tableItems, history.tableItems);
  row('open orders', fresh.openOrders, history.openOrders);
  row('one order', fresh.oneOrder, history.oneOrder);
  row("today's report", fresh.today, history.today);
  row("a past day's report", fresh.pastDay, history.pastDay);
  console.log(
    `  resume a day back  history: ${history.resume.events.toLocaleString('en')} events in ${seconds_(history.resume.ms)}` +
      ` (${history.resume.ms > 0 ? (history.resume.events / (history.resume.ms / 1000)).toFixed(0) : '—'} events/s)`,
  );
}

async function sizes(db: Db): Promise<void> {
  const { rows } = await db.pool.query<{ name: string; bytes: number }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c
      WHERE c.relname IN ('orders', 'order_items', 'events', 'idempotency_keys')
     UNION ALL SELECT 'database', pg_database_size(current_database())`,
  );
  const of = (name: string) => rows.find((r) => r.name === name)!.bytes;
  const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GB`;
  // Orders and items are kept forever: they grow with days. Events are kept for 14 days,
  // keys for 30: a year holds that many days of them, whatever its length.
  const perDay = (of('orders') + of('order_items')) / days;
  const year = perDay * 365 + (of('events') / eventDays) * 14 + of('idempotency_keys');
  console.log(
    `\nsize: database ${gb(of('database'))} for ${days} days (orders ${gb(of('orders'))}, items ${gb(of('order_items'))},` +
      ` events ${gb(of('events'))} for ${eventDays} days, keys ${gb(of('idempotency_keys'))})`,
  );
  console.log(
    `  per restaurant-year (orders and items x 365 days, events x 14 days kept, keys 30 days kept): ${gb(year)}`,
  );
}

async function restart(db: Db): Promise<Db> {
  const port = Number(new URL(db.url).port);
  await db.close();
  return openDb(db.dir, port);
}

async function main(): Promise<void> {
  console.log(
    `history bench: ${days} days x ${ordersPerDay.toLocaleString('en')} orders/day (a year would be 365 days), events for ${eventDays} days`,
  );
  let fresh = await newDb();
  let history = await newDb();
  started.push(fresh, history);
  await fill(history.pool, { days, ordersPerDay, eventDays });
  await sizes(history);
  let freshServer = await startServer(fresh.url);
  let historyServer = await startServer(history.url);
  const freshFactory = await orderFactory(fresh.pool, freshServer.baseUrl, 16);
  const historyFactory = await orderFactory(history.pool, historyServer.baseUrl, 16);
  // Alternate, so neither side always runs on the busier moment of a shared machine.
  const historyWarm = await measure(history, historyServer, historyFactory);
  const freshWarm = await measure(fresh, freshServer, freshFactory);
  print('warm', freshWarm, historyWarm);

  await Promise.all([freshServer.stop(), historyServer.stop()]);
  [fresh, history] = [await restart(fresh), await restart(history)];
  started.push(fresh, history);
  [freshServer, historyServer] = [await startServer(fresh.url), await startServer(history.url)];
  const historyCold = await measure(history, historyServer, historyFactory);
  const freshCold = await measure(fresh, freshServer, freshFactory);
  print(
    'after a restart of PostgreSQL and the server (PostgreSQL caches cold; the OS file cache is not)',
    freshCold,
    historyCold,
  );

  await Promise.all([freshServer.stop(), historyServer.stop()]);
  for (const db of [fresh, history]) {
    await db.close();
    await rm(db.dir, { recursive: true, force: true });
  }
}

/** Every PostgreSQL this run started: a crash must not leave them running. */
const started: Db[] = [];
try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
  await Promise.all(started.map((db) => db.pg.stop().catch(() => undefined)));
}
