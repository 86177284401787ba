import type pg from 'pg';
import { eventsChannel } from '../src/events/store.js';
import { log, type Processes, type Started } from './processes.js';
import type { StreamWatcher } from './stream-watcher.js';
import type { Tablets } from './tablets.js';

// After the kills: every acknowledged order stored exactly once, the stream complete and in
// order, writes back within the target; then the figures, and PASSED or what failed.

export interface Kill {
  node: string;
  at: number;
}

export interface Run {
  procs: Processes;
  /** Chit's database, through HAProxy. */
  pool: pg.Pool;
  chit: Started[];
  tablets: Tablets;
  watcher: StreamWatcher;
  /** The event log's head once every event was positioned. */
  end: number;
  kills: Kill[];
  targetDowntimeMs: number;
  /** When the standbys began to stop and when both were gone; null when that step was not run. */
  alone: { from: number; at: number } | null;
}

interface Figures {
  listeners: number;
  storedOnce: number;
  lost: number;
  doubled: number;
  unacknowledged: number;
  downtimes: number[];
  aloneAcks: number;
  aloneStall: number;
}

/** Checks the run and prints its figures; true when it passed. */
export async function checkAndReport(run: Run): Promise<boolean> {
  const problems: string[] = [];
  const figures = await check(run, problems);
  report(run, figures);
  if (problems.length > 0) {
    process.stdout.write(`FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return false;
  }
  process.stdout.write('PASSED\n');
  return true;
}

async function check(run: Run, problems: string[]): Promise<Figures> {
  const { pool, chit, tablets, watcher, end } = run;
  const { acks, refusals } = tablets;
  // Each instance's LISTEN connection died with each primary: it must be on this one now.
  const listeners = await run.procs
    .until('both instances to LISTEN on the new primary', 15_000, async () => {
      const { rows } = await pool.query<{ n: number }>(
        // The listener's one statement LISTENs to every channel it follows, the events' first.
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'chit' AND query LIKE 'LISTEN ' || $1 || '%'`,
        [eventsChannel],
      );
      return rows[0]!.n >= chit.length ? rows[0]!.n : undefined;
    })
    .catch(() => 0);
  if (listeners < chit.length) problems.push(`only ${listeners} of ${chit.length} instances LISTEN on the new primary`);
  const ackedIds = acks.map((a) => a.orderId);
  const { rows: stored } = await pool.query<{ id: string; n: number; items: number }>(
    `SELECT o.id, count(DISTINCT o.ctid)::int AS n, count(i.id)::int AS items
       FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
      WHERE o.id = ANY($1::uuid[]) GROUP BY o.id`,
    [ackedIds],
  );
  const storedById = new Map(stored.map((r) => [r.id, r]));
  const lost = ackedIds.filter((id) => !storedById.has(id));
  const doubled = stored.filter((r) => r.n !== 1 || r.items !== 3);
  const { rows: allOrders } = await pool.query<{ id: string }>(`SELECT id FROM orders`);
  const ackedSet = new Set(ackedIds);
  const unacknowledged = allOrders.filter((r) => !ackedSet.has(r.id));
  if (lost.length > 0)
    problems.push(`${lost.length} acknowledged orders are not stored: ${lost.slice(0, 5).join(', ')}`);
  if (doubled.length > 0) problems.push(`${doubled.length} acknowledged orders are stored more than once`);
  if (unacknowledged.length > 0) problems.push(`${unacknowledged.length} stored orders were never acknowledged`);
  if (ackedSet.size !== ackedIds.length) problems.push('an order was acknowledged under two ids');
  if (refusals.length > 0)
    problems.push(`${refusals.length} orders got a final refusal: ${refusals.slice(0, 3).join(' | ')}`);

  const { rows: logRows } = await pool.query<{ position: number; type: string; order_id: string | null }>(
    `SELECT position, type, order_id FROM events ORDER BY position`,
  );
  let streamMismatches = 0;
  for (const row of logRows) {
    const seen = watcher.seen.get(row.position);
    if (!seen || seen.type !== row.type || (row.type === 'order.created' && seen.orderId !== row.order_id)) {
      streamMismatches++;
    }
  }
  const seenCreated = new Set(
    [...watcher.seen.values()].filter((s) => s.type === 'order.created').map((s) => s.orderId),
  );
  const missedOrders = allOrders.filter((r) => !seenCreated.has(r.id));
  if (watcher.problems.length > 0) problems.push(`stream: ${watcher.problems.slice(0, 5).join('; ')}`);
  if (streamMismatches > 0)
    problems.push(`${streamMismatches} positions of the event log differ from what the stream was sent`);
  if (missedOrders.length > 0) problems.push(`the stream missed ${missedOrders.length} stored orders`);
  if (watcher.last !== end) problems.push(`the stream ended at position ${watcher.last}, the log at ${end}`);

  const downtimes = run.kills.map((kill) => (tablets.resumedAfter(kill.at) ?? Number.NaN) - kill.at);
  for (const [i, ms] of downtimes.entries()) {
    if (!(ms < run.targetDowntimeMs))
      problems.push(
        `writes resumed ${(ms / 1000).toFixed(1)} s after kill ${i + 1} (target < ${run.targetDowntimeMs / 1000} s)`,
      );
  }
  let aloneStall = Number.NaN;
  let aloneAcks = 0;
  if (run.alone) {
    const { from, at } = run.alone;
    // The longest wait between two acknowledgements from the moment the standbys began to stop.
    const answers = acks
      .map((a) => a.answeredAt)
      .filter((t) => t >= from)
      .sort((a, b) => a - b);
    aloneStall = Math.max(answers[0]! - from, ...answers.slice(1).map((t, i) => t - answers[i]!));
    aloneAcks = acks.filter((a) => a.sentAt >= at).length;
    if (aloneAcks === 0) problems.push('no order was acknowledged once the primary was alone');
  }
  for (const instance of chit) if (instance.exited) problems.push(`${instance.name} exited during the run`);
  return {
    listeners,
    storedOnce: stored.length - doubled.length,
    lost: lost.length,
    doubled: doubled.length,
    unacknowledged: unacknowledged.length,
    downtimes,
    aloneAcks,
    aloneStall,
  };
}

function report(run: Run, figures: Figures): void {
  const { tablets, watcher, targetDowntimeMs } = run;
  const { acks } = tablets;
  const retried = [...tablets.retryStatuses.entries()].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  log('results');
  for (const [i, kill] of run.kills.entries()) {
    process.stdout.write(
      `  kill ${i + 1} (${kill.node}): writes resumed after ${(figures.downtimes[i]! / 1000).toFixed(2)} s (target < ${targetDowntimeMs / 1000} s)\n`,
    );
  }
  process.stdout.write(
    [
      run.alone
        ? `  no standby left: ${figures.aloneAcks} orders acknowledged by the lone primary; longest wait between acknowledgements ${(figures.aloneStall / 1000).toFixed(2)} s`
        : '  no standby left: not tried (HA_NO_STANDBY=1 tries it)',
      `  orders acknowledged: ${acks.length}, stored exactly once: ${figures.storedOnce}, lost: ${figures.lost}, doubled: ${figures.doubled}, stored but never acknowledged: ${figures.unacknowledged}`,
      `  acknowledged after more than one attempt: ${acks.filter((a) => a.attempts > 1).length}; retried answers: ${retried}`,
      `  instances listening on the last primary: ${figures.listeners} of ${run.chit.length}`,
      `  event stream: ${watcher.seen.size} events, positions 1..${watcher.last} with no gap: ${watcher.problems.length === 0}, log head ${run.end}, reconnects ${watcher.reconnects}`,
      '',
    ].join('\n'),
  );
}
