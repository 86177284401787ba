/**
 * Orders/s through the whole stack vs. the same inserts made straight through pg.
 *
 *   pnpm --filter @chit/server run bench  [-- --seconds 10 --connections 64 --rounds 3 --rate 200]
 *
 * Starts the built server as its own process on a fresh embedded PostgreSQL, drives
 * POST /api/orders (3 items, a fresh Idempotency-Key each) with autocannon as fast as it
 * is answered, then runs the ceiling: the same rows inserted in one transaction through a
 * pg pool of the server's size at the same concurrency; then the latency at a fixed rate
 * (open loop), which is what a dining room sees: at full speed with 64 connections each
 * waiting for its answer, latency is just 64 / throughput (Little's law). Rounds
 * alternate and medians are printed, because these machines are small and noisy.
 */
import { randomUUID } from 'node:crypto';
import { benchOptions } from '@chit/e2e/bench';
import autocannon from 'autocannon';
import { freshDatabase, median, orderFactory, percentile, postAtRate, startServer, type OrderFactory } from './lib.js';
import type { Pool } from '../src/db/pool.js';

const {
  seconds,
  connections,
  rounds,
  pool: poolSize,
  rate: fixedRate,
} = benchOptions({ seconds: 10, connections: 64, rounds: 3, pool: 20, rate: 200 });

interface HttpRound {
  ordersPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

async function httpRound(baseUrl: string, factory: OrderFactory, duration: number): Promise<HttpRound> {
  // Bodies are made before the clock starts so the load generator's own work stays off the
  // two cores the server and PostgreSQL share with it.
  const bodies = Array.from({ length: Math.ceil(4000 * duration) }, () => JSON.stringify(factory.order()));
  const keys = bodies.map(() => randomUUID());
  const tokens = bodies.map(() => factory.nextToken());
  let next = 0;
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        path: '/api/orders',
        setupRequest: (req) => ({
          ...req,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens[next % tokens.length]!}`,
            'idempotency-key': keys[next % keys.length]!,
          },
          body: bodies[next++ % bodies.length]!,
        }),
      },
    ],
  });
  return {
    ordersPerSec: result['2xx'] / duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** Orders at a fixed rate, evenly spaced (open loop): the latency a dining room at that load sees. */
async function fixedRateRound(baseUrl: string, factory: OrderFactory, duration: number): Promise<HttpRound> {
  const { latencies, failed } = await postAtRate(`${baseUrl}/api/orders`, fixedRate, duration, () => ({
    body: JSON.stringify(factory.order()),
    headers: { authorization: `Bearer ${factory.nextToken()}`, 'idempotency-key': randomUUID() },
  }));
  return {
    ordersPerSec: (latencies.length - failed) / duration,
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    errors: failed,
  };
}

/**
 * The ceiling: the rows the server writes for one order (its idempotency key with the
 * answer, the order, its 3 items, its event), inserted straight through pg in one
 * transaction, with no HTTP, validation or menu lookup. `numbered`: the order also takes
 * the day's next ticket number, as the last statement before COMMIT (the shortest hold of
 * the day's counter row a hand-written transaction can have). The numbered ceiling is the
 * same work as the server's; the unnumbered one shows what exact ticket numbers cost.
 */
interface DirectRound {
  ordersPerSec: number;
  p50: number;
  p99: number;
}

async function directRound(
  pool: Pool,
  factory: OrderFactory,
  template: string,
  duration: number,
  numbered: boolean,
): Promise<DirectRound> {
  const { rows: menu } = await pool.query<{ id: string; name: string; station: string; price_cents: number }>(
    `SELECT id, name, station, price_cents FROM menu_items WHERE name IN ('Margherita', 'Burger', 'Cola')`,
  );
  const deadline = Date.now() + duration * 1000;
  const latencies: number[] = [];
  const worker = async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      const order = factory.order();
      // The stored answer and the event carry the whole order, as the server's do.
      const body = template.replaceAll(TEMPLATE_ID, order.id);
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO idempotency_keys (device_id, key, request_hash, response_status, response_body, response_type)
           VALUES ($1, $2, $3, 201, convert_to($4::text, 'UTF8'), 'application/json; charset=utf-8')`,
          [factory.deviceId, randomUUID(), Buffer.alloc(32), body],
        );
        await client.query(
          `INSERT INTO orders (id, table_id, note, device_id, staff_name) VALUES ($1, $2, '', $3, $4)`,
          [order.id, order.tableId, factory.deviceId, order.staffName],
        );
        const values: unknown[] = [];
        const tuples = menu.map((m, i) => {
          const b = i * 9;
          values.push(
            randomUUID(),
            order.id,
            order.tableId,
            m.id,
            m.name,
            m.station,
            m.price_cents,
            factory.deviceId,
            order.staffName,
          );
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, 1, '[]', '', 10, $${b + 8}, $${b + 9}, $${b + 8}, $${b + 9})`;
        });
        await client.query(
          `INSERT INTO order_items (id, order_id, table_id, menu_item_id, name, station, unit_price_cents, quantity,
             modifiers, note, cook_minutes, device_id, staff_name, updated_by_device_id, updated_by_staff_name)
           VALUES ${tuples.join(', ')}`,
          values,
        );
        await client.query(
          `INSERT INTO events (type, table_id, order_id, device_id, payload) VALUES ('order.created', $1, $2, $3, $4)`,
          [order.tableId, order.id, factory.deviceId, body],
        );
        if (numbered) {
          await client.query(
            `WITH n AS (
               INSERT INTO ticket_counters AS c (business_day, last_number) VALUES (current_date, 1)
               ON CONFLICT (business_day) DO UPDATE SET last_number = c.last_number + 1, updated_at = now()
               RETURNING last_number
             )
             UPDATE orders SET business_day = current_date, ticket_number = n.last_number FROM n WHERE id = $1`,
            [order.id],
          );
        }
        await client.query('COMMIT');
        latencies.push(performance.now() - started);
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return {
    ordersPerSec: latencies.length / duration,
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
  };
}

const TEMPLATE_ID = '00000000-0000-4000-8000-000000000000';

/** One real answer of the server, with its order id made replaceable. */
async function responseTemplate(baseUrl: string, factory: OrderFactory): Promise<string> {
  const order = factory.order();
  const res = await fetch(`${baseUrl}/api/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${factory.token}`,
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(order),
  });
  return (await res.text()).replaceAll(order.id, TEMPLATE_ID);
}

async function main(): Promise<void> {
  console.log(
    `Chit order benchmark: ${connections} connections, ${seconds} s per run, ${rounds} rounds, pool ${poolSize}`,
  );
  const db = await freshDatabase();
  const server = await startServer(db.url, { DB_POOL_SIZE: String(poolSize) });
  const { createPool } = await import('../src/db/pool.js');
  const { createLogger } = await import('../src/logger.js');
  const directPool = createPool(db.url, poolSize, createLogger('warn'));
  try {
    const factory = await orderFactory(db.pool, server.baseUrl);
    const template = await responseTemplate(server.baseUrl, factory);
    await httpRound(server.baseUrl, factory, 2); // warm-up: JIT, pool connections, caches
    const http: HttpRound[] = [];
    const direct: DirectRound[] = [];
    const unnumbered: DirectRound[] = [];
    const steady: HttpRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const h = await httpRound(server.baseUrl, factory, seconds);
      const d = await directRound(directPool, factory, template, seconds, true);
      const u = await directRound(directPool, factory, template, seconds, false);
      const f = await fixedRateRound(server.baseUrl, factory, seconds);
      http.push(h);
      direct.push(d);
      unnumbered.push(u);
      steady.push(f);
      console.log(
        `round ${round}: HTTP ${h.ordersPerSec.toFixed(0)} orders/s (p50 ${h.p50} ms, p99 ${h.p99} ms, errors ${h.errors})` +
          ` | direct pg ${d.ordersPerSec.toFixed(0)} orders/s (p50 ${d.p50} ms, p99 ${d.p99} ms)` +
          ` | ratio ${(h.ordersPerSec / d.ordersPerSec).toFixed(2)}` +
          ` | direct pg, no ticket number ${u.ordersPerSec.toFixed(0)} orders/s` +
          ` | HTTP at ${fixedRate}/s: p50 ${f.p50} ms, p99 ${f.p99} ms, errors ${f.errors}`,
      );
    }
    const httpRate = median(http.map((h) => h.ordersPerSec));
    const directRate = median(direct.map((d) => d.ordersPerSec));
    const errors = [...http, ...steady].reduce((n, h) => n + h.errors, 0);
    console.log('');
    console.log(`POST /api/orders, as fast as answered (${connections} connections, closed loop)`);
    console.log(`  orders/s         median ${httpRate.toFixed(0)}`);
    console.log(`  latency p50/p99  median ${median(http.map((h) => h.p50))} / ${median(http.map((h) => h.p99))} ms`);
    console.log(`direct pg ceiling, the same rows (ticket number included) at the same concurrency`);
    console.log(`  orders/s         median ${directRate.toFixed(0)}`);
    console.log(
      `  latency p50/p99  median ${median(direct.map((d) => d.p50))} / ${median(direct.map((d) => d.p99))} ms`,
    );
    console.log(`ratio              ${(httpRate / directRate).toFixed(2)}   (target >= 0.5)`);
    const unnumberedRate = median(unnumbered.map((u) => u.ordersPerSec));
    console.log(`direct pg with no ticket number (what exact, gap-free numbers cost at saturation)`);
    console.log(
      `  orders/s         median ${unnumberedRate.toFixed(0)}   (numbered/unnumbered ${(directRate / unnumberedRate).toFixed(2)})`,
    );
    console.log(`POST /api/orders at a fixed ${fixedRate} orders/s (${connections} connections, open loop)`);
    console.log(
      `  latency p50/p99  median ${median(steady.map((h) => h.p50))} / ${median(steady.map((h) => h.p99))} ms   (target p99 < 50 ms)`,
    );
    console.log(`errors             ${errors} in all HTTP runs   (target 0)`);
  } finally {
    await directPool.end();
    await server.stop();
    await db.close();
  }
}

await main();
