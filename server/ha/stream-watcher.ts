import { setTimeout as sleep } from 'node:timers/promises';
import { eventStream } from '@chit/shared';
import { SseClient } from '../test/sse.js';

// A kitchen board's view of the failover: the event stream, followed across every cut.

export interface Seen {
  type: string;
  orderId: string | null;
}

/** Follows /api/events as EventSource would: on any end, reconnects with Last-Event-ID. */
export class StreamWatcher {
  /** What each position of the log carried, as the stream sent it. */
  readonly seen = new Map<number, Seen>();
  /** The highest position received. */
  last = 0;
  /** Gaps, repeats that differ, and resumes the server could not make. */
  readonly problems: string[] = [];
  reconnects = 0;
  private client: SseClient | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const client = await SseClient.open(`${this.url}?${eventStream.afterParam}=${this.last}`, {
          authorization: `Bearer ${this.token}`,
          ...(this.last > 0 ? { 'last-event-id': String(this.last) } : {}),
        });
        this.client = client;
        if (client.status !== 200) this.problems.push(`stream answered ${client.status}`);
        // Frames that arrived with the headers are already parsed: take them, then the rest.
        for (const frame of client.frames) this.take(frame.event, frame.id, frame.data);
        client.onFrame = (frame) => this.take(frame.event, frame.id, frame.data);
        await client.until(() => client.ended || this.stopped, 'the stream to end', 24 * 3_600_000);
        client.close();
      } catch {
        // not reachable right now: try again
      }
      if (this.stopped) return;
      this.reconnects++;
      await sleep(300);
    }
  }

  private take(event: string | undefined, id: string | undefined, data: string | undefined): void {
    if (data === undefined) return;
    if (event === eventStream.readyEvent) {
      const ready = JSON.parse(data) as { resumed: boolean; head: number };
      if (this.last > 0 && !ready.resumed) this.problems.push(`the stream could not resume after ${this.last}`);
      return;
    }
    if (event !== undefined || id === undefined) return;
    const position = Number(id);
    const parsed = JSON.parse(data) as { type: string; data: { order?: { id: string } } };
    const seen: Seen = { type: parsed.type, orderId: parsed.data.order?.id ?? null };
    const before = this.seen.get(position);
    if (before) {
      if (before.type !== seen.type || before.orderId !== seen.orderId) {
        this.problems.push(
          `position ${position} was ${before.type} ${before.orderId}, now ${seen.type} ${seen.orderId}`,
        );
      }
      return;
    }
    if (position !== this.last + 1) this.problems.push(`after position ${this.last} came ${position}`);
    this.seen.set(position, seen);
    this.last = Math.max(this.last, position);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.client?.close();
    await this.loop;
  }
}
