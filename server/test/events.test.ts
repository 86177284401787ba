import { randomUUID } from 'node:crypto';
import { EventStreamReady, type ChitEvent } from '@chit/shared';
import { afterAll, describe, expect } from 'vitest';
import { createLogger } from '../src/logger.js';
import { appTest, untilSomeoneWaitsForALock, deviceApi, startTestServer } from './harness.js';
import type { Api, Fixtures, TestDatabase, TestServer } from './harness.js';
import { SseClient } from './sse.js';

let db: TestDatabase;
let server: TestServer;
let waiter: Api;
let otherWaiter: Api;
let kitchen: Api;
let fx: Fixtures;

// The gap test holds an order on a lock while 40 others go through: the server waits that long.
const it = appTest({ events: { heartbeatMs: 250 }, lockTimeoutMs: 30_000 });

it.beforeAll(async ({ app }) => {
  ({ db, server, waiter, kitchen, fx } = app);
  otherWaiter = await deviceApi(db.pool, server.baseUrl, 'waiter', 'Tablet 2');
});

const streams: SseClient[] = [];

/** Opens `/api/events` as `api`'s device and waits for the `ready` frame. */
async function stream(api: Api, query = '', headers: Record<string, string> = {}): Promise<SseClient> {
  const s = await SseClient.open(`${server.baseUrl}/api/events${query}`, {
    authorization: `Bearer ${api.token}`,
    ...headers,
  });
  streams.push(s);
  await s.until(() => s.frames.some((f) => f.event === 'ready') || s.ended, 'the ready frame');
  return s;
}

function readyOf(s: SseClient): EventStreamReady & { frame: SseClient['frames'][number] } {
  const frame = s.frames.find((f) => f.event === 'ready')!;
  return { ...EventStreamReady.parse(JSON.parse(frame.data!)), frame };
}

/** The `n` events after the first `skip` (an unexpected extra one shifts them and fails the comparison). */
async function exactly(s: SseClient, skip: number, n: number): Promise<ChitEvent[]> {
  const events = await s.untilEvents(skip + n);
  return events.slice(skip, skip + n);
}

afterAll(() => {
  for (const s of streams) s.close();
});

function summary(events: readonly ChitEvent[]) {
  return events.map((e) => {
    switch (e.type) {
      case 'order.created':
        return `${e.type} ${e.data.order.id}`;
      case 'item.changed':
      case 'item.voided':
        return `${e.type} ${e.data.item.id}`;
      case 'menu.availability':
        return `${e.type} ${e.data.menuItemId} ${e.data.available}`;
      case 'menu.changed':
        return `${e.type} ${e.data.menuItemId ?? e.data.categoryId}`;
      case 'tables.changed':
      case 'table.cleared':
        return `${e.type} ${e.data.tableId}`;
      case 'order.allergy_acknowledged':
        return `${e.type} ${e.data.orderId}`;
    }
  });
}

describe('GET /api/events', () => {
  it('starts without a cursor from now: unbuffered headers, a retry hint and the head as id, then live events', async () => {
    const s = await stream(kitchen);
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(s.headers['cache-control']).toContain('no-cache');
    expect(s.headers['x-accel-buffering']).toBe('no');
    expect(s.headers['content-encoding']).toBeUndefined();
    const ready = readyOf(s);
    expect(ready.resumed).toBe(false);
    expect(ready.frame).toMatchObject({ id: String(ready.head), retry: 2000 });

    const order = fx.order(40);
    const placed = await waiter.post('/api/orders', order);
    expect(placed.status).toBe(201);
    const [event] = await s.untilEvents(1);
    expect(event).toMatchObject({ id: ready.head + 1, type: 'order.created', data: { order: placed.body.order } });
    expect(s.lastEventId).toBe(String(ready.head + 1));
  });

  it('sends new orders compact to streams that ask, in half the bytes, parsing to the same order', async () => {
    const full = await stream(kitchen);
    const compact = await stream(kitchen, '?compact=1');
    const placed = await waiter.post('/api/orders', fx.order(45));
    const [fromFull] = await full.untilEvents(1);
    const [fromCompact] = await compact.untilEvents(1);
    expect(fromFull).toMatchObject({ type: 'order.created', data: { order: placed.body.order } });
    expect(fromCompact).toEqual(fromFull);
    const size = (s: SseClient) => s.frames.find((f) => f.id === String(fromFull!.id))!.data!.length;
    expect(size(compact)).toBeLessThan(size(full) * 0.6);
    // A resumed stream's catch-up, read from the table, is compact too.
    const resumed = await stream(kitchen, `?compact=1&after=${fromFull!.id - 1}`);
    const [caughtUp] = await exactly(resumed, 0, 1);
    expect(caughtUp).toEqual(fromFull);
    expect(size(resumed)).toBe(size(compact));
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const s = await stream(waiter);
    await s.until(() => s.frames.some((f) => f.comment === 'heartbeat'), 'a heartbeat');
  });

  it('refuses a stream without a valid token, and bad parameters', async () => {
    const anonymous = await SseClient.open(`${server.baseUrl}/api/events`);
    await anonymous.until(() => anonymous.ended, 'the refusal');
    expect(anonymous.status).toBe(401);
    const badTable = await SseClient.open(`${server.baseUrl}/api/events?table=twelve`, {
      authorization: `Bearer ${waiter.token}`,
    });
    await badTable.until(() => badTable.ended, 'the refusal');
    expect(badTable.status).toBe(400);
  });

  it('takes the token as ?access_token on this route only, and keeps it out of the request log', async () => {
    const lines: string[] = [];
    let logged: () => void = () => {};
    const streamLogged = new Promise<void>((resolve) => (logged = resolve));
    const logger = createLogger('info', {
      write: (line: string) => {
        lines.push(line);
        if (line.includes('/api/events')) logged();
      },
    });
    const logged_server = await startTestServer(db.pool, { logger, events: { databaseUrl: db.url } });
    try {
      const token = waiter.token!;
      const s = await SseClient.open(`${logged_server.baseUrl}/api/events?access_token=${token}&mine=1`);
      await s.until(() => s.frames.some((f) => f.event === 'ready'), 'the ready frame');
      expect(s.status).toBe(200);
      s.close();
      await streamLogged;
      const menu = await fetch(`${logged_server.baseUrl}/api/menu?access_token=${token}`);
      expect(menu.status).toBe(401);
      expect(lines.some((l) => l.includes('access_token=[Redacted]'))).toBe(true);
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await logged_server.close();
    }
  });

  it('gives a client reconnecting with Last-Event-ID exactly the events it missed, then live ones', async () => {
    const first = await stream(waiter);
    const orderA = fx.order(41);
    await waiter.post('/api/orders', orderA);
    await first.untilEvents(1);
    const lastSeen = first.lastEventId!;
    first.close();

    // Missed while away: an order, a state change and a void.
    const orderB = fx.order(42);
    await waiter.post('/api/orders', orderB);
    await kitchen.patch(`/api/tables/${orderA.tableId}/items/${orderA.items[0]!.id}`, { status: 'cooking' });
    await waiter.delete(`/api/tables/${orderB.tableId}/items/${orderB.items[2]!.id}`);

    const again = await stream(waiter, '', { 'last-event-id': lastSeen });
    expect(readyOf(again).resumed).toBe(true);
    expect(readyOf(again).frame.id).toBeUndefined();
    const missed = await exactly(again, 0, 3);
    expect(summary(missed)).toEqual([
      `order.created ${orderB.id}`,
      `item.changed ${orderA.items[0]!.id}`,
      `item.voided ${orderB.items[2]!.id}`,
    ]);
    expect(missed.map((e) => e.id)).toEqual([1, 2, 3].map((i) => Number(lastSeen) + i));

    const orderC = fx.order(43);
    await waiter.post('/api/orders', orderC);
    const [live] = await exactly(again, 3, 1);
    expect(summary([live!])).toEqual([`order.created ${orderC.id}`]);

    // ?after= does the same for a client that opens a stream itself...
    const viaQuery = await stream(waiter, `?after=${lastSeen}`);
    expect(summary(await exactly(viaQuery, 0, 4))).toEqual([...summary(missed), `order.created ${orderC.id}`]);
    // ...and Last-Event-ID, which EventSource sends when it reconnects, wins over it.
    const both = await stream(waiter, '?after=0', { 'last-event-id': String(live!.id - 1) });
    const sentinel = fx.order(44);
    await waiter.post('/api/orders', sentinel);
    expect(summary(await exactly(both, 0, 2))).toEqual([`order.created ${orderC.id}`, `order.created ${sentinel.id}`]);
  });

  it('starts from now when the cursor is beyond anything in the log (e.g. a restored database)', async () => {
    const s = await stream(waiter, '', { 'last-event-id': '999999999' });
    const ready = readyOf(s);
    expect(ready.resumed).toBe(false);
    expect(ready.frame.id).toBe(String(ready.head));
  });

  it('never leaves a gap when a transaction that started first commits last', async () => {
    // The slow write is a bump, not an order: orders take their ticket number under one
    // row lock per day, so a later order cannot commit before an earlier one (decisions.md).
    const first = fx.order(50);
    expect((await waiter.post('/api/orders', first)).status).toBe(201);
    const slowItem = first.items[0]!.id;
    const s = await stream(kitchen);
    const head = readyOf(s).head;
    // Hold the slow bump inside its transaction: it has its xid (the idempotency key is
    // inserted first) and waits on the item row it must lock.
    const locker = await db.pool.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM order_items WHERE id = $1 FOR UPDATE', [slowItem]);
    const slowBump = kitchen.patch(`/api/orders/${first.id}/items/${slowItem}`, { status: 'cooking' });
    try {
      await untilSomeoneWaitsForALock(db.pool, 5_000);
      const fast = Array.from({ length: 40 }, (_, i) => fx.order(51 + i));
      const placed = await Promise.all(fast.map((o) => otherWaiter.post('/api/orders', o)));
      expect(placed.map((r) => r.status)).toEqual(fast.map(() => 201));
      // All 40 are committed, but none may be positioned before the slow one is decided.
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM events WHERE position IS NULL AND order_id = ANY($1::uuid[])`,
        [fast.map((o) => o.id)],
      );
      expect(rows[0].n).toBe(40);
    } finally {
      await locker.query('COMMIT');
      locker.release();
    }
    expect((await slowBump).status).toBe(200);

    const events = await exactly(s, 0, 41);
    expect(events.map((e) => e.id)).toEqual(Array.from({ length: 41 }, (_, i) => head + 1 + i));
    // The slow bump is in the stream once, though 40 writes that started after it committed first.
    expect(summary(events).filter((e) => e === `item.changed ${slowItem}`)).toHaveLength(1);
    const { rows: log } = await db.pool.query(
      `SELECT position, order_id FROM events WHERE position > $1 AND position <= $2 ORDER BY position`,
      [head, head + 41],
    );
    expect(events.map((e) => [e.id, e.type === 'order.created' ? e.data.order.id : first.id])).toEqual(
      log.map((r) => [r.position, r.order_id]),
    );
  });

  it('gives every stream each event once and in position order under concurrent writers', async () => {
    const live = await stream(waiter);
    const head = readyOf(live).head;
    const orders = Array.from({ length: 60 }, (_, i) => fx.order(1 + (i % 100)));
    const writes = orders.map(async (o, i) => {
      const placed = await (i % 2 ? waiter : otherWaiter).post('/api/orders', o);
      expect(placed.status).toBe(201);
      return kitchen.patch(`/api/tables/${o.tableId}/items/${o.items[0]!.id}`, { status: 'cooking' });
    });
    // A second stream resumes from the same head while the writes are under way: its
    // catch-up from the table and the live fan-out must meet without overlap.
    await Promise.all(writes.slice(0, 10));
    const resumed = await stream(kitchen, '', { 'last-event-id': String(head) });
    await Promise.all(writes);
    const expected = Array.from({ length: 120 }, (_, i) => head + 1 + i);
    expect((await exactly(live, 0, 120)).map((e) => e.id)).toEqual(expected);
    expect((await exactly(resumed, 0, 120)).map((e) => e.id)).toEqual(expected);
  });

  it('filters by kitchen station, by the requesting waiter and by table', async () => {
    const pizzaTable = fx.table(70);
    const pizza = await stream(kitchen, '?station=pizza');
    const mine = await stream(waiter, '?mine=1');
    const table = await stream(kitchen, `?table=${pizzaTable.id}`);
    const everything = await stream(kitchen);

    const withPizza = fx.order(70); // Margherita (pizza), Burger (grill), Cola (bar), by `waiter`
    const drinksOnly = {
      id: randomUUID(),
      tableId: fx.table(71).id,
      items: [{ id: randomUUID(), menuItemId: fx.item('Cola').id, quantity: 2 }],
    }; // by `otherWaiter`
    await waiter.post('/api/orders', withPizza);
    await otherWaiter.post('/api/orders', drinksOnly);
    const [margherita, burger] = withPizza.items;
    await kitchen.patch(`/api/tables/${pizzaTable.id}/items/${margherita!.id}`, { status: 'cooking' });
    await kitchen.patch(`/api/tables/${pizzaTable.id}/items/${burger!.id}`, { status: 'cooking' });
    await kitchen.patch(`/api/tables/${drinksOnly.tableId}/items/${drinksOnly.items[0]!.id}`, { status: 'ready' });
    const cola = fx.item('Cola').id;
    const margheritaMenu = fx.item('Margherita').id;
    await kitchen.patch(`/api/menu/items/${cola}/availability`, { available: false });
    await kitchen.patch(`/api/menu/items/${margheritaMenu}/availability`, { available: false });
    await kitchen.patch(`/api/menu/items/${cola}/availability`, { available: true });
    await kitchen.patch(`/api/menu/items/${margheritaMenu}/availability`, { available: true });

    const all = await exactly(everything, 0, 9);
    expect(all.map((e) => e.type)).toEqual([
      'order.created',
      'order.created',
      'item.changed',
      'item.changed',
      'item.changed',
      'menu.availability',
      'menu.availability',
      'menu.availability',
      'menu.availability',
    ]);
    expect(summary(await exactly(pizza, 0, 4))).toEqual([
      `order.created ${withPizza.id}`,
      `item.changed ${margherita!.id}`,
      `menu.availability ${margheritaMenu} false`,
      `menu.availability ${margheritaMenu} true`,
    ]);
    // Every device must hear about the menu, whatever it follows.
    const menuEvents = [
      `menu.availability ${cola} false`,
      `menu.availability ${margheritaMenu} false`,
      `menu.availability ${cola} true`,
      `menu.availability ${margheritaMenu} true`,
    ];
    expect(summary(await exactly(mine, 0, 7))).toEqual([
      `order.created ${withPizza.id}`,
      `item.changed ${margherita!.id}`,
      `item.changed ${burger!.id}`,
      ...menuEvents,
    ]);
    expect(summary(await exactly(table, 0, 7))).toEqual([
      `order.created ${withPizza.id}`,
      `item.changed ${margherita!.id}`,
      `item.changed ${burger!.id}`,
      ...menuEvents,
    ]);
  });
});
