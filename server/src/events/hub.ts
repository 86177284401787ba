import type { EventStreamReady } from '@chit/shared';
import { eventStream } from '@chit/shared';
import type { Response } from 'express';
import type { Pool } from '../db/pool.js';
import { deviceRevokedChannel, revokedAmong } from '../devices/store.js';
import type { Logger } from '../logger.js';
import { isEmpty, toFrame, type EventFilter, type Frame } from './frames.js';
import { NotificationListener } from './listener.js';
import { drainOrClose, openStream, pendingText, textOf, type Subscriber } from './stream.js';
import { eventsChannel, headPosition, oldestPosition, readEvents } from './store.js';

export interface EventHubOptions {
  /** For the catch-up of streams that resume (the app's pool). */
  pool: Pool;
  /**
   * For the live reads, one per wake-up: a connection of their own, so that they never
   * queue behind the HTTP requests for the app's pool.
   */
  livePool: Pool;
  /** For the dedicated LISTEN connection (a pooled client would be recycled under it). */
  connectionString: string;
  logger: Logger;
  /** LISTEN for other instances' NOTIFYs; off, the hub only polls every `pollMs`. */
  listen: boolean;
  heartbeatMs: number;
  pollMs: number;
  retryMs: number;
  pageSize?: number;
  /** A stream whose socket has this much unsent is dropped; the client resumes from the table. */
  maxBufferedBytes?: number;
  /** Told, for each event fanned out live to at least one stream, the seconds since it was written. */
  onLag?: (seconds: number) => void;
}

/**
 * One per instance: follows the event log with one query per wake-up and fans the new
 * events out, in memory, to this instance's streams. Wake-ups come from NOTIFY (any
 * instance's sequencer), from this instance's sequencer directly, and from a poll.
 * The table is the truth: a lost notification only delays events until the next poll.
 */
export class EventHub {
  /** Every position up to here has been read and fanned out. */
  head = 0;
  private readonly subscribers = new Set<Subscriber>();
  private readonly pageSize: number;
  private readonly maxBufferedBytes: number;
  private pending = false;
  private reading: Promise<void> | null = null;
  private listener: NotificationListener | null = null;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  /** Shutting down: new streams are told to come back later (elsewhere). */
  private closing = false;

  constructor(private readonly options: EventHubOptions) {
    this.pageSize = options.pageSize ?? 1_000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1 << 20;
  }

  get streams(): number {
    return this.subscribers.size;
  }

  async start(): Promise<void> {
    this.head = await headPosition(this.options.pool);
    if (this.options.listen) {
      this.listener = new NotificationListener(this.options.connectionString, this.options.logger, {
        channels: {
          [eventsChannel]: (payload) => {
            const head = Number(payload);
            this.wake(Number.isSafeInteger(head) ? head : undefined);
          },
          [deviceRevokedChannel]: (payload) => {
            if (payload) this.endDevice(payload);
          },
        },
        // Notifications sent while nobody listened are gone: read the table.
        onConnected: () => this.wake(),
      });
      await this.listener.start();
    }
    const heartbeat = setInterval(() => this.heartbeat(), this.options.heartbeatMs);
    const poll = setInterval(() => this.wake(), this.options.pollMs);
    heartbeat.unref();
    poll.unref();
    this.timers.push(heartbeat, poll);
  }

  /**
   * New events may be in the table. `knownHead` (a notification's payload) lets a wake-up
   * that this instance has already read past skip its query.
   */
  wake(knownHead?: number): void {
    if (this.stopped || (knownHead !== undefined && knownHead <= this.head)) return;
    if (knownHead !== undefined && this.subscribers.size === 0 && this.reading === null) {
      // Nobody to fan out to: only the head matters, as the boundary of the next stream.
      this.head = knownHead;
      return;
    }
    this.pending = true;
    this.reading ??= this.readLoop().finally(() => {
      this.reading = null;
    });
  }

  private async readLoop(): Promise<void> {
    while (this.pending && !this.stopped) {
      this.pending = false;
      try {
        const rows = await readEvents(this.options.livePool, this.head, this.pageSize);
        if (rows.length === 0) continue;
        const frames = rows.map(toFrame);
        this.head = frames[frames.length - 1]!.position;
        this.fanOut(frames);
        if (rows.length === this.pageSize) this.pending = true;
      } catch (err) {
        // The next wake-up or poll reads from the same head again; nothing is skipped.
        this.options.logger.error({ err }, 'reading the event log failed');
      }
    }
  }

  private fanOut(frames: Frame[]): void {
    const onLag = this.options.onLag;
    if (onLag && this.subscribers.size > 0) {
      // Measured once per event, not per stream: the streams get it in the same loop below.
      const now = Date.now();
      for (const frame of frames) onLag(Math.max(0, now - frame.at) / 1000);
    }
    // Encoded once for every stream that takes it all: a string would be encoded again per stream.
    const all = { full: undefined as Buffer | undefined, compact: undefined as Buffer | undefined };
    for (const sub of this.subscribers) {
      if (sub.backlog) {
        sub.backlog.push(...frames);
      } else if (isEmpty(sub.filter) && frames[0]!.position > sub.sent) {
        const form = sub.compact ? 'compact' : 'full';
        const bytes = (all[form] ??= Buffer.from(frames.map((frame) => textOf(sub, frame)).join('')));
        this.write(sub, bytes, frames[frames.length - 1]!.position);
      } else {
        this.writeFrames(sub, frames);
      }
    }
  }

  /** Writes what `sub` wants of `frames`; see `write` for what `paced` and the result mean. */
  private writeFrames(sub: Subscriber, frames: readonly Frame[], paced = false): boolean {
    const { text, last } = pendingText(sub, frames);
    if (text) return this.write(sub, text, last, paced);
    sub.sent = last;
    return true;
  }

  /**
   * Returns false when the socket is backed up (the caller may wait for 'drain'). A live
   * write to a stream with more than `maxBufferedBytes` unsent drops it; a catch-up write
   * (`paced`) never does, because its caller waits for 'drain' before the next page (a
   * page of 1,000 new orders is over 1 MB: the first page of every long resume was dropped).
   */
  private write(sub: Subscriber, text: string | Buffer, last: number, paced = false): boolean {
    if (sub.closed) return true;
    sub.sent = last;
    const flushed = sub.res.write(text);
    if (!flushed && !paced && sub.res.writableLength > this.maxBufferedBytes) {
      // A tablet that cannot keep up is dropped rather than buffered without bound; it
      // reconnects with Last-Event-ID and reads what it missed from the table.
      this.options.logger.warn({ buffered: sub.res.writableLength }, 'dropping a stream that is not reading');
      this.end(sub);
    }
    return flushed;
  }

  private heartbeat(): void {
    for (const sub of this.subscribers) {
      if (!sub.closed) sub.res.write(': heartbeat\n\n');
    }
    void this.endRevokedStreams();
  }

  /** Ends every open stream of a revoked device (its token no longer opens new ones). */
  endDevice(deviceId: string): void {
    for (const sub of [...this.subscribers]) {
      if (sub.deviceId === deviceId) this.end(sub);
    }
  }

  /**
   * A revocation's NOTIFY may be missed (the listener was reconnecting, or LISTEN is off):
   * each heartbeat asks the table about the devices with open streams.
   */
  private async endRevokedStreams(): Promise<void> {
    const ids = [...new Set([...this.subscribers].flatMap((sub) => (sub.deviceId === null ? [] : [sub.deviceId])))];
    if (ids.length === 0) return;
    try {
      for (const id of await revokedAmong(this.options.livePool, ids)) this.endDevice(id);
    } catch (err) {
      this.options.logger.warn({ err }, "could not check the streams' devices for revocation");
    }
  }

  private end(sub: Subscriber): void {
    if (sub.closed) return;
    sub.closed = true;
    this.subscribers.delete(sub);
    sub.res.end();
  }

  /**
   * Serves one stream on `res` (headers already checked by the route). `cursor` is the
   * last position the client has (Last-Event-ID or ?after=), or null to start from now.
   *
   * The stream registers before anything async happens, with the hub's head at that
   * moment as the boundary: positions up to it are read from the table for this stream
   * alone, positions after it arrive through the fan-out (held in a backlog until the
   * catch-up is done). `sent` drops anything already written, so the two never overlap.
   */
  async subscribe(
    res: Response,
    filter: EventFilter,
    cursor: number | null,
    compact = false,
    deviceId: string | null = null,
  ): Promise<void> {
    if (this.closing) {
      // A stream that ends makes EventSource reconnect after `retry` (a 503 would stop it for good).
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'close' });
      res.end(`retry: ${this.shutdownRetryMs()}\n\n`);
      return;
    }
    const boundary = this.head;
    const sub: Subscriber = { res, filter, sent: boundary, backlog: [], closed: false, compact, deviceId };
    this.subscribers.add(sub);
    res.on('close', () => {
      sub.closed = true;
      this.subscribers.delete(sub);
    });
    openStream(res);

    try {
      let resumed = cursor !== null;
      let reset: EventStreamReady['reset'];
      if (cursor !== null && cursor > boundary && cursor > (await headPosition(this.options.pool))) {
        // A cursor this log never reached (a restored database, another restaurant): the
        // client must reload its state; the stream starts from now.
        resumed = false;
        reset = 'unknown';
      } else if (cursor !== null && cursor < boundary && cursor + 1 < (await oldestPosition(this.options.pool))) {
        // The events after it were pruned (older than the retention): the same, said plainly.
        resumed = false;
        reset = 'expired';
      }
      if (resumed) sub.sent = cursor!;
      const ready: EventStreamReady = reset ? { head: boundary, resumed, reset } : { head: boundary, resumed };
      const id = resumed ? '' : `id: ${boundary}\n`;
      res.write(
        `retry: ${this.options.retryMs}\n${id}event: ${eventStream.readyEvent}\ndata: ${JSON.stringify(ready)}\n\n`,
      );
      while (resumed && sub.sent < boundary && !sub.closed) {
        const rows = await readEvents(this.options.pool, sub.sent, this.pageSize, boundary);
        if (rows.length === 0) break;
        if (rows[0]!.position !== sub.sent + 1) {
          // Pruned while we caught up (positions have no gaps otherwise): end the stream; the
          // reconnect from the last id gets the reset.
          this.end(sub);
          return;
        }
        const flushed = this.writeFrames(sub, rows.map(toFrame), true);
        if (!flushed && !sub.closed) await drainOrClose(res);
      }
      // What arrived live meanwhile, paced the same way (it grows while we wait for 'drain').
      while (sub.backlog && sub.backlog.length > 0 && !sub.closed) {
        const flushed = this.writeFrames(sub, sub.backlog.splice(0, this.pageSize), true);
        if (!flushed && !sub.closed) await drainOrClose(res);
      }
      sub.backlog = null;
    } catch (err) {
      this.options.logger.error({ err }, 'could not start an event stream');
      this.end(sub);
    }
  }

  /** Ends every stream with a short retry hint, so clients reconnect (to another instance) soon. */
  closeStreams(): void {
    this.closing = true;
    const retryMs = this.shutdownRetryMs();
    for (const sub of [...this.subscribers]) {
      if (!sub.closed) sub.res.write(`retry: ${retryMs}\n\n`);
      this.end(sub);
    }
  }

  private shutdownRetryMs(): number {
    return Math.min(this.options.retryMs, 1_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closeStreams();
    for (const timer of this.timers) clearInterval(timer);
    const listener = this.listener;
    this.listener = null;
    const listening = listener?.stop();
    await this.reading;
    await listening;
  }
}
