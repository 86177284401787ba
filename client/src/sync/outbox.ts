import {
  AllergyAckResponse,
  ClearTableResponse,
  CreateOrderResponse,
  ItemResponse,
  MenuItemResponse,
} from '@chit/shared';
import { saveMenu } from '../db/cache.js';
import { mergeOrder, mergeTableItems } from '../db/cache.js';
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
import type { ChitDb, OutboxEntry } from '../db/schema.js';
import type { Api, ApiResult } from './api.js';
import {
  backoffDelay,
  parseRetryAfter,
  probeBackoff,
  serverAway,
  stuckAfter,
  stuckRetryMs,
  writeBackoff,
  type BackoffPolicy,
} from './backoff.js';
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
  now?: () => number;
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
    this.now = deps.now ?? Date.now;
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
      if (away) this.probing = this.probe().finally(() => (this.probing = null));
      else void this.kick(false);
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
      void this.kick(true);
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
    this.busy = true;
    let result: ApiResult<unknown>;
    try {
      result =
        entry.kind === 'createOrder'
          ? await this.api.write(entry.method, entry.path, entry.body, entry.idempotencyKey, CreateOrderResponse)
          : entry.kind === 'setAvailability'
            ? await this.api.write(entry.method, entry.path, entry.body, entry.idempotencyKey, MenuItemResponse)
            : entry.kind === 'clearTable'
              ? await this.api.write(entry.method, entry.path, entry.body, entry.idempotencyKey, ClearTableResponse)
              : entry.kind === 'ackAllergy'
                ? await this.api.write(entry.method, entry.path, entry.body, entry.idempotencyKey, AllergyAckResponse)
                : await this.api.write(entry.method, entry.path, entry.body, entry.idempotencyKey, ItemResponse);
    } finally {
      this.busy = false;
    }
    const away = serverAway(result);
    this.deps.onReachability?.(!away);
    if (!away) this.awayCount = 0;
    let verdict = verdictOf(result);
    const now = this.now();

    if (
      verdict === 'refused' &&
      result.kind === 'http' &&
      result.error.code === 'order_exists' &&
      entry.kind === 'createOrder' &&
      entry.attempts > 1
    ) {
      // An earlier try whose answer was lost may have stored it (e.g. under a token since
      // replaced). If the server holds exactly this order, it is delivered.
      if (await this.orderArrived(entry)) verdict = 'done';
    }

    switch (verdict) {
      case 'done': {
        const data = result.kind === 'ok' ? result.data : undefined;
        await completeEntry(this.db, entry, toMerge(data), now);
        if (!data || result.kind !== 'ok') await this.refreshWhere(entry);
        return 'done';
      }
      case 'retry': {
        const retryAfter = result.kind === 'http' ? parseRetryAfter(result.retryAfter, now, this.policy) : null;
        const failures = entry.failures + 1;
        // Away: the probe decides when to try again; a fresh chance may go at once.
        let wait = backoffDelay(failures, this.random, away ? this.probePolicy : this.policy);
        // A 5xx that is not "come back later": this write may be what fails. Counted, and
        // once it fails over and over it is set aside (see claimNext), retried slowly.
        const serverError = result.kind === 'http' && result.status >= 500 && !away;
        let serverErrors: { count: number; since: number | null; stuckSince: number | null } | undefined;
        if (serverError) {
          const count = (entry.serverErrors ?? 0) + 1;
          const since = entry.firstServerErrorAt ?? now;
          const stuckSince =
            entry.stuckSince ?? (count >= stuckAfter.answers || now - since >= stuckAfter.ms ? now : null);
          serverErrors = { count, since, stuckSince };
        }
        if ((serverErrors?.stuckSince ?? entry.stuckSince) != null) {
          wait = Math.round(stuckRetryMs / 2 + (stuckRetryMs / 2) * this.random());
        }
        await deferEntry(this.db, entry, {
          nextAttemptAt: now + Math.max(wait, retryAfter ?? 0),
          notBefore: retryAfter === null ? 0 : now + retryAfter,
          error:
            result.kind === 'http'
              ? result.error
              : { status: 0, code: 'network', message: result.kind === 'network' ? result.message : 'No answer.' },
          ...(serverErrors ? { serverErrors } : {}),
        });
        return away ? 'away' : 'retry';
      }
      case 'refused': {
        if (result.kind !== 'http') throw new Error('unreachable: only an HTTP answer can refuse');
        if (entry.kind === 'bumpItem' || entry.kind === 'setAvailability' || entry.kind === 'ackAllergy') {
          await dropRefusedEntry(this.db, entry, result.error, now);
          // Learn where the item (or dish, or order) really is.
          if (entry.kind === 'ackAllergy') await this.refreshOrder(entry.orderId);
          else if (entry.kind === 'bumpItem') await this.refreshWhere(entry);
          else await this.refreshMenu();
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

  private async orderArrived(entry: OutboxEntry): Promise<boolean> {
    const result =
      entry.tableId === '' ? await this.api.order(entry.orderId) : await this.api.tableItems(entry.tableId);
    if (result.kind !== 'ok') return false;
    const body = entry.body as { items: { id: string }[] };
    const items = 'order' in result.data ? result.data.order.items : result.data.items;
    const onServer = new Set(items.filter((i) => i.orderId === entry.orderId).map((i) => i.id));
    return body.items.length > 0 && body.items.every((i) => onServer.has(i.id));
  }

  private async refreshOrder(orderId: string): Promise<void> {
    const result = await this.api.order(orderId);
    if (result.kind === 'ok') await mergeOrder(this.db, result.data.order);
  }

  private async refreshMenu(): Promise<void> {
    const result = await this.api.menu();
    if (result.kind === 'ok') await saveMenu(this.db, result.data, this.now());
  }

  /** Learns where a write's items really are: its table, or its order when it has none. */
  private async refreshWhere(entry: OutboxEntry): Promise<void> {
    if (entry.kind === 'setAvailability') return;
    const sentAt = Date.now();
    const result =
      entry.tableId === '' ? await this.api.order(entry.orderId) : await this.api.tableItems(entry.tableId);
    if (result.kind !== 'ok') return;
    if ('order' in result.data) await mergeOrder(this.db, result.data.order);
    else await mergeTableItems(this.db, entry.tableId, result.data.items, sentAt);
    await noteSuccessfulContact(this.db, this.now());
  }
}

function toMerge(data: unknown): Parameters<typeof completeEntry>[2] {
  const order = CreateOrderResponse.safeParse(data);
  if (order.success) return { order: order.data.order };
  const ack = AllergyAckResponse.safeParse(data);
  if (ack.success) return { allergyAck: ack.data };
  const item = ItemResponse.safeParse(data);
  if (item.success) return { item: item.data.item };
  const menuItem = MenuItemResponse.safeParse(data);
  if (menuItem.success) return { menuItem: menuItem.data.item };
  const cleared = ClearTableResponse.safeParse(data);
  if (cleared.success) return { cleared: cleared.data.cleared };
  return {};
}
