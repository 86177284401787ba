import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import {
  CreateOrderRequest,
  CreateOrderResponse,
  ErrorBody,
  headers as headerNames,
  ItemResponse,
  PatchItemRequest,
  VoidItemRequest,
  type MenuItem,
} from '@chit/shared';
import type { Answer, Intent, Journal } from './journal.js';

export interface SendResult {
  /** undefined: no answer (refused connection, reset, timeout). */
  status?: number;
  body: string;
  retryAfter?: string;
  replayed: boolean;
}

/** One HTTP request with a deadline; every failure to get a whole answer is `status: undefined`. */
export function send(
  baseUrl: string,
  intent: Pick<Intent, 'method' | 'path' | 'headers' | 'body'>,
  token: string,
  key: string,
  timeoutMs: number,
  agent?: http.Agent,
): Promise<SendResult> {
  const payload = JSON.stringify(intent.body);
  return new Promise((resolve) => {
    const req = http.request(
      `${baseUrl}${intent.path}`,
      {
        method: intent.method,
        agent,
        headers: {
          ...intent.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${token}`,
          [headerNames.idempotencyKey]: key,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode,
            body: Buffer.concat(parts).toString('utf8'),
            retryAfter: res.headers['retry-after'],
            replayed: res.headers[headerNames.idempotentReplayed.toLowerCase()] === 'true',
          });
        });
        res.on('error', () => resolve({ body: '', replayed: false }));
        res.on('close', () => resolve({ body: '', replayed: false }));
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
    req.on('error', () => {
      clearTimeout(timer);
      resolve({ body: '', replayed: false });
    });
    req.end(payload);
  });
}

/**
 * Whether the tablet sends the write again after this answer: the rule of the real
 * tablet's outbox (`verdictOf` in client/src/sync/outbox.ts), where no answer, 408, 429,
 * 5xx and 409 `idempotency_key_in_use` mean "not decided yet"; every other answer is final.
 */
export function isRetryable(result: SendResult): boolean {
  const { status } = result;
  if (status === undefined || status === 408 || status === 429 || status >= 500) return true;
  if (status === 409) {
    const parsed = ErrorBody.safeParse(safeJson(result.body));
    return parsed.success && parsed.data.error.code === 'idempotency_key_in_use';
  }
  return false;
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface TabletOptions {
  baseUrl: string;
  token: string;
  journal: Journal;
  /** The tablet gives up on an answer after this long and sends the write again. */
  timeoutMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  random: () => number;
  signal: AbortSignal;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * A simulated waiter tablet: its outbox sends one write at a time, each with its own
 * Idempotency-Key, again and again with that key until the answer is final — the real
 * tablet's rules, with shorter timeouts and backoff so a run takes minutes. Every intent,
 * attempt and answer goes to the tablet's journal first.
 */
export class Tablet {
  constructor(private readonly options: TabletOptions) {
    // Every tablet sleeps on the same stop signal.
    setMaxListeners(0, options.signal);
  }

  /** Sends a write until its answer is final; undefined when the tablet was stopped first. */
  async write(intent: Omit<Intent, 't' | 'key'>, key = randomUUID()): Promise<Answer | undefined> {
    const { journal, signal } = this.options;
    if (signal.aborted) return undefined;
    journal.append({ t: 'intent', key, ...intent }, true);
    return this.resend({ t: 'intent', key, ...intent }, 0);
  }

  /** Sends an intent already in the journal (after `previousAttempts` tries) until final. */
  async resend(intent: Intent, previousAttempts: number): Promise<Answer | undefined> {
    const { journal, signal, random } = this.options;
    for (let n = previousAttempts + 1; !signal.aborted; n++) {
      journal.append({ t: 'attempt', key: intent.key, n });
      const result = await send(this.options.baseUrl, intent, this.options.token, intent.key, this.options.timeoutMs);
      if (signal.aborted) return undefined;
      const retry = isRetryable(result);
      if (result.status !== undefined) {
        const answer: Answer = {
          t: 'answer',
          key: intent.key,
          status: result.status,
          final: !retry,
          body: result.body,
        };
        journal.append(answer, !retry);
        if (!retry) return answer;
      }
      const failures = n - previousAttempts;
      const exp = Math.min(this.options.backoffCapMs, this.options.backoffBaseMs * 2 ** (failures - 1));
      const retryAfterMs = result.retryAfter && /^\d+$/.test(result.retryAfter) ? Number(result.retryAfter) * 1000 : 0;
      await sleep(Math.max(retryAfterMs, exp / 2 + (exp / 2) * random()), signal);
    }
    return undefined;
  }
}

export interface Floor {
  tableIds: string[];
  /** Dishes with no modifier groups, any of which may be ordered. */
  dishes: MenuItem[];
  /** The dishes the manager 86's and brings back during the run. */
  flaky: MenuItem[];
}

/**
 * One waiter's shift: orders with client-made ids, and on some of the acknowledged ones a
 * change of quantity and a void, until `nextOrder()` says the run has enough.
 */
export async function waiterShift(
  tablet: Tablet,
  name: string,
  floor: Floor,
  nextOrder: () => boolean,
  random: () => number,
  signal: AbortSignal,
  hostileRate = 0,
): Promise<void> {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  while (!signal.aborted && nextOrder()) {
    const count = 1 + Math.floor(random() * 3);
    const items = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      menuItemId: (i === 0 && random() < 0.4 ? pick(floor.flaky) : pick(floor.dishes)).id,
      quantity: 1 + Math.floor(random() * 3),
      note: random() < 0.3 ? `no ice ${i}` : '',
    }));
    const order = CreateOrderRequest.parse({ id: randomUUID(), tableId: pick(floor.tableIds), staffName: name, items });
    if (random() < hostileRate) {
      // A careless client: text PostgreSQL cannot store, set after the schema's check (as a
      // client without it would send). The answer must be a refusal, not a 5xx retried forever.
      order.items[0]!.note = random() < 0.5 ? 'no\u0000ice' : 'no ice \ud83d';
    }
    const placed = await tablet.write({
      kind: 'order',
      method: 'POST',
      path: '/api/orders',
      headers: {},
      body: order,
      orderId: order.id,
    });
    if (placed?.status !== 201) continue;
    const stored = CreateOrderResponse.parse(JSON.parse(placed.body)).order;
    if (random() < 0.3) {
      const item = stored.items[0]!;
      const patch = PatchItemRequest.parse({ quantity: (item.quantity % 9) + 1, staffName: name });
      const changed = await tablet.write({
        kind: 'patch',
        method: 'PATCH',
        path: `/api/orders/${order.id}/items/${item.id}`,
        headers: { [headerNames.ifMatch]: `"${item.version}"` },
        body: patch,
        orderId: order.id,
        itemId: item.id,
      });
      if (changed?.status !== 200) continue;
      if (random() < 0.5) {
        const version = ItemResponse.parse(JSON.parse(changed.body)).item.version;
        await tablet.write({
          kind: 'void',
          method: 'DELETE',
          path: `/api/orders/${order.id}/items/${item.id}`,
          headers: { [headerNames.ifMatch]: `"${version}"` },
          body: VoidItemRequest.parse({ reason: 'changed mind', staffName: name }),
          orderId: order.id,
          itemId: item.id,
        });
      }
    }
  }
}
