import { eventStream } from '@chit/shared';
import { ChitEvent, EventStreamReady } from './contract.js';
import { applyEvent } from '../db/cache.js';
import { getMeta, setMeta } from '../db/meta.js';
import type { ChitDb } from '../db/schema.js';
import type { Api } from './api.js';
import { backoffDelay, serverAway } from './backoff.js';
import { realTimers, type Timers } from './outbox.js';
import { SseParser } from './sse.js';

/** `live`: streaming; `connecting`; `unavailable`: the server has no event stream (404) or refused it; `off`: stopped. */
export type EventsMode = 'live' | 'connecting' | 'unavailable' | 'off';

export interface EventsDeps {
  db: ChitDb;
  api: Api;
  /** The device's clock: merges stamp what they keep with it. */
  now: () => number;
  /** Applying an event failed (not the network: a bug, a full disk): log and show it. */
  onError?: (what: string, error: unknown) => void;
  timers?: Timers;
  random?: () => number;
  onMode?: (mode: EventsMode) => void;
  onReachability?: (reachable: boolean) => void;
  /** A manager changed the menu or the tables: reload them over REST (events carry only ids). */
  onSetupChanged?: (what: 'menu' | 'tables') => void;
  /** How long to wait before asking again after a 404: the server may be upgraded meanwhile. */
  unavailableRetryMs?: number;
  /**
   * The first frame of every stream. `resumed: false` means the server could not resume
   * from our cursor (none, or one it never reached): what happened meanwhile must be
   * loaded over REST.
   */
  onReady?: (ready: EventStreamReady) => void;
  /**
   * A stream silent this long is dead (the server sends a heartbeat at least every 15 s;
   * a dropped Wi-Fi can leave a socket open with nothing coming): drop it and reconnect.
   */
  silenceMs?: number;
}

/**
 * Follows `GET /api/events`, resuming from the last applied id. It only adds speed: the
 * app polls either way, so a missing endpoint, a proxy that buffers, or a dropped
 * connection costs freshness, never correctness.
 */
export class EventSubscriber {
  private controller: AbortController | null = null;
  private timer: unknown = null;
  private failures = 0;
  private running = false;
  private readonly timers: Timers;

  constructor(private readonly deps: EventsDeps) {
    this.timers = deps.timers ?? realTimers;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  stop(): void {
    this.running = false;
    this.quiet();
    this.controller?.abort();
    this.controller = null;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.deps.onMode?.('off');
  }

  /** Reconnect now (e.g. back online) instead of waiting out the delay. */
  nudge(): void {
    if (!this.running || this.controller) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.open();
  }

  private later(ms: number): void {
    if (!this.running) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.open();
    }, ms);
  }

  private watchdog: unknown = null;
  private stalled: AbortController | null = null;

  /** (Re)arms the silence timer of the open stream. */
  private heard(controller: AbortController): void {
    if (this.watchdog !== null) this.timers.clearTimeout(this.watchdog);
    this.watchdog = this.timers.setTimeout(() => {
      this.watchdog = null;
      this.stalled = controller;
      controller.abort();
    }, this.deps.silenceMs ?? 35_000);
  }

  private quiet(): void {
    if (this.watchdog !== null) this.timers.clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private open(): void {
    this.connect().catch((error: unknown) => this.deps.onError?.('following the event stream', error));
  }

  private async connect(): Promise<void> {
    if (!this.running || !this.deps.api.hasToken()) return;
    this.deps.onMode?.('connecting');
    const controller = new AbortController();
    this.controller = controller;
    try {
      const lastId = (await getMeta(this.deps.db, 'lastEventId')) ?? null;
      const opened = await this.deps.api.openEvents(lastId, controller.signal);
      if (!(opened instanceof Response)) {
        if (opened.kind === 'http' && opened.status < 500) {
          this.deps.onReachability?.(true);
          this.deps.onMode?.('unavailable');
          // 404: not deployed yet. 401/403 here says nothing sure about the token (the REST
          // calls decide that), so just stay on polling for a while.
          this.later(this.deps.unavailableRetryMs ?? 5 * 60_000);
        } else {
          // No answer, or a 5xx (a restart, PostgreSQL away, a gateway): soon, not in 5 min.
          this.deps.onReachability?.(opened.kind === 'http' && !serverAway(opened));
          this.retry();
        }
        return;
      }
      if (!opened.body || !(opened.headers.get('Content-Type') ?? '').includes('text/event-stream')) {
        this.deps.onMode?.('unavailable');
        this.later(this.deps.unavailableRetryMs ?? 5 * 60_000);
        return;
      }
      this.deps.onReachability?.(true);
      this.deps.onMode?.('live');
      this.failures = 0;
      this.heard(controller);
      await this.read(opened.body, controller);
      this.quiet();
      this.retry();
    } catch {
      this.quiet();
      // Aborted by stop(): stay down. Aborted by the watchdog: the network went quiet.
      if (!controller.signal.aborted || this.stalled === controller) {
        this.deps.onReachability?.(false);
        this.retry();
      }
    } finally {
      if (this.stalled === controller) this.stalled = null;
      if (this.controller === controller) this.controller = null;
    }
  }

  private retry(): void {
    if (!this.running) return;
    this.deps.onMode?.('connecting');
    this.failures += 1;
    this.later(backoffDelay(this.failures, this.deps.random ?? Math.random));
  }

  private async read(body: ReadableStream<Uint8Array>, controller: AbortController): Promise<void> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = body.getReader();
    const aborted = () => void reader.cancel().catch(() => undefined);
    controller.signal.addEventListener('abort', aborted);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (controller.signal.aborted) throw new DOMException('The stream was dropped.', 'AbortError');
        if (done) return;
        this.heard(controller);
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          if (message.event === eventStream.readyEvent) await this.ready(message.data, message.id);
          else await this.handle(message.data, message.id);
        }
      }
    } finally {
      controller.signal.removeEventListener('abort', aborted);
    }
  }

  private async ready(data: string, id: string | null): Promise<void> {
    let json: unknown = null;
    try {
      json = JSON.parse(data);
    } catch {
      // An unreadable ready frame changes nothing; the events that follow still count.
    }
    // Rejects only when the schemas cannot be loaded: the stream is then opened again.
    const checked = await EventStreamReady.safeParse(json);
    const parsed: EventStreamReady | null = checked.success ? checked.data : null;
    if (id !== null && /^\d+$/.test(id)) await setMeta(this.deps.db, 'lastEventId', Number(id));
    if (parsed) this.deps.onReady?.(parsed);
  }

  private async handle(data: string, id: string | null): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = await ChitEvent.safeParse(json);
    if (parsed.success) {
      await applyEvent(this.deps.db, parsed.data, this.deps.now());
      if (parsed.data.type === 'menu.changed') this.deps.onSetupChanged?.('menu');
      if (parsed.data.type === 'tables.changed') this.deps.onSetupChanged?.('tables');
    } else if (id !== null && /^\d+$/.test(id)) {
      // A kind of event this version does not know: skip it, but do not ask for it again.
      await setMeta(this.deps.db, 'lastEventId', Number(id));
    }
  }
}
