/**
 * How fast tablets catch up: the outbox sender itself (client/src/sync/outbox.ts, on
 * fake-indexeddb in Node) against the built server (server/dist/main.js on an embedded
 * PostgreSQL), through a TCP gate the bench opens and closes to make outages.
 *
 *   pnpm --filter @chit/client run bench:drain  [-- --outages 3 --outage-seconds 30 --devices 30 --orders 50]
 *
 * Prints, in one run:
 * 1. drain time of 500 orders queued on one tablet (server up, production rate limits);
 * 2. time from "the server answers again" to a tablet's first send, median over several
 *    outages and tablets, for the current schedule (probe GET /api/health, full jitter,
 *    capped at 1.5 s) and the previous one (the write itself retried, 1 s doubling to a
 *    30 s cap, equal jitter), both in the same outages;
 * 3. 30 tablets × 50 queued orders coming back together after an outage (production
 *    write limit), then 30 × 10 with a limit tight enough to answer 429 (burst 3, 1/s per
 *    device): all drained, time to drain, 429s seen and whether any retry came before
 *    its Retry-After; for both schedules. The bench process's own CPU time is printed:
 *    30 tablets' IndexedDB work runs on one Node thread, next to the server.
 *
 * The engine in a browser kicks sooner still (an answered read, the event stream, the
 * `online` event); this measures the sender's own schedule, the worst case.
 */
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import type { MenuResponse, PairResponse, TablesResponse } from '@chit/shared';
import { saveMenu, saveTables } from '../src/db/cache.js';
import { saveSession } from '../src/db/meta.js';
import { openDb, type ChitDb } from '../src/db/schema.js';
import { placeOrder } from '../src/db/mutations/createOrder.js';
import type { Ctx } from '../src/db/mutations/define.js';
import { addToCart } from '../src/db/writes.js';
import { Api } from '../src/sync/api.js';
import { defaultBackoff, type BackoffPolicy } from '../src/sync/backoff.js';
import { inProcessLock } from '../src/sync/lock.js';
import { OutboxSender } from '../src/sync/outbox.js';
import { benchOptions, median } from '@chit/e2e/bench';
import { freePort } from '@chit/e2e/process';

const options = benchOptions({
  outages: 3,
  'outage-seconds': 30,
  'per-schedule': 5,
  devices: 30,
  orders: 50,
  single: 500,
});
const { outages, devices: herdDevices, orders: herdOrders, single: singleOrders } = options;
const outageMs = options['outage-seconds'] * 1000;
const perSchedule = options['per-schedule'];

import { ChitProcess, Gate, secs, sleep } from './drain-parts.js';

/** The previous schedule: the write itself retried, 1 s doubling to 30 s, equal jitter. */
const previous: { backoff: BackoffPolicy; probe: BackoffPolicy } = { backoff: defaultBackoff, probe: defaultBackoff };

interface Tablet {
  name: string;
  db: ChitDb;
  api: Api;
  ctx: Ctx;
  sender: OutboxSender | null;
  /** When each write request left (ms), and each answer's status (0: none), time and Retry-After. */
  writeStarts: number[];
  statuses: number[];
  answers: { status: number; at: number; retryAfter: number | null }[];
}

async function tablet(baseUrl: string, paired: PairResponse, menu: MenuResponse, tables: TablesResponse) {
  const db = openDb(`drain-${randomUUID()}`);
  await db.open();
  await saveMenu(db, menu, Date.now());
  await saveTables(db, tables.tables);
  await saveSession(db, { token: paired.token, device: paired.device });
  const writeStarts: number[] = [];
  const statuses: number[] = [];
  const answers: Tablet['answers'] = [];
  const recording: typeof fetch = async (input, init) => {
    const write = init?.method !== undefined && init.method !== 'GET';
    if (write) t.writeStarts.push(Date.now());
    try {
      const response = await fetch(input, init);
      if (write) {
        t.statuses.push(response.status);
        const retryAfter = response.headers.get('Retry-After');
        t.answers.push({ status: response.status, at: Date.now(), retryAfter: retryAfter ? Number(retryAfter) : null });
      }
      return response;
    } catch (err) {
      if (write) t.statuses.push(0);
      throw err;
    }
  };
  const api = new Api({ baseUrl, fetch: recording });
  api.setToken(paired.token);
  const t: Tablet = {
    name: paired.device.name,
    db,
    api,
    ctx: { now: Date.now, uuid: randomUUID },
    sender: null,
    writeStarts,
    statuses,
    answers,
  };
  return t;
}

function useSchedule(t: Tablet, schedule: 'current' | 'previous'): OutboxSender {
  t.sender?.stop();
  t.sender = new OutboxSender({
    db: t.db,
    api: t.api,
    lock: inProcessLock(),
    now: Date.now,
    ...(schedule === 'previous' ? previous : {}),
  });
  return t.sender;
}

/** Orders for the tablet's own tables: each tablet starts at its own table, as in a dining room. */
async function queue(t: Tablet, count: number, menuItemId: string, tables: TablesResponse): Promise<void> {
  const offset = Number(/\d+$/.exec(t.name)?.[0] ?? 0);
  for (let i = 0; i < count; i += 1) {
    const tableId = tables.tables[(offset + i) % tables.tables.length]!.id;
    await addToCart(t.db, t.ctx, tableId, { menuItemId, modifierOptionIds: [], quantity: 1, note: '' });
    const placed = await placeOrder(t.db, t.ctx, { cartId: tableId, staffName: 'Bench' });
    if (!placed.ok) throw new Error(`could not queue an order: ${JSON.stringify(placed)}`);
  }
}

async function drained(tablets: Tablet[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = await Promise.all(tablets.map((t) => t.db.outbox.count()));
    if (counts.every((n) => n === 0)) return true;
    await sleep(20);
  }
  return false;
}

async function main(): Promise<void> {
  const chit = await ChitProcess.create();
  const gate = new Gate(await freePort(), chit.port);
  try {
    await chit.launch({});
    await gate.open();
    const baseUrl = `http://127.0.0.1:${gate.port}`;
    const post = async <T>(p: string, body: unknown, token?: string): Promise<T> => {
      const res = await fetch(`${baseUrl}${p}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    // The code is printed around when the server starts answering: wait for the line.
    const manager = await post<PairResponse>('/api/pair', { code: chit.managerCode, deviceName: 'Bench manager' });
    const pairWaiter = async (name: string) => {
      const { code } = await post<{ code: string }>('/api/pairing-codes', { role: 'waiter' }, manager.token);
      return post<PairResponse>('/api/pair', { code, deviceName: name });
    };
    const get = async <T>(p: string): Promise<T> =>
      (await (await fetch(`${baseUrl}${p}`, { headers: { authorization: `Bearer ${manager.token}` } })).json()) as T;
    const menu = await get<MenuResponse>('/api/menu');
    const tables = await get<TablesResponse>('/api/tables');
    const dish = menu.items.find((i) => i.modifierGroups.length === 0 && i.available);
    if (!dish) throw new Error('the seeded menu has no dish without options');

    const tablets: Tablet[] = [];
    for (let i = 0; i < Math.max(herdDevices, 2 * perSchedule, 1) + 1; i += 1) {
      tablets.push(await tablet(baseUrl, await pairWaiter(`Bench tablet ${i + 1}`), menu, tables));
    }
    console.log(
      `drain bench: ${tablets.length} tablets on fake-indexeddb, the built server on an embedded PostgreSQL, through a TCP gate`,
    );

    // 1. One tablet, 500 orders, server up.
    {
      const t = tablets.at(-1)!;
      await queue(t, singleOrders, dish.id, tables);
      const sender = useSchedule(t, 'current');
      const start = performance.now();
      await sender.kick();
      await sender.whenIdle();
      const ms = performance.now() - start;
      const left = await t.db.outbox.count();
      console.log(
        `1. ${singleOrders} queued orders, one tablet: drained in ${secs(ms)} (${((singleOrders / ms) * 1000).toFixed(0)} orders/s), ${left} left`,
      );
      sender.stop();
    }

    // 2. Time from "server answers again" to first send, both schedules in the same outages.
    {
      const current = tablets.slice(0, perSchedule);
      const old = tablets.slice(perSchedule, 2 * perSchedule);
      for (const t of current) useSchedule(t, 'current');
      for (const t of old) useSchedule(t, 'previous');
      const delays = { current: [] as number[], previous: [] as number[] };
      for (let k = 0; k < outages; k += 1) {
        await gate.close();
        for (const t of [...current, ...old]) {
          await queue(t, 1, dish.id, tables);
          void t.sender!.kick();
        }
        await sleep(outageMs);
        const back = Date.now();
        await gate.open();
        const ok = await drained([...current, ...old], 120_000);
        for (const [kind, group] of [
          ['current', current],
          ['previous', old],
        ] as const) {
          for (const t of group) {
            const first = t.writeStarts.find((at) => at >= back);
            if (first !== undefined) delays[kind].push(first - back);
          }
        }
        if (!ok) console.log(`   outage ${k + 1}: not all drained within 2 min`);
      }
      console.log(
        `2. server answers again → first send, ${outages} outages of ${secs(outageMs)}, ${perSchedule} tablets each:`,
      );
      console.log(
        `   current (probe, full jitter ≤ 1.5 s): median ${secs(median(delays.current))}, max ${secs(Math.max(...delays.current))}`,
      );
      console.log(
        `   previous (1 s → 30 s, equal jitter):  median ${secs(median(delays.previous))}, max ${secs(Math.max(...delays.previous))}`,
      );
      for (const t of [...current, ...old]) t.sender?.stop();
    }

    // 3. The herd: every tablet with its orders queued, back together. With the production
    // write limit (600 a minute, burst 600), then with one tight enough to answer 429.
    const herd = tablets.slice(0, herdDevices);
    const limits: { name: string; env: Record<string, string>; orders: number }[] = [
      { name: 'production write limit', env: {}, orders: herdOrders },
      {
        name: 'write limit burst 3, 1/s per device',
        env: { RATE_LIMIT_WRITES_BURST: '3', RATE_LIMIT_WRITES_PER_MINUTE: '60' },
        orders: 10,
      },
    ];
    let stored = 0;
    for (const limit of limits) {
      await gate.close();
      await chit.stop();
      await chit.launch(limit.env);
      for (const schedule of ['current', 'previous'] as const) {
        await gate.close();
        for (const t of herd) {
          t.writeStarts = [];
          t.statuses = [];
          t.answers = [];
          await queue(t, limit.orders, dish.id, tables);
          void useSchedule(t, schedule).kick();
        }
        await sleep(Math.min(outageMs, 20_000));
        const cpu = process.cpuUsage();
        const back = performance.now();
        const backAt = Date.now();
        await gate.open();
        const ok = await drained(herd, 180_000);
        const ms = performance.now() - back;
        // The herd's spread: when each tablet's first write went, after the server was back.
        const firsts = herd.map((t) => (t.writeStarts.find((at) => at >= backAt) ?? NaN) - backAt);
        const used = process.cpuUsage(cpu);
        const statuses = herd.flatMap((t) => t.statuses);
        stored += statuses.filter((s) => s >= 200 && s < 300).length;
        // Honoured: after a 429 with Retry-After r, the tablet's next write left r s later or more.
        let early = 0;
        for (const t of herd) {
          for (const answer of t.answers) {
            if (answer.status !== 429 || answer.retryAfter === null) continue;
            const nextStart = t.writeStarts.find((at) => at >= answer.at);
            if (nextStart !== undefined && nextStart < answer.at + answer.retryAfter * 1000 - 5) early += 1;
          }
        }
        console.log(
          `3. ${herdDevices} tablets × ${limit.orders} orders back together, ${limit.name}, ${schedule} schedule: ` +
            `${ok ? 'all drained' : 'NOT all drained'} in ${secs(ms)} (${((statuses.filter((s) => s >= 200 && s < 300).length / ms) * 1000).toFixed(0)} orders/s; ` +
            `bench process CPU ${secs((used.user + used.system) / 1000)}); every tablet's first send within ${secs(Math.max(...firsts))} (median ${secs(median(firsts))}); ` +
            `${statuses.filter((s) => s === 429).length} answers 429, ${early} retried before Retry-After; ` +
            `${statuses.filter((s) => s >= 200 && s < 300).length} stored, ${statuses.filter((s) => s >= 500).length} 5xx`,
        );
        for (const t of herd) t.sender?.stop();
      }
    }
    const open = await get<{ orders: unknown[] }>('/api/orders/open');
    const expected = singleOrders + outages * 2 * perSchedule + stored;
    console.log(`   orders on the server: ${open.orders.length} (expected ${expected}, each once)`);
    for (const t of tablets) t.db.close();
  } finally {
    await gate.close();
    await chit.remove();
  }
}

await main();
