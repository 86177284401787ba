import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MenuResponse, TablesResponse } from '@chit/shared';
import { builtServerEnv, builtServerMain, freePort } from '@chit/e2e/process';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.js';
import type { Pool } from '../src/db/pool.js';
import { createDevice } from '../src/devices/store.js';
import { createLogger } from '../src/logger.js';
import { seededDatabase, type SeededDatabase } from '../test/seeded-database.js';

export const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const logger = createLogger('warn');

export { freePort };
export { median, percentile } from '@chit/e2e/bench';

export type BenchDatabase = SeededDatabase;

/** A fresh embedded PostgreSQL in a temp folder, migrated and seeded. */
export async function freshDatabase(): Promise<BenchDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chit-bench-'));
  await chmod(dir, 0o755);
  const pg: EmbeddedDatabase = await startEmbeddedPostgres(dir, await freePort(), logger);
  return seededDatabase(pg.url, logger, 8, async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  });
}

export interface RunningServer {
  baseUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The built server (dist/main.js) as its own process, as in production. */
export async function startServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, builtServerMain], {
    env: { ...builtServerEnv({ port, databaseUrl, clientDist: '/nonexistent' }), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 200) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    baseUrl,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface OrderFactory {
  deviceId: string;
  token: string;
  /**
   * The next of `tablets` waiter tokens, round robin: a dining room has many tablets, and
   * each is rate-limited on its own (600 writes a minute), as in production.
   */
  nextToken: () => string;
  /** A fresh 3-item order for a random table. */
  order(): { id: string; tableId: string; staffName: string; items: unknown[] };
}

export async function orderFactory(pool: Pool, baseUrl: string, tablets = 64): Promise<OrderFactory> {
  const devices = await Promise.all(
    Array.from({ length: tablets }, (_, i) => createDevice(pool, `bench tablet ${i + 1}`, 'waiter')),
  );
  const { device, token } = devices[0]!;
  const auth = { authorization: `Bearer ${token}` };
  const menu = (await (await fetch(`${baseUrl}/api/menu`, { headers: auth })).json()) as MenuResponse;
  const tables = (await (await fetch(`${baseUrl}/api/tables`, { headers: auth })).json()) as TablesResponse;
  const byName = (name: string) => menu.items.find((i) => i.name === name)!;
  const pizza = byName('Margherita');
  const size = pizza.modifierGroups[0]!.options[1]!.id;
  const topping = pizza.modifierGroups[1]!.options[1]!.id;
  let turn = 0;
  return {
    deviceId: device.id,
    token,
    nextToken: () => devices[turn++ % devices.length]!.token,
    order: () => ({
      id: randomUUID(),
      tableId: tables.tables[Math.floor(Math.random() * tables.tables.length)]!.id,
      staffName: 'Bench',
      items: [
        { id: randomUUID(), menuItemId: pizza.id, quantity: 1, modifierOptionIds: [size, topping] },
        { id: randomUUID(), menuItemId: byName('Burger').id, quantity: 2, note: 'no pickles' },
        { id: randomUUID(), menuItemId: byName('Cola').id, quantity: 1 },
      ],
    }),
  };
}

export interface TimedPost {
  body: string;
  headers: Record<string, string>;
  /** Called with the answer's status and the moment (performance.now()) it arrived. */
  answered?: (status: number, at: number) => void;
}

/**
 * An open-loop load: `rate` POSTs a second to `url`, evenly spaced, for `seconds`, each
 * sent on time whatever the earlier ones take (over at most `sockets` keep-alive
 * connections), so the latencies are what a client would see at that load. (autocannon's
 * own rate limit sends each second's quota in a burst at the start of the second.)
 */
export async function postAtRate(
  url: string,
  rate: number,
  seconds: number,
  next: () => TimedPost,
  sockets = 64,
): Promise<{ latencies: number[]; failed: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const latencies: number[] = [];
  let failed = 0;
  const post = (request: TimedPost) =>
    new Promise<void>((resolve) => {
      const sentAt = performance.now();
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', ...request.headers } },
        (res) => {
          res.resume();
          res.on('end', () => {
            const at = performance.now();
            latencies.push(at - sentAt);
            if (res.statusCode === undefined || res.statusCode >= 300) failed++;
            request.answered?.(res.statusCode ?? 0, at);
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(request.body);
    });
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(post(next()));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latencies, failed };
}
