import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DevicesResponse, type DeviceSummary, type MenuResponse, type Role, type Table } from '@chit/shared';
import pg from 'pg';
import { inject, test, vi } from 'vitest';
import { createApp } from '../src/app.js';
import type { Clock, Random } from '../src/clock.js';
import { loadConfig, type Config } from '../src/config.js';
import { ensureDatabase } from '../src/db/embedded.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { createDevice } from '../src/devices/store.js';
import { createLiveEvents, type LiveEvents } from '../src/events/live.js';
import { createLogger, type Logger } from '../src/logger.js';
import { watchInstance, type Metrics } from '../src/metrics/metrics.js';
import { seededDatabase, type SeededDatabase } from './seeded-database.js';

const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

export type TestDatabase = SeededDatabase;

/** A new, empty database (no migrations): for the tests of migrating itself. */
export async function createEmptyDatabase(): Promise<{ url: string; close(): Promise<void> }> {
  const admin = new URL(inject('adminDatabaseUrl'));
  const name = `chit_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await ensureDatabase(admin.toString(), name);
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    close: async () => {
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A fresh, migrated and seeded database of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  // Tests wait at most a second for a lock (e.g. a retry behind the first request with its key).
  return seededDatabase(empty.url, logger, 30, () => empty.close(), { lockTimeoutMs: 1000 });
}

export interface TestServer {
  baseUrl: string;
  /** Present when the server was started with `events`. */
  events?: LiveEvents;
  close(): Promise<void>;
}

export interface TestServerOptions {
  clock?: Clock;
  random?: Random;
  config?: Partial<Config>;
  /** Run the live event stream (its LISTEN connection needs the database's URL). */
  events?: { databaseUrl: string; config?: Partial<Config['events']> };
  logger?: Logger;
  /** Wired as main.ts wires it: requests, the pool, the streams and their lag. */
  metrics?: Metrics;
}

/** The real app on a real port, over the given pool. */
export async function startTestServer(pool: Pool, options: TestServerOptions = {}): Promise<TestServer> {
  const config: Config = { ...loadConfig({}), clientDist: '/nonexistent', ...options.config };
  const log = options.logger ?? logger;
  let events: LiveEvents | undefined;
  if (options.events) {
    config.events = { ...config.events, ...options.events.config };
    const metrics = options.metrics;
    events = createLiveEvents({
      pool,
      databaseUrl: options.events.databaseUrl,
      logger: log,
      config: config.events,
      ...(metrics ? { onLag: (seconds: number) => metrics.eventLag.observe(seconds) } : {}),
    });
    await events.start();
  }
  if (options.metrics) {
    const live = events;
    watchInstance(options.metrics, pool, () => live?.hub.streams ?? 0, log);
  }
  const app = createApp({
    pool,
    clock: options.clock ?? { now: () => new Date() },
    random: options.random ?? Math.random,
    config,
    logger: log,
    ...(events ? { events } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    ...(events ? { events } : {}),
    close: async () => {
      events?.closeStreams();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await events?.stop();
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  /** The body exactly as it came. */
  text: string;
}

/** A tiny HTTP client bound to one device's token. */
export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; key?: string | null } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
    // Writes get a fresh Idempotency-Key unless the test says which (or null for none).
    if (method !== 'GET' && options.key !== null) headers['idempotency-key'] ??= options.key ?? randomUUID();
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    // The API reference's page and script are not JSON; everything else the API answers is.
    const json = res.headers.get('content-type')?.includes('json') ?? true;
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (json ? JSON.parse(text) : text) : undefined,
      text,
    };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body: unknown, key?: string | null, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { body, key, headers });
  }
  patch<T = any>(path: string, body: unknown, key?: string | null, headers?: Record<string, string>) {
    return this.request<T>('PATCH', path, { body, key, headers });
  }
  delete<T = any>(path: string, body?: unknown, key?: string | null, headers?: Record<string, string>) {
    return this.request<T>('DELETE', path, { body, key, headers });
  }
}

export async function deviceApi(pool: Pool, baseUrl: string, role: Role, name = `${role} device`): Promise<Api> {
  const { token } = await createDevice(pool, name, role);
  return new Api(baseUrl, token);
}

/** A device as the manager's list (`GET /api/devices`) shows it, found by name. */
export async function listedDevice(manager: Api, name: string): Promise<DeviceSummary> {
  const res = await manager.get('/api/devices');
  if (res.status !== 200) throw new Error(`GET /api/devices answered ${res.status}`);
  const device = DevicesResponse.parse(res.body).devices.find((d) => d.name === name);
  if (!device) throw new Error(`no device ${name}`);
  return device;
}

export interface TestApp {
  db: TestDatabase;
  server: TestServer;
  waiter: Api;
  kitchen: Api;
  manager: Api;
  fx: Fixtures;
  close(): Promise<void>;
}

export interface TestAppOptions extends Omit<TestServerOptions, 'events'> {
  /** Run the live event stream over the app's own database: `true`, or settings over the defaults. */
  events?: true | Partial<Config['events']>;
  /** The server's lock timeout, for a test that holds a lock longer than the second the tests' pool waits. */
  lockTimeoutMs?: number;
}

/**
 * What most test files start with: their own database, the app over it, one device per
 * role (waiter "Tablet 1", kitchen "Pass", manager "Office") and the seeded fixtures.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const { events, lockTimeoutMs, ...serverOptions } = options;
  const pool = lockTimeoutMs === undefined ? db.pool : createPool(db.url, 20, logger, { lockTimeoutMs });
  const server = await startTestServer(pool, {
    ...serverOptions,
    ...(events ? { events: { databaseUrl: db.url, ...(events === true ? {} : { config: events }) } } : {}),
  });
  const [waiter, kitchen, manager] = await Promise.all([
    deviceApi(db.pool, server.baseUrl, 'waiter', 'Tablet 1'),
    deviceApi(db.pool, server.baseUrl, 'kitchen', 'Pass'),
    deviceApi(db.pool, server.baseUrl, 'manager', 'Office'),
  ]);
  const app: TestApp = {
    db,
    server,
    waiter,
    kitchen,
    manager,
    fx: await Fixtures.load(waiter),
    // Reads app.server at close time: a test may restart the server and put the new one here.
    close: async () => {
      await app.server.close();
      if (pool !== db.pool) await pool.end();
      await app.db.close();
    },
  };
  return app;
}

/** Looks up seeded menu items and tables by name, for building orders. */
export class Fixtures {
  constructor(
    readonly menu: MenuResponse,
    readonly tables: Table[],
  ) {}

  static async load(api: Api): Promise<Fixtures> {
    const [menu, tables] = await Promise.all([
      api.get<MenuResponse>('/api/menu'),
      api.get<{ tables: Table[] }>('/api/tables'),
    ]);
    return new Fixtures(menu.body, tables.body.tables);
  }

  item(name: string) {
    const item = this.menu.items.find((i) => i.name === name);
    if (!item) throw new Error(`no menu item ${name}`);
    return item;
  }

  option(itemName: string, optionName: string): string {
    for (const group of this.item(itemName).modifierGroups) {
      const option = group.options.find((o) => o.name === optionName);
      if (option) return option.id;
    }
    throw new Error(`no option ${optionName} on ${itemName}`);
  }

  table(number: number): Table {
    const table = this.tables.find((t) => t.number === number);
    if (!table) throw new Error(`no table ${number}`);
    return table;
  }

  /** A valid order: a medium pizza with pepperoni, a burger with a note, and a cola. */
  order(tableNumber = 12) {
    return {
      id: randomUUID(),
      tableId: this.table(tableNumber).id,
      staffName: 'Ana',
      items: [
        {
          id: randomUUID(),
          menuItemId: this.item('Margherita').id,
          quantity: 1,
          modifierOptionIds: [this.option('Margherita', 'Medium'), this.option('Margherita', 'Pepperoni')],
        },
        { id: randomUUID(), menuItemId: this.item('Burger').id, quantity: 2, note: 'no pickles' },
        { id: randomUUID(), menuItemId: this.item('Cola').id, quantity: 1 },
      ],
    };
  }
}

/** Row counts of every table a write could touch: "nothing written" means these did not move. */
export interface Counts {
  orders: number;
  order_items: number;
  events: number;
  /** Keys of writes that went through: a refusal keeps its key too, but changes nothing. */
  idempotency_keys: number;
  item_versions: number;
}

export async function snapshotCounts(pool: Pool): Promise<Counts> {
  const { rows } = await pool.query<Counts>(`
    SELECT (SELECT count(*) FROM orders)::int AS orders,
           (SELECT count(*) FROM order_items)::int AS order_items,
           (SELECT count(*) FROM events)::int AS events,
           (SELECT count(*) FROM idempotency_keys WHERE response_status < 400)::int AS idempotency_keys,
           (SELECT coalesce(sum(version), 0) FROM order_items)::int AS item_versions`);
  return rows[0]!;
}

/**
 * The test API of a file that works on one app (`startTestApp`): a file-scoped `app`
 * fixture, started for the file's first test (or `it.beforeAll`) that asks for it and
 * closed after its last, as e2e/support/fixtures.ts does for Playwright.
 */
export function appTest(options: TestAppOptions = {}) {
  // eslint-disable-next-line no-empty-pattern -- Vitest reads a fixture's dependencies from this pattern; it has none
  return test.extend('app', { scope: 'file' }, async ({}, { onCleanup }) => {
    const app = await startTestApp(options);
    // Reads app.server at close time: a test may restart the server and put the new one there.
    onCleanup(() => app.close());
    return app;
  });
}

/** Waits until some transaction waits for a lock: a request sent is inside its transaction, held. */
export async function untilSomeoneWaitsForALock(pool: Pool, timeoutMs = 10_000): Promise<void> {
  await vi.waitFor(
    async () => {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`);
      if (rows[0]!.n === 0) throw new Error('no transaction waits for a lock');
    },
    { timeout: timeoutMs, interval: 10 },
  );
}
