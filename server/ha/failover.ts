/**
 * `pnpm test:ha`: Chit on a real PostgreSQL HA cluster, tested by killing its primary twice.
 *
 * Starts, on 127.0.0.1 and free ports, everything deploy/ha/ describes (cluster.ts): one
 * etcd member, three PostgreSQL 15 nodes managed by Patroni (synchronous_mode), HAProxy
 * routing to the primary by Patroni's GET /primary and spreading HTTP over two Chit
 * instances (the built server/dist/main.js). Simulated tablets post orders with
 * Idempotency-Keys and retry each until it gets a final answer (tablets.ts); a stream client
 * follows /api/events (stream-watcher.ts). The primary's postmaster is SIGKILLed, and after
 * the failover the new primary's too. Then it checks that every acknowledged order is
 * stored exactly once, that the stream client saw every event in order with no gap, and
 * that writes resumed within the target after each kill (check.ts).
 *
 * Everything it starts it stops, also when it fails or is interrupted (processes.ts).
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { builtServerMain } from '@chit/e2e/process';
import { eventStream } from '@chit/shared';
import pg from 'pg';
import { createDevice } from '../src/devices/store.js';
import { orderFactory } from '../bench/lib.js';
import { checkAndReport, type Kill } from './check.js';
import { healthyCluster, leaderOf, startCluster, type Cluster } from './cluster.js';
import { log, postmasterOf, Processes, stop } from './processes.js';
import { StreamWatcher } from './stream-watcher.js';
import { Tablets } from './tablets.js';

/**
 * What is killed: `postgres` (the default) SIGKILLs the primary's postmaster, with Patroni
 * left to report the crash; `machine` SIGKILLs its Patroni first, as when the host dies,
 * so the leader key must expire (ttl) before a standby is promoted.
 */
const killMode = process.env.HA_KILL === 'machine' ? 'machine' : 'postgres';
const noStandbyStep = process.env.HA_NO_STANDBY === '1';
/** Writes must be taken again within this long after a kill (the ttl, 20 s, plus the rest for `machine`). */
const targetDowntimeMs = killMode === 'machine' ? 30_000 : 15_000;
const tabletCount = 4;
/** Pause between one tablet's orders (after the previous got its final answer). */
const tabletPauseMs = 150;
const steadyMs = 8_000;

const procs = new Processes();
procs.cleanupOnSignals();

async function main(): Promise<boolean> {
  const cluster = await startCluster(procs);
  const { nodes, lb } = cluster;

  const pool = new pg.Pool({ connectionString: cluster.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  const manager = await createDevice(pool, 'HA stream watcher', 'manager');
  const factory = await orderFactory(pool, lb, tabletCount);

  const watcher = new StreamWatcher(`${lb}${eventStream.path}`, manager.token);
  watcher.start();
  const tablets = new Tablets(lb, tabletPauseMs);
  tablets.start(
    Array.from({ length: tabletCount }, () => factory.nextToken()),
    () => factory.order(),
  );

  const kills: Kill[] = [];
  const killLeader = async (round: number) => {
    const leader = await procs.until('the leader', 30_000, () => leaderOf(nodes));
    const pid = postmasterOf(leader.dataDir);
    if (pid === null) throw new Error(`no postmaster found for ${leader.name}`);
    if (killMode === 'machine') procs.named(`patroni-${leader.name}`)[0]!.child.kill('SIGKILL');
    process.kill(pid, 'SIGKILL');
    kills.push({ node: leader.name, at: performance.now() });
    log(
      `kill ${round}: SIGKILL ${killMode === 'machine' ? 'Patroni and the postmaster' : 'the postmaster'} of the primary ${leader.name} (pid ${pid}), ${tablets.acks.length} orders acknowledged so far`,
    );
  };

  await sleep(steadyMs);
  await killLeader(1);
  await procs.until('writes to resume', 60_000, () => tablets.resumedAfter(kills[0]!.at));
  const afterFirst = await procs.until('a new primary with a synchronous standby', 90_000, () => healthyCluster(nodes));
  log(`new primary ${afterFirst.leader}, sync standby ${afterFirst.sync}`);
  await sleep(steadyMs);
  await killLeader(2);
  await procs.until('writes to resume', 60_000, () => tablets.resumedAfter(kills[1]!.at));
  await sleep(steadyMs);

  // No standby left (synchronous_mode_strict: false): the primary must go on alone.
  // Opt-in (HA_NO_STANDBY=1): in about one run in ten the lone primary took no write for
  // 60 s, cause not yet found (docs/ha.md); CI runs what the failover promise rests on.
  const alone = noStandbyStep ? await stopBothStandbys(cluster, tablets) : null;

  log(`stopping the tablets (${tablets.inFlight} orders waiting for their final answer)`);
  await tablets.stop();

  // Every event is positioned and the stream has read up to the end of the log.
  const end = await procs.until('every event to be positioned', 30_000, async () => {
    const { rows } = await pool.query<{ waiting: number; head: number }>(
      `SELECT count(*) FILTER (WHERE position IS NULL)::int AS waiting, coalesce(max(position), 0)::int AS head FROM events`,
    );
    return rows[0]!.waiting === 0 ? rows[0]!.head : undefined;
  });
  await procs
    .until('the stream to catch up', 30_000, () => (watcher.last >= end ? true : undefined))
    .catch(() => undefined);
  await watcher.stop();

  try {
    return await checkAndReport({
      procs,
      pool,
      chit: cluster.chit,
      tablets,
      watcher,
      end,
      kills,
      targetDowntimeMs,
      alone,
    });
  } finally {
    await pool.end();
  }
}

/** Stops both standbys, from a settled cluster, and waits for the lone primary to take a write. */
async function stopBothStandbys({ nodes }: Cluster, tablets: Tablets): Promise<{ from: number; at: number }> {
  // From a settled cluster (the node killed last may still be rejoining as a standby).
  await procs.until('a primary with a synchronous standby', 90_000, () => healthyCluster(nodes));
  const lastLeader = await procs.until('the leader', 30_000, () => leaderOf(nodes));
  const standbys = procs.named('patroni-').filter((s) => s.name !== `patroni-${lastLeader.name}`);
  const from = performance.now();
  log(`stopping both standbys (${standbys.map((s) => s.name).join(', ')}): ${lastLeader.name} is alone`);
  await Promise.all(standbys.map((s) => stop(s, 20_000)));
  const at = performance.now();
  await procs.until('writes with no standby', 60_000, () => tablets.resumedAfter(at));
  await sleep(steadyMs / 2);
  return { from, at };
}

let ok = false;
try {
  if (!existsSync(builtServerMain)) throw new Error('server/dist/main.js is missing: build first');
  ok = await main();
} catch (err) {
  log(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  procs.showLogTails();
} finally {
  await procs.cleanup();
}
process.exit(ok ? 0 : 1);
