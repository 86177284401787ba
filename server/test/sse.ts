import http from 'node:http';
import { ChitEvent } from '@chit/shared';

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
        let buffer = '';
        let frame: Partial<SseFrame> = {};
        let hasField = false;
        res.on('data', (chunk: string) => {
          buffer += chunk;
          // Lines are read in place and the rest kept once per chunk: cutting the buffer after
          // every line made a catch-up of thousands of events quadratic in the chunk size.
          let start = 0;
          let newline: number;
          while ((newline = buffer.indexOf('\n', start)) >= 0) {
            const line = buffer.slice(start, newline);
            start = newline + 1;
            if (line === '') {
              if (hasField) this.push({ ...frame, receivedAt: performance.now() });
              frame = {};
              hasField = false;
              continue;
            }
            hasField = true;
            const colon = line.indexOf(':');
            const field = colon === -1 ? line : line.slice(0, colon);
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === '') frame.comment = value;
            else if (field === 'id') frame.id = value;
            else if (field === 'event') frame.event = value;
            else if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
            else if (field === 'retry') frame.retry = Number(value);
          }
          buffer = buffer.slice(start);
        });
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
