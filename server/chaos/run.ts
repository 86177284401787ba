// The project's own chaos test: simulated tablets with durable journals send orders and
// changes through a fault-injecting proxy to two instances of the built server, while the
// instances are SIGKILLed, PostgreSQL crashes and dishes run out and come back; then the
// network heals, every journal is drained, and the run checks that each tablet was told
// the truth, exactly once. See docs/chaos.md.
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtServerMain as entry, freePort } from '@chit/e2e/process';
import { MenuResponse, TablesResponse, type MenuItem } from '@chit/shared';
import { createPool } from '../src/db/pool.js';
import { createDevice } from '../src/devices/store.js';
import { createLogger } from '../src/logger.js';
import { seededDatabase } from '../test/seeded-database.js';
import { anomaliesOf, checkAgainstJournals, type TabletRecord } from './check.js';
import { CrashablePostgres, Instance } from './cluster.js';
import { Journal, readJournal } from './journal.js';
import { FaultProxy, faultKinds, type FaultKind } from './proxy.js';
import { isRetryable, send, Tablet, waiterShift, type Floor } from './tablet.js';

const env = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not ${raw}`);
  return value;
};
const config = {
  orders: env('CHAOS_ORDERS', 3000),
  tablets: env('CHAOS_TABLETS', 20),
  /** Chance of each fault kind per request through the proxy. */
  faultRate: env('CHAOS_FAULT_RATE', 0.03),
  serverKills: env('CHAOS_SERVER_KILLS', 6),
  pgCrashes: env('CHAOS_PG_CRASHES', 2),
  /** The simulated tablet's answer timeout (the real one waits 15 s). */
  timeoutMs: env('CHAOS_TIMEOUT_MS', 3000),
  replaySample: env('CHAOS_REPLAYS', 300),
  /** Share of orders with a note PostgreSQL cannot store (a NUL, a lone surrogate). */
  hostileRate: env('CHAOS_HOSTILE_RATE', 0.005),
  apiSample: env('CHAOS_API_CHECKS', 1000),
};

const logger = createLogger('warn');
const random = Math.random;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build the server first (pnpm build)`);
  const started = performance.now();
  // The embedded PostgreSQL runs as the postgres user when we are root: it must be able to enter the folder.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chit-chaos-'));
  chmodSync(dir, 0o755);
  const pg = new CrashablePostgres(path.join(dir, 'db'), await freePort(), logger);
  await pg.start();
  // The pool is ended once the devices are made; the PostgreSQL runs on for the test.
  const { pool: setupPool } = await seededDatabase(pg.url, logger, 4, async () => {});
  const waiters = [];
  for (let i = 1; i <= config.tablets; i++) waiters.push(await createDevice(setupPool, `chaos tablet ${i}`, 'waiter'));
  const manager = await createDevice(setupPool, 'chaos manager', 'manager');
  await setupPool.end();

  const instances = await Promise.all(
    ['a', 'b'].map(
      async (name) =>
        new Instance(
          name,
          await freePort(),
          entry,
          { DATABASE_URL: pg.url, LOG_LEVEL: 'warn', CLIENT_DIST: path.join(dir, 'no-client'), SEED_DEMO: 'false' },
          path.join(dir, `server-${name}.log`),
        ),
    ),
  );
  for (const instance of instances) instance.start();
  await until(async () => (await Promise.all(instances.map((i) => i.healthy()))).every(Boolean), 30_000, 'servers up');
  const direct = `http://127.0.0.1:${instances[0]!.port}`;
  const auth = { authorization: `Bearer ${manager.token}` };
  const menu = MenuResponse.parse(await (await fetch(`${direct}/api/menu`, { headers: auth })).json());
  const tables = TablesResponse.parse(await (await fetch(`${direct}/api/tables`, { headers: auth })).json());
  const dishes = menu.items.filter((item) => item.modifierGroups.length === 0 && item.available);
  const floor: Floor = { tableIds: tables.tables.map((t) => t.id), dishes: dishes.slice(2), flaky: dishes.slice(0, 2) };

  const proxy = new FaultProxy({
    rate: Object.fromEntries(faultKinds.map((kind) => [kind, config.faultRate])) as Record<FaultKind, number>,
    lateMs: [config.timeoutMs + 500, config.timeoutMs * 2 + 2000],
    upstreams: () => instances.map((i) => i.port),
    random,
  });
  const proxyUrl = `http://127.0.0.1:${await proxy.listen()}`;

  // --- the run: tablets order while the chaos below happens -----------------------------
  const stopTablets = new AbortController();
  let ordered = 0;
  const nextOrder = () => ordered++ < config.orders;
  const journals = waiters.map((_, i) => path.join(dir, `tablet-${i + 1}.journal`));
  const shifts = waiters.map((waiter, i) => {
    const journal = new Journal(journals[i]!);
    const tablet = new Tablet({
      baseUrl: proxyUrl,
      token: waiter.token,
      journal,
      timeoutMs: config.timeoutMs,
      backoffBaseMs: 100,
      backoffCapMs: 2000,
      random,
      signal: stopTablets.signal,
    });
    const shift = waiterShift(
      tablet,
      `Waiter ${i + 1}`,
      floor,
      nextOrder,
      random,
      stopTablets.signal,
      config.hostileRate,
    );
    return shift.finally(() => journal.close());
  });

  let toggles = 0;
  const availability = async (item: MenuItem, available: boolean) => {
    const key = randomUUID();
    const intent = {
      method: 'PATCH' as const,
      path: `/api/menu/items/${item.id}/availability`,
      headers: {},
      body: { available },
    };
    for (let n = 0; ; n++) {
      const instance = instances[n % instances.length]!;
      const result = await send(`http://127.0.0.1:${instance.port}`, intent, manager.token, key, 5000);
      if (!isRetryable(result)) {
        if (result.status !== 200) throw new Error(`86 of ${item.name} answered ${result.status}: ${result.body}`);
        return;
      }
      await sleep(200);
    }
  };
  let chaosDone = false;
  // Failures of the chaos itself (a manager's 86 refused) end the run after the tablets stop.
  const chaosErrors: unknown[] = [];
  const dishesFlapping = (async () => {
    const out = new Set<string>();
    while (!chaosDone) {
      await sleep(200 + random() * 600);
      const dish = floor.flaky[Math.floor(random() * floor.flaky.length)]!;
      const available = out.has(dish.id);
      await availability(dish, available);
      if (available) out.delete(dish.id);
      else out.add(dish.id);
      toggles++;
    }
  })().catch((err: unknown) => void chaosErrors.push(err));
  const crashes = (async () => {
    const kills = Array.from(
      { length: config.serverKills },
      (_, i) => ((i + 1) * config.orders) / (config.serverKills + 1),
    );
    const pgCrashes = Array.from(
      { length: config.pgCrashes },
      (_, i) => ((i + 0.5) * config.orders) / (config.pgCrashes + 0.5),
    );
    let kill = 0;
    while (!chaosDone) {
      await sleep(100);
      if (kill < kills.length && ordered >= kills[kill]!) {
        instances[kill % instances.length]!.kill();
        kill++;
      }
      if (pgCrashes.length > 0 && ordered >= pgCrashes[0]!) {
        pgCrashes.shift();
        await pg.crash();
        await sleep(1000 + random() * 2000);
        await pg.start();
      }
    }
  })().catch((err: unknown) => void chaosErrors.push(err));

  const ticker = setInterval(() => {
    const faults = faultKinds.map((k) => proxy.injected[k]).reduce((a, b) => a + b, 0);
    process.stderr.write(
      `chaos: ${Math.min(ordered, config.orders)}/${config.orders} orders, ${faults} faults, ` +
        `${pg.crashes} pg crashes, ${sum(instances.map((i) => i.crashes + i.startFailures))} server exits\n`,
    );
  }, 10_000);

  await until(() => ordered >= config.orders, Infinity, 'orders');
  // The other tablets are mid-write (some retrying): they are switched off now, as a dead
  // battery would, and their journals must finish the job.
  stopTablets.abort();
  await Promise.all(shifts);
  chaosDone = true;
  await Promise.all([dishesFlapping, crashes]);
  if (chaosErrors.length > 0) throw chaosErrors[0];

  // --- heal and drain --------------------------------------------------------------------
  proxy.healed = true;
  for (const dish of floor.flaky) await availability(dish, true);
  await until(async () => (await Promise.all(instances.map((i) => i.healthy()))).every(Boolean), 60_000, 'servers up');
  const records: TabletRecord[] = [];
  let drained = 0;
  await Promise.all(
    waiters.map(async (waiter, i) => {
      const journal = new Journal(journals[i]!);
      const tablet = new Tablet({
        baseUrl: proxyUrl,
        token: waiter.token,
        journal,
        timeoutMs: 10_000,
        backoffBaseMs: 200,
        backoffCapMs: 2000,
        random,
        // A server that never gives a final answer leaves the write unfinished, not the run hanging.
        signal: AbortSignal.timeout(90_000),
      });
      for (const write of readJournal(journals[i]!)) {
        if (write.final) continue;
        await tablet.resend(write.intent, write.attempts);
        drained++;
      }
      journal.close();
      records.push({
        name: `tablet ${i + 1}`,
        deviceId: waiter.device.id,
        token: waiter.token,
        writes: readJournal(journals[i]!),
      });
    }),
  );
  // Late originals still held by the network arrive now; their effect is what is checked.
  await proxy.settled();
  clearInterval(ticker);

  // --- check -----------------------------------------------------------------------------
  const checkPool = createPool(pg.url, 4, logger);
  const verdict = await checkAgainstJournals(checkPool, records, direct, {
    apiSample: config.apiSample,
    replaySample: config.replaySample,
    random,
  });
  await checkPool.end();

  const serverCrashes = sum(instances.map((i) => i.crashes));
  const startFailures = sum(instances.map((i) => i.startFailures));
  const kills = sum(instances.map((i) => i.kills));
  const anomalies = anomaliesOf(verdict);
  // A server must outlive a PostgreSQL crash, and wait for PostgreSQL at start.
  if (serverCrashes > 0) anomalies.push(`${serverCrashes} server crashes`);
  if (startFailures > 0) anomalies.push(`${startFailures} server start failures`);
  // A run that injected nothing proves nothing.
  const missing = [
    ...faultKinds.filter((k) => proxy.injected[k] === 0),
    ...(config.serverKills > 0 && kills === 0 ? ['server_kill'] : []),
    ...(config.pgCrashes > 0 && pg.crashes === 0 ? ['pg_crash'] : []),
    ...(verdict.refused === 0 ? ['refusals'] : []),
  ];
  if (missing.length > 0) anomalies.push(`never happened: ${missing.join(', ')}`);

  const faults = faultKinds.map((k) => `${k} ${proxy.injected[k]}`).join(', ');
  const seconds = Math.round((performance.now() - started) / 1000);
  console.log(
    `chaos: intended ${verdict.intended}, stored once ${verdict.storedOnce}, refused ${verdict.refused}, ` +
      `lost ${verdict.lost}, duplicated ${verdict.duplicated}, refused-but-stored ${verdict.refusedButStored}, ` +
      `unfinished ${verdict.unfinished}, wrong items ${verdict.wrongItems}, ` +
      `changes acked ${verdict.changesAcknowledged} (missing ${verdict.changesMissing}, versions off ${verdict.versionsOff}), ` +
      `api mismatches ${verdict.apiMismatches}, replays ${verdict.replays} (differing ${verdict.replaysDiffering}, bytes differing ${verdict.replayBytesDiffering}), ` +
      `hostile ${verdict.hostile}, http 500s ${verdict.internalErrors}, drained from journals ${drained}, server crashes ${serverCrashes}, server start failures ${startFailures}; ` +
      `faults: ${faults}, server_kill ${kills}, pg_crash ${pg.crashes}, dish_86_toggle ${toggles}; ${seconds} s`,
  );
  for (const text of verdict.examples) console.log(`  e.g. ${text}`);

  await proxy.close();
  await Promise.all(instances.map((i) => i.stop()));
  await pg.stop();
  if (anomalies.length > 0) {
    console.log(`chaos: FAILED (${anomalies.join('; ')}); journals and server logs kept in ${dir}`);
    return 1;
  }
  if (process.env.CHAOS_KEEP) console.log(`chaos: journals and server logs kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  console.log('chaos: passed');
  return 0;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('chaos: the run itself failed', err);
    process.exit(2);
  },
);
