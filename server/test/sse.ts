import http from 'node:http';
import { ChitEvent } from '@chit/shared';
import { createParser } from 'eventsource-parser';

/** One Server-Sent Events frame as a browser's EventSource would parse it. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  /** A comment line (": heartbeat"); EventSource ignores it. */
  comment?: string;
  /** process.hrtime in ms when the frame was complete; for the benchmark. */
  receivedAt: number;
}

/**
 * A minimal EventSource over node:http, without the reconnecting: tests say when to
 * reconnect and with which Last-Event-ID. Frames are kept in arrival order and can be
 * awaited, so tests never sleep.
 */
export class SseClient {
  readonly frames: SseFrame[] = [];
  /** How many of `frames` are ChitEvents (unnamed, with data), counted as they arrive. */
  private eventFrames = 0;
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  ended = false;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  private req: http.ClientRequest | null = null;
  /** Called with each frame as it completes (the benchmark times them). */
  onFrame: ((frame: SseFrame) => void) | null = null;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    await client.connect(url, headers);
    return client;
  }

  private connect(url: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        res.setEncoding('utf8');
        const parser = this.parser();
        res.on('data', (chunk: string) => parser.feed(chunk));
        const end = () => {
          this.ended = true;
          this.notify();
        };
        res.on('end', end);
        res.on('close', end);
        resolve();
      });
      req.on('error', (err) => {
        if (this.status === 0) reject(err);
        this.ended = true;
        this.notify();
      });
      this.req = req;
    });
  }

  /**
   * Frames as EventSource sees them, parsed by eventsource-parser. It reports a block's
   * `retry` before the block's event (if any): a `retry` followed by an event in the same
   * block (the ready frame) becomes one frame, as it came; a block of `retry` alone (a
   * shutdown's hint) stays a frame of its own.
   */
  private parser() {
    let retryFrame: SseFrame | null = null;
    return createParser({
      onRetry: (retry) => {
        retryFrame = { retry, receivedAt: performance.now() };
        this.push(retryFrame);
      },
      onComment: (comment) => {
        retryFrame = null;
        this.push({ comment: comment.replace(/^ /, ''), receivedAt: performance.now() });
      },
      onEvent: ({ id, event, data }) => {
        const frame: SseFrame = { data, receivedAt: performance.now() };
        if (id !== undefined) frame.id = id;
        if (event !== undefined) frame.event = event;
        if (retryFrame !== null && this.frames.at(-1) === retryFrame) {
          this.frames.pop();
          frame.retry = retryFrame.retry!;
        }
        retryFrame = null;
        this.push(frame);
      },
    });
  }

  private push(frame: SseFrame): void {
    this.frames.push(frame);
    if (isEventFrame(frame)) this.eventFrames += 1;
    this.onFrame?.(frame);
    this.notify();
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  /** The ChitEvents received so far (unnamed frames), validated against the shared schema. */
  get events(): ChitEvent[] {
    return this.frames.filter(isEventFrame).map((f) => {
      const event = ChitEvent.parse(JSON.parse(f.data!));
      if (String(event.id) !== f.id) throw new Error(`frame id ${f.id} differs from event id ${event.id}`);
      return event;
    });
  }

  /** The id EventSource would send as Last-Event-ID now. */
  get lastEventId(): string | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i]!.id !== undefined) return this.frames[i]!.id;
    return undefined;
  }

  /** Resolves once `check` holds (checked on every frame and at the end of the stream). */
  until(check: () => boolean, what = 'the stream', timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Resolves with the ChitEvents once there are at least `n`. */
  async untilEvents(n: number, timeoutMs?: number): Promise<ChitEvent[]> {
    // A counter, not a count of `frames` on every frame: a catch-up of 100,000 events would
    // count 5 billion frames.
    await this.until(() => this.eventFrames >= n || this.ended, `${n} events`, timeoutMs);
    return this.events;
  }

  close(): void {
    this.req?.destroy();
    this.ended = true;
  }
}

function isEventFrame(frame: SseFrame): boolean {
  return frame.event === undefined && frame.data !== undefined;
}
