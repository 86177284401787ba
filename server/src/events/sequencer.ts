import type { Pool } from '../db/pool.js';
import type { Logger } from '../logger.js';
import { sequenceEvents } from './store.js';

export interface SequencerOptions {
  pool: Pool;
  logger: Logger;
  /** NOTIFY the other instances after each pass that positioned something. */
  notify: boolean;
  /** At most one pass per this many ms (a burst of writes shares one pass). */
  coalesceMs: number;
  /** A pass runs at least this often, whatever happened (an instance may have died after commit). */
  sweepMs: number;
  /** Told the new head after every pass that positioned events, before other instances hear of it. */
  onSequenced: (head: number) => void;
  batchSize?: number;
  lockTimeoutMs?: number;
  /** How long `stop()` keeps trying to position the last writes' events. */
  stopTimeoutMs?: number;
  /** Monotonic milliseconds; a parameter so tests could drive it. */
  now?: () => number;
}

const firstRetryMs = 5;

/**
 * Gives committed events their positions. `kick()` after every committed write; kicks
 * coalesce so that at most one pass is in flight and one is pending per instance: a kick
 * during a pass makes exactly one more pass, which starts after the kick, so it sees that
 * write's commit.
 */
export class Sequencer {
  private readonly batchSize: number;
  private readonly lockTimeoutMs: number;
  private readonly now: () => number;
  private pending = false;
  private running: Promise<void> | null = null;
  private lastStart = Number.NEGATIVE_INFINITY;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = firstRetryMs;
  private sweepTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: SequencerOptions) {
    this.batchSize = options.batchSize ?? 5_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5_000;
    this.now = options.now ?? (() => performance.now());
  }

  start(): void {
    this.sweepTimer = setInterval(() => this.kick(), this.options.sweepMs);
    this.sweepTimer.unref();
    this.kick();
  }

  kick(): void {
    if (this.stopped) return;
    this.pending = true;
    this.running ??= this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Stops kicking, waits for the pass in flight, then positions what the last writes committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running;
    // Our last writes may wait behind any transaction in the cluster (xids are cluster-wide):
    // keep trying for a while; past that, any instance's next pass positions them.
    const deadline = this.now() + (this.options.stopTimeoutMs ?? 2_000);
    for (let delay = firstRetryMs; ; delay = Math.min(delay * 2, 100)) {
      try {
        const pass = await this.pass();
        if (pass && pass.moved > 0) this.options.onSequenced(pass.head);
        if (pass && !pass.blocked && pass.moved < this.batchSize) return;
      } catch (err) {
        this.options.logger.warn({ err }, 'last sequencer pass failed');
      }
      if (this.now() + delay > deadline) {
        this.options.logger.warn('stopping with events not yet positioned; another pass will take them');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private pass() {
    return sequenceEvents(this.options.pool, {
      batchSize: this.batchSize,
      notify: this.options.notify,
      lockTimeoutMs: this.lockTimeoutMs,
    });
  }

  private async loop(): Promise<void> {
    while (this.pending && !this.stopped) {
      const wait = this.lastStart + this.options.coalesceMs - this.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.pending = false;
      this.lastStart = this.now();
      try {
        const pass = await this.pass();
        if (pass === null) {
          this.retrySoon();
          continue;
        }
        if (pass.moved > 0) {
          this.options.onSequenced(pass.head);
          this.retryMs = firstRetryMs;
        }
        if (pass.moved === this.batchSize) {
          this.pending = true;
        } else if (pass.blocked) {
          this.retrySoon();
        } else {
          this.retryMs = firstRetryMs;
        }
      } catch (err) {
        this.options.logger.error({ err }, 'sequencer pass failed');
        this.retrySoon();
      }
    }
  }

  /**
   * Events are committed but wait behind an older running transaction, which may not be
   * a write that will kick us when it ends (a device touch, another instance's work):
   * look again soon, backing off up to the sweep interval.
   */
  private retrySoon(): void {
    if (this.retryTimer || this.stopped) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.options.sweepMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, delay);
    this.retryTimer.unref();
  }
}
