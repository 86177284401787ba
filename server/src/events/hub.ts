import type { ChitEvent, EventStreamReady } from '@chit/shared';
import { compactOrder, eventStream } from '@chit/shared';
import type { Response } from 'express';
import pg from 'pg';
import type { Pool } from '../db/pool.js';
import { deviceRevokedChannel, revokedAmong } from '../devices/store.js';
import type { Logger } from '../logger.js';
import { eventsChannel, headPosition, oldestPosition, readEvents, type StoredEvent } from './store.js';

/** What one stream wants; every given field must match (AND). */
export interface EventFilter {
  /** Kitchen station: its items' changes, and orders with at least one of its items. */
  station?: string;
  /** Only events about items (and orders) this device created. */
  deviceId?: string;
  tableId?: string;
}

/** One event, serialised once and written to every stream that wants it. */
interface Frame {
  position: number;
  /** When the event's transaction wrote it (ms since the epoch), for the lag metric. */
  at: number;
  type: ChitEvent['type'];
  tableId: string | null;
  deviceId: string | null;
  stations: readonly string[];
  text: string;
  /** The frame for streams that asked for `compact` (differs for order.created only). */
  compactText: string;
}

interface Subscriber {
  res: Response;
  filter: EventFilter;
  /** Highest position written to (or deliberately skipped for) this stream: nothing at or below it is sent again. */
  sent: number;
  /** Live frames held back while the stream catches up from the table; null once live. */
  backlog: Frame[] | null;
  closed: boolean;
  /** Asked for new orders in their compact form (`compactOrder`). */
  compact: boolean;
  /** The device whose token opened the stream: its revocation ends the stream. */
  deviceId: string | null;
}

const textOf = (sub: Subscriber, frame: Frame) => (sub.compact ? frame.compactText : frame.text);

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
 * Resolves when the socket wants more, or is gone. Both listeners go either way: a
 * catch-up waits once per page, and `Promise.race` of two `once()`s left one behind each time.
 */
function drainOrClose(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function toFrame(row: StoredEvent): Frame {
  // The payload was written by appendEvents from a typed NewEvent; it is not re-validated
  // on the hot path.
  const event = { id: row.position, at: row.created_at, type: row.type, data: row.payload } as ChitEvent;
  const stations =
    event.type === 'order.created'
      ? [...new Set(event.data.order.items.map((item) => item.station))]
      : event.type === 'order.allergy_acknowledged'
        ? event.data.stations
        : row.station === null
          ? []
          : [row.station];
  // No `event:` field: every ChitEvent is a plain message, so one onmessage handler sees them all.
  const text = `id: ${row.position}\ndata: ${JSON.stringify(event)}\n\n`;
  const compactText =
    event.type === 'order.created'
      ? `id: ${row.position}\ndata: ${JSON.stringify({ ...event, data: { order: compactOrder(event.data.order) } })}\n\n`
      : text;
  return {
    position: row.position,
    at: Date.parse(row.created_at),
    type: row.type,
    tableId: row.table_id,
    deviceId: row.device_id,
    stations,
    text,
    compactText,
  };
}

const firstReconnectMs = 250;
const maxReconnectMs = 5_000;

const everyoneHears = new Set<string>(['menu.availability', 'menu.changed', 'tables.changed']);

export function matches(filter: EventFilter, frame: Frame): boolean {
  if (filter.station !== undefined && !frame.stations.includes(filter.station)) return false;
  // Every device must hear that a dish was 86ed or the menu or tables changed, whatever
  // table or waiter it follows.
  if (everyoneHears.has(frame.type)) return true;
  // A clear matters to every tablet showing the table, whoever's orders it follows.
  if (frame.type === 'table.cleared') return filter.tableId === undefined || frame.tableId === filter.tableId;
  if (filter.deviceId !== undefined && frame.deviceId !== filter.deviceId) return false;
  if (filter.tableId !== undefined && frame.tableId !== filter.tableId) return false;
  return true;
}

function isEmpty(filter: EventFilter): boolean {
  return filter.station === undefined && filter.deviceId === undefined && filter.tableId === undefined;
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
  private listener: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectMs = firstReconnectMs;
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
    if (this.options.listen) await this.connectListener();
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

  private writeFrames(sub: Subscriber, frames: readonly Frame[]): void {
    let text = '';
    let last = sub.sent;
    for (const frame of frames) {
      if (frame.position <= sub.sent) continue;
      last = frame.position;
      if (matches(sub.filter, frame)) text += textOf(sub, frame);
    }
    if (text) this.write(sub, text, last);
    else sub.sent = last;
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
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform: proxies must not compress (and so buffer) the stream either.
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    res.socket?.setNoDelay(true);

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
        const flushed = this.writeFramesAwaitable(sub, rows.map(toFrame));
        if (!flushed && !sub.closed) await drainOrClose(res);
      }
      // What arrived live meanwhile, paced the same way (it grows while we wait for 'drain').
      while (sub.backlog && sub.backlog.length > 0 && !sub.closed) {
        const flushed = this.writeFramesAwaitable(sub, sub.backlog.splice(0, this.pageSize));
        if (!flushed && !sub.closed) await drainOrClose(res);
      }
      sub.backlog = null;
    } catch (err) {
      this.options.logger.error({ err }, 'could not start an event stream');
      this.end(sub);
    }
  }

  private writeFramesAwaitable(sub: Subscriber, frames: readonly Frame[]): boolean {
    let text = '';
    let last = sub.sent;
    for (const frame of frames) {
      if (frame.position <= sub.sent) continue;
      last = frame.position;
      if (matches(sub.filter, frame)) text += textOf(sub, frame);
    }
    if (!text) {
      sub.sent = last;
      return true;
    }
    return this.write(sub, text, last, true);
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
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.reading;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, keepAlive: true });
    const lost = (err?: Error) => {
      if (this.listener !== client) return;
      this.listener = null;
      if (err) this.options.logger.warn({ err }, 'event listener connection lost');
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => {
      if (msg.channel === deviceRevokedChannel && msg.payload) this.endDevice(msg.payload);
      if (msg.channel !== eventsChannel) return;
      const head = Number(msg.payload);
      this.wake(Number.isSafeInteger(head) ? head : undefined);
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${eventsChannel}; LISTEN ${deviceRevokedChannel}`);
    } catch (err) {
      lost(err as Error);
      return;
    }
    this.reconnectMs = firstReconnectMs;
    // Notifications sent while we were not listening are gone: read the table.
    this.wake();
  }

  /** While PostgreSQL is down (restarting), tries again after 0.25 s, 0.5 s, … up to 5 s. */
  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.reconnectMs;
    this.reconnectMs = Math.min(delay * 2, maxReconnectMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connectListener();
    }, delay);
    this.reconnectTimer.unref();
  }
}
