import { mergeOrder, mergeTableItems, saveMenu } from '../db/cache.js';
import {
  claimNext,
  completeEntry,
  deferEntry,
  dropRefusedEntry,
  noteSuccessfulContact,
  refuseEntry,
  releaseEntry,
  resetInterrupted,
} from '../db/outbox.js';
import { definitionOf, requestOf } from '../db/mutations/index.js';
import type { ChitDb, OutboxEntry } from '../db/schema.js';
import type { Api, ApiResult } from './api.js';
import { backoffDelay, probeBackoff, retryOf, serverAway, writeBackoff, type BackoffPolicy } from './backoff.js';
import type { SendLock } from './lock.js';

export type Verdict = 'done' | 'retry' | 'refused' | 'unauthorized';

/** What an answer means for a write. Anything not known to be temporary is a refusal the waiter must see. */
export function verdictOf(result: ApiResult<unknown>): Verdict {
  if (result.kind === 'ok') return 'done';
  if (result.kind === 'network') return 'retry';
  const { status, error } = result;
  if (status >= 200 && status < 300) return 'done';
  if (status === 401) return 'unauthorized';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status === 409 && error.code === 'idempotency_key_in_use') return 'retry';
  return 'refused';
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SenderDeps {
  db: ChitDb;
  api: Api;
  lock: SendLock;
  /** The device's clock (injected, so tests and benches control time). */
  now: () => number;
  random?: () => number;
  timers?: Timers;
  /** Retries of a write the server answered with a temporary failure (default `writeBackoff`). */
  backoff?: BackoffPolicy;
  /** Probes of `GET /api/health` while the server is away (default `probeBackoff`). */
  probe?: BackoffPolicy;
  /** The token was refused: the app goes back to pairing; the outbox stays. */
  onUnauthorized?: (message: string) => void;
  /**
   * True when the browser knows it has no network (navigator.onLine === false, which is
   * reliable in that direction). Then nothing is tried: an untried write stays editable in
   * place, and the `online` event is the next chance.
   */
  isOffline?: () => boolean;
  /**
   * Whether the server answered (false: no answer, or 502/503/504, including the probe's):
   * drives the badge, and the engine's other reconnections when the server is back.
   */
  onReachability?: (reachable: boolean) => void;
  /** A send or probe nobody awaits failed (not the network: a bug, a full disk): log and show it. */
  onError?: (what: string, error: unknown) => void;
}

export interface DrainReport {
  sent: number;
  refused: number;
  /**
   * Why the drain stopped: nothing left, a retry is scheduled, the server is away (a probe
   * is scheduled at `nextAttemptAt`), or the token is gone.
   */
  stopped: 'idle' | 'waiting' | 'away' | 'unauthorized' | 'no-token' | 'offline';
  nextAttemptAt: number | null;
}

/**
 * Sends the outbox, oldest first, one request at a time across every tab (the lock), and
 * schedules its own retry. Call `kick()` at every chance to send; it coalesces.
 */
export class OutboxSender {
  private readonly db: ChitDb;
  private readonly api: Api;
  private readonly lock: SendLock;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly timers: Timers;
  private readonly policy: BackoffPolicy;
  private readonly probePolicy: BackoffPolicy;
  /** Probes (and sends) the server did not answer in a row: paces the probe. */
  private awayCount = 0;
  private readonly deps: SenderDeps;
  private timer: unknown = null;
  private running: Promise<DrainReport> | null = null;
  private probing: Promise<unknown> | null = null;
  private again: 'no' | 'due' | 'force' = 'no';
  private stopped = false;
  private busy = false;

  constructor(deps: SenderDeps) {
    this.deps = deps;
    this.db = deps.db;
    this.api = deps.api;
    this.lock = deps.lock;
    this.now = deps.now;
    this.random = deps.random ?? Math.random;
    this.timers = deps.timers ?? realTimers;
    this.policy = deps.backoff ?? writeBackoff;
    this.probePolicy = deps.probe ?? probeBackoff;
  }

  /** True while this tab has a request on the wire; the update flow waits for it. */
  get sending(): boolean {
    return this.busy;
  }

  /**
   * A chance to send. `force` (the default) skips the backoff wait, because something
   * changed: back online, page visible, a new write, app start. Resolves when the outbox
   * has been drained as far as it can go now.
   */
  kick(force = true): Promise<DrainReport> {
    if (this.running) {
      if (force || this.again === 'no') this.again = force ? 'force' : 'due';
      return this.running;
    }
    const run = this.loop(force).finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  /** Resolves when no drain (nor probe) is running in this tab (tests, and the update flow). */
  async whenIdle(): Promise<void> {
    while (this.running || this.probing) await (this.running ?? this.probing);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private async loop(force: boolean): Promise<DrainReport> {
    let report = await this.drainWithLock(force);
    while (this.again !== 'no' && !this.stopped) {
      const nextForce = this.again === 'force';
      this.again = 'no';
      report = await this.drainWithLock(nextForce);
    }
    this.schedule(report);
    return report;
  }

  private schedule(report: DrainReport): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped || report.nextAttemptAt === null) return;
    const delay = Math.max(0, report.nextAttemptAt - this.now());
    const away = report.stopped === 'away';
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      if (away) this.probing = this.background('probing the server', this.probe()).finally(() => (this.probing = null));
      else void this.background('sending', this.kick(false));
    }, delay);
  }

  /**
   * The server was away with writes waiting: ask `GET /api/health` (a few bytes, no rate
   * limit) rather than resend a write, and send everything the moment it answers. Any
   * other sign of the server (an answered read, the event stream, `online`) kicks sooner.
   */
  private async probe(): Promise<void> {
    if (this.stopped || this.running) return;
    if (this.deps.isOffline?.()) return;
    const up = await this.api.health();
    if (this.stopped || this.running) return;
    this.deps.onReachability?.(up);
    if (up) {
      void this.background('sending', this.kick(true));
      return;
    }
    this.awayCount += 1;
    this.schedule({
      sent: 0,
      refused: 0,
      stopped: 'away',
      nextAttemptAt: this.now() + backoffDelay(this.awayCount, this.random, this.probePolicy),
    });
  }

  /** A task nobody awaits: its failure goes to `onError` rather than unhandled. */
  private background(what: string, task: Promise<unknown>): Promise<unknown> {
    return task.catch((error: unknown) => this.deps.onError?.(what, error));
  }

  private drainWithLock(force: boolean): Promise<DrainReport> {
    return this.lock.run(async () => {
      // Holding the lock, no other tab is sending: a `sending` entry is a dead tab's.
      await resetInterrupted(this.db);
      return this.drain(force);
    });
  }

  private async drain(force: boolean): Promise<DrainReport> {
    const report: DrainReport = { sent: 0, refused: 0, stopped: 'idle', nextAttemptAt: null };
    if (!this.api.hasToken()) return { ...report, stopped: 'no-token' };
    for (;;) {
      if (this.stopped) return report;
      if (this.deps.isOffline?.()) return { ...report, stopped: 'offline' };
      const next = await claimNext(this.db, this.now(), force);
      if (next.kind === 'idle') return report;
      if (next.kind === 'wait') return { ...report, stopped: 'waiting', nextAttemptAt: next.until };
      const outcome = await this.sendOne(next.entry);
      if (outcome === 'done') report.sent += 1;
      else if (outcome === 'refused') report.refused += 1;
      else if (outcome === 'unauthorized') return { ...report, stopped: 'unauthorized' };
      else if (outcome === 'away') {
        this.awayCount += 1;
        const probeAt = this.now() + backoffDelay(this.awayCount, this.random, this.probePolicy);
        return { ...report, stopped: 'away', nextAttemptAt: probeAt };
      }
      // A retry keeps its place in line: later writes wait, so the order holds. The loop
      // comes back to claimNext, which answers "wait until" for it.
      else force = false;
    }
  }

  private async sendOne(entry: OutboxEntry): Promise<Verdict | 'away'> {
    const mutation = definitionOf(entry.mutation);
    const { method, path, body } = requestOf(entry.mutation);
    this.busy = true;
    let result: ApiResult<unknown>;
    try {
      result = await this.api.write(method, path, body, entry.idempotencyKey, mutation.answer);
    } finally {
      this.busy = false;
    }
    const away = serverAway(result);
    this.deps.onReachability?.(!away);
    if (!away) this.awayCount = 0;
    let verdict = verdictOf(result);
    const now = this.now();

    const delivered = mutation.delivered;
    if (
      verdict === 'refused' &&
      result.kind === 'http' &&
      result.error.code === delivered?.code &&
      entry.attempts > 1
    ) {
      // An earlier try whose answer was lost may have stored it (e.g. under a token since
      // replaced). If the server holds exactly these items, it is delivered.
      if (await this.itemsArrived(entry, delivered.itemIds(entry.mutation.args))) verdict = 'done';
    }

    switch (verdict) {
      case 'done': {
        const data = result.kind === 'ok' ? result.data : undefined;
        await completeEntry(this.db, entry, data, now);
        if (data === undefined) await this.refresh(entry);
        return 'done';
      }
      case 'retry': {
        if (result.kind === 'ok') throw new Error('unreachable: an answer with data is done');
        const policies = { write: this.policy, probe: this.probePolicy };
        await deferEntry(this.db, entry, retryOf(entry, result, { now, away, random: this.random, policies }));
        return away ? 'away' : 'retry';
      }
      case 'refused': {
        if (result.kind !== 'http') throw new Error('unreachable: only an HTTP answer can refuse');
        if (mutation.refusal === 'drop') {
          await dropRefusedEntry(this.db, entry, result.error, now);
          // Learn where the item (or dish) really is.
          await this.refresh(entry);
          return 'refused';
        }
        await refuseEntry(this.db, entry, result.error);
        return 'refused';
      }
      case 'unauthorized': {
        await releaseEntry(this.db, entry);
        this.api.setToken(null);
        this.deps.onUnauthorized?.(result.kind === 'http' ? result.error.message : 'Pair this device again.');
        return 'unauthorized';
      }
    }
  }

  /** Whether the server holds every one of these items of the entry's order. */
  private async itemsArrived(entry: OutboxEntry, itemIds: string[]): Promise<boolean> {
    const result =
      entry.tableId === null ? await this.api.order(entry.orderId ?? '') : await this.api.tableItems(entry.tableId);
    if (result.kind !== 'ok') return false;
    const items = 'order' in result.data ? result.data.order.items : result.data.items;
    const onServer = new Set(items.filter((i) => i.orderId === entry.orderId).map((i) => i.id));
    return itemIds.length > 0 && itemIds.every((id) => onServer.has(id));
  }

  /** Learns what a write touched really is now: the menu, or its items' table (or order, when it has none). */
  private async refresh(entry: OutboxEntry): Promise<void> {
    const what = definitionOf(entry.mutation).refresh;
    const sentAt = this.now();
    if (what === 'menu') {
      const result = await this.api.menu();
      if (result.kind === 'ok') await saveMenu(this.db, result.data, this.now());
      return;
    }
    if (what === 'none' || (entry.tableId === null && entry.orderId === null)) return;
    const result =
      entry.tableId === null ? await this.api.order(entry.orderId!) : await this.api.tableItems(entry.tableId);
    if (result.kind !== 'ok') return;
    if ('order' in result.data) await mergeOrder(this.db, result.data.order, this.now());
    else await mergeTableItems(this.db, entry.tableId!, result.data.items, sentAt, this.now());
    await noteSuccessfulContact(this.db, this.now());
  }
}
