import 'fake-indexeddb/auto';
import { afterEach, expect } from 'vitest';
import { saveMenu, saveTables } from '../db/cache.js';
import { saveSession } from '../db/meta.js';
import { discardEntry } from '../db/outbox.js';
import { requestOf } from '../db/mutations/index.js';
import { openDb, type ChitDb } from '../db/schema.js';
import { placeOrder } from '../db/mutations/createOrder.js';
import type { Ctx } from '../db/mutations/define.js';
import { addToCart } from '../db/writes.js';
import { Api } from '../sync/api.js';
import { inProcessLock, type SendLock } from '../sync/lock.js';
import { OutboxSender, type Timers } from '../sync/outbox.js';
import { errorReply, FakeServer } from './fake-server.js';
import { ids, menu, tables, testUuid } from './fixtures.js';

/** setTimeout that only fires when the test says so, and remembers when it was asked to. */
export class ManualTimers implements Timers {
  pending: { fn: () => void; ms: number; id: number }[] = [];
  private nextId = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ fn, ms, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }
  /** The delay of the one scheduled retry, if any. */
  get scheduled(): number | null {
    return this.pending.at(-1)?.ms ?? null;
  }
  fire(): void {
    const timers = this.pending;
    this.pending = [];
    for (const t of timers) t.fn();
  }
}

let dbCounter = 0;
export function uniqueDbName(): string {
  dbCounter += 1;
  return `chit-test-${dbCounter}-${Math.random().toString(36).slice(2)}`;
}

export interface Harness {
  db: ChitDb;
  dbName: string;
  server: FakeServer;
  api: Api;
  sender: OutboxSender;
  timers: ManualTimers;
  clock: { now: number };
  ctx: Ctx;
  lock: SendLock;
  unauthorized: string[];
  /** What the browser's navigator.onLine would say. */
  network: { up: boolean };
  /** Puts one dish in the cart and sends the cart as an order, like a waiter would; returns the order id. */
  order: (tableId?: string, menuItemId?: string, quantity?: number) => Promise<string>;
}

export async function harness(
  options: {
    dbName?: string;
    server?: FakeServer;
    lock?: SendLock;
    clock?: { now: number };
    random?: () => number;
    seed?: boolean;
  } = {},
): Promise<Harness> {
  const dbName = options.dbName ?? uniqueDbName();
  const db = openDb(dbName);
  await db.open();
  const server = options.server ?? new FakeServer();
  const clock = options.clock ?? { now: Date.parse('2025-01-01T12:00:00Z') };
  const ctx: Ctx = { now: () => clock.now, uuid: testUuid };
  if (options.seed !== false) {
    await saveMenu(db, menu, clock.now);
    await saveTables(db, tables);
    await saveSession(db, {
      token: 'test-token-abcdefghijkl',
      device: {
        id: ids.device,
        name: 'Tablet 1',
        role: 'waiter',
        createdAt: '2025-01-01T00:00:00.000Z',
        lastSeenAt: null,
        revokedAt: null,
        appVersion: null,
      },
    });
  }
  const api = new Api({ fetch: server.fetch });
  api.setToken('test-token-abcdefghijkl');
  const timers = new ManualTimers();
  const lock = options.lock ?? inProcessLock();
  const unauthorized: string[] = [];
  const network = { up: true };
  const sender = new OutboxSender({
    db,
    api,
    lock,
    now: () => clock.now,
    random: options.random ?? (() => 0.5),
    timers,
    isOffline: () => !network.up,
    onUnauthorized: (message) => unauthorized.push(message),
  });
  const order = async (tableId = ids.table1, menuItemId = ids.soup, quantity = 1) => {
    await addToCart(db, ctx, tableId, { menuItemId, modifierOptionIds: [], quantity, note: '' });
    const result = await placeOrder(db, ctx, { cartId: tableId, staffName: 'Ana' });
    if (!result.ok || !result.orderId) throw new Error(`could not place the order: ${JSON.stringify(result)}`);
    return result.orderId;
  };
  return { db, dbName, server, api, sender, timers, clock, ctx, lock, unauthorized, network, order };
}

/** The outbox in order, each entry with its mutation's name (`kind`) and the request it becomes. */
export async function outboxRequests(db: ChitDb) {
  const entries = await db.outbox.orderBy('seq').toArray();
  return entries.map((entry) => ({ ...entry, kind: entry.mutation.name, ...requestOf(entry.mutation) }));
}

/** Makes harnesses that are stopped and closed after each test. */
export function harnesses(): (...args: Parameters<typeof harness>) => Promise<Harness> {
  const open: Harness[] = [];
  afterEach(() => {
    for (const h of open.splice(0)) {
      h.sender.stop();
      h.db.close();
    }
  });
  return async (...args) => {
    const h = await harness(...args);
    open.push(h);
    return h;
  };
}

/** Fires the scheduled probe and waits for it, and for the drain it starts, to finish. */
export async function fireProbe(h: Harness): Promise<void> {
  h.timers.fire();
  await h.sender.whenIdle();
}

/** What reached the server, in order: each order's id, or the path of any other write. */
export const orderIdsSent = (h: Harness) =>
  h.server.writes().map((r) => (r.path === '/api/orders' ? (r.body as { id: string }).id : r.path));

/**
 * The next send lands but its answer is lost; the retry, a minute later under a new token
 * (a new device to the server, so no replay), is told 409 `order_exists`.
 */
export async function orderExistsAfterLostAnswer(h: Harness): Promise<void> {
  h.server.next((request) => {
    h.server.defaultReply(request);
    return 'network';
  });
  await h.sender.kick();
  h.server.next(() => errorReply(409, 'order_exists', 'An order with this id already exists.'));
  h.clock.now += 60_000;
  await h.sender.kick();
}

/** Discards the outbox entry of a refused order, and checks the outbox is empty and the order's lines are gone. */
export async function discardRefusedOrder(h: Harness, seq: number, orderId: string): Promise<void> {
  await discardEntry(h.db, seq);
  expect(await h.db.outbox.count()).toBe(0);
  expect(await h.db.items.where('orderId').equals(orderId).count()).toBe(0);
}
