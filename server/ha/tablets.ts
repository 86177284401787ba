import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

// The load: simulated tablets posting orders through HAProxy, each with its
// Idempotency-Key, retried until it gets a final answer, and what they were answered.

export interface Ack {
  orderId: string;
  sentAt: number;
  answeredAt: number;
  attempts: number;
}

export class Tablets {
  /** Orders answered 201, in the order of their answers (performance.now() times). */
  readonly acks: Ack[] = [];
  /** Final refusals (a 4xx that is not "try again"), and orders given up on. */
  readonly refusals: string[] = [];
  /** Answers that made a tablet try again, by status and error code. */
  readonly retryStatuses = new Map<string, number>();
  /** Orders sent and still waiting for their final answer. */
  inFlight = 0;
  private running = true;
  private runs: Promise<void>[] = [];

  constructor(
    private readonly lb: string,
    /** Pause between one tablet's orders (after the previous got its final answer). */
    private readonly pauseMs: number,
  ) {}

  /** One tablet per token, each posting `newOrder()` until stopped. */
  start(tokens: string[], newOrder: () => { id: string }): void {
    this.runs = tokens.map((token) => this.run(token, newOrder));
  }

  /** Each tablet finishes the order it is sending (until its final answer), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.runs);
  }

  /** When the first order sent at or after `at` was acknowledged: writes were taken again. */
  resumedAfter(at: number): number | undefined {
    return this.acks.find((a) => a.sentAt >= at)?.answeredAt;
  }

  private async run(token: string, newOrder: () => { id: string }): Promise<void> {
    while (this.running) {
      const order = newOrder();
      const key = randomUUID();
      const body = JSON.stringify(order);
      this.inFlight++;
      // A real tablet keeps the write in its outbox until it has a final answer; so does this
      // one (bounded, so that a broken run ends).
      const giveUpAt = performance.now() + 120_000;
      for (let attempt = 1; ; attempt++) {
        const sentAt = performance.now();
        let status = 0;
        let text = '';
        try {
          const res = await fetch(`${this.lb}/api/orders`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
            body,
            signal: AbortSignal.timeout(20_000),
          });
          status = res.status;
          text = await res.text();
        } catch (err) {
          text = err instanceof Error ? err.message : String(err);
        }
        if (status === 201) {
          this.acks.push({ orderId: order.id, sentAt, answeredAt: performance.now(), attempts: attempt });
          break;
        }
        if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
          this.refusals.push(`${status} ${text.slice(0, 200)}`);
          break;
        }
        const label = status === 0 ? 'network error' : `${status} ${errorCode(text)}`;
        this.retryStatuses.set(label, (this.retryStatuses.get(label) ?? 0) + 1);
        if (performance.now() > giveUpAt) {
          this.refusals.push(`gave up after ${attempt} attempts: ${label}`);
          break;
        }
        await sleep(200);
      }
      this.inFlight--;
      await sleep(this.pauseMs);
    }
  }
}

/** The error code of Chit's error envelope, or '' when the body is not one. */
function errorCode(text: string): string {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? '';
  } catch {
    return '';
  }
}
