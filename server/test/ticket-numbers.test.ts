import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { createPool, type Pool } from '../src/db/pool.js';
import { createLogger } from '../src/logger.js';
import { appTest, deviceApi, startTestServer } from './harness.js';
import type { Api, Fixtures, TestDatabase, TestServer } from './harness.js';

// Ticket numbers: per business day (04:00 Europe/Berlin here), from the server, unique
// across instances. The clock is the test's, so the day boundary is crossed at will.

let db: TestDatabase;
let waiter: Api;
let manager: Api;
let fx: Fixtures;
// 20:00 in Berlin on Friday 20 November.
let now = new Date('2026-11-20T19:00:00.000Z');
const config = { timezone: 'Europe/Berlin', businessDayStart: '04:00' };

const it = appTest({ clock: { now: () => now }, config });

it.beforeAll(({ app }) => {
  ({ db, waiter, manager, fx } = app);
});

async function place(api: Api = waiter, key?: string, order = fx.order(12)): Promise<number> {
  const res = await api.post('/api/orders', order, key);
  expect(res.status).toBe(201);
  return res.body.order.ticketNumber as number;
}

describe('ticket numbers', () => {
  it('count from 1 within a business day, and start again when the next day starts at 04:00', async () => {
    expect(await place()).toBe(1);
    expect(await place()).toBe(2);
    // 03:59 on Saturday in Berlin still belongs to Friday's service.
    now = new Date('2026-11-21T02:59:00.000Z');
    expect(await place()).toBe(3);
    now = new Date('2026-11-21T03:00:00.000Z');
    expect(await place()).toBe(1);
    expect(await place()).toBe(2);
    const { rows } = await db.pool.query(
      `SELECT business_day::text AS day, ticket_number AS n FROM orders ORDER BY created_at, ticket_number`,
    );
    expect(rows).toEqual([
      { day: '2026-11-20', n: 1 },
      { day: '2026-11-20', n: 2 },
      { day: '2026-11-20', n: 3 },
      { day: '2026-11-21', n: 1 },
      { day: '2026-11-21', n: 2 },
    ]);
  });

  it('are the same for a replayed order, byte for byte, and a replay uses up no number', async () => {
    const key = randomUUID();
    const order = fx.order(12);
    const first = await waiter.post('/api/orders', order, key);
    const again = await waiter.post('/api/orders', order, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    const next = await place();
    expect(next).toBe((first.body.order.ticketNumber as number) + 1);
  });

  it('are given once to retries racing their first request, without a gap after them', async () => {
    const key = randomUUID();
    const order = fx.order(7);
    const answers = await Promise.all(Array.from({ length: 6 }, () => waiter.post('/api/orders', order, key)));
    const numbers = new Set(answers.map((a) => a.status === 201 && (a.body.order.ticketNumber as number)));
    expect(numbers.size).toBe(1);
    const [number] = [...numbers];
    expect(await place()).toBe((number as number) + 1);
  });

  it('are not used up by a refused order', async () => {
    const before = await place();
    const bad = { ...fx.order(12), items: [{ id: randomUUID(), menuItemId: randomUUID(), quantity: 1 }] };
    expect((await waiter.post('/api/orders', bad)).status).toBe(422);
    expect(await place()).toBe(before + 1);
  });

  it('travel with the order: its read, the kitchen snapshot, the event stream and the report', async () => {
    const order = fx.order(5);
    const number = await place(waiter, undefined, order);
    expect((await waiter.get(`/api/orders/${order.id}`)).body.order.ticketNumber).toBe(number);
    const open = await waiter.get('/api/orders/open');
    expect(open.body.orders.find((o: { id: string }) => o.id === order.id).ticketNumber).toBe(number);
    const { rows } = await db.pool.query(`SELECT payload FROM events WHERE order_id = $1`, [order.id]);
    expect(rows[0].payload.order.ticketNumber).toBe(number);
    const report = await manager.get('/api/reports/today?from=2026-11-21&to=2026-11-22');
    const row = report.body.orders.find((o: { id: string }) => o.id === order.id);
    expect(row.ticketNumber).toBe(number);
  });
});

describe('ticket numbers under concurrent orders from several instances', () => {
  it('are unique and without gaps: 1 to N for N orders sent at once to three instances with their own pools', async () => {
    now = new Date('2026-11-25T18:00:00.000Z');
    const logger = createLogger('silent');
    const pools: Pool[] = [];
    const servers: TestServer[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const pool = createPool(db.url, 10, logger, { lockTimeoutMs: 10_000 });
        pools.push(pool);
        servers.push(await startTestServer(pool, { clock: { now: () => now }, config }));
      }
      const tablets = await Promise.all(
        servers.flatMap((s, i) => [
          deviceApi(db.pool, s.baseUrl, 'waiter', `A${i}`),
          deviceApi(db.pool, s.baseUrl, 'waiter', `B${i}`),
        ]),
      );
      const perTablet = 25;
      const numbers = (
        await Promise.all(
          tablets.map(async (tablet) => {
            const got: number[] = [];
            // Each tablet sends its orders in parallel too: 150 orders in flight on 30 connections.
            await Promise.all(Array.from({ length: perTablet }, async () => got.push(await place(tablet))));
            return got;
          }),
        )
      ).flat();
      const total = tablets.length * perTablet;
      expect(numbers).toHaveLength(total);
      expect(new Set(numbers).size).toBe(total);
      expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n, count(DISTINCT ticket_number)::int AS distinct, max(ticket_number) AS max
           FROM orders WHERE business_day = '2026-11-25'`,
      );
      expect(rows[0]).toEqual({ n: total, distinct: total, max: total });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
