import { unitPriceCents, type Order, type OrderItem } from '@chit/shared';
import { chosenModifiers } from '../domain/cart.js';
import { menu, orderFromBody } from './fixtures.js';

export interface SeenRequest {
  method: string;
  path: string;
  key: string | null;
  auth: string | null;
  body: unknown;
}

type Reply = Response | 'network' | Promise<Response | 'network'>;
type Handler = (request: SeenRequest) => Reply;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function errorReply(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return json(status, { error: { code, message } }, headers);
}

/**
 * Stands in for the server behind `fetch`: answers like the real API (with idempotent
 * replays) unless a test queues a different answer for the next request.
 */
function rechosen(item: OrderItem, optionIds: string[] | undefined): Partial<OrderItem> {
  const dish = menu.items.find((i) => i.id === item.menuItemId);
  if (!optionIds || !dish) return {};
  return { modifiers: chosenModifiers(dish, optionIds), unitPriceCents: unitPriceCents(dish, optionIds) };
}

export class FakeServer {
  readonly requests: SeenRequest[] = [];
  private readonly queued: Handler[] = [];
  private readonly answered = new Map<string, Response>();
  readonly items = new Map<string, OrderItem>();
  readonly orders = new Map<string, Order>();
  /** When each table was last cleared (ISO time). */
  readonly clears = new Map<string, string>();
  /** The server's clock for the times it stamps (served, cleared). */
  now = () => new Date().toISOString();
  inFlight = 0;
  maxInFlight = 0;
  /** False: GET /api/health answers 503 (PostgreSQL away), as the probe would see it. */
  healthy = true;

  /** The next request gets this answer instead of the default one. */
  next(handler: Handler): this {
    this.queued.push(handler);
    return this;
  }

  /** Holds the next request until `release` is called. */
  hold(): { release: () => void; started: Promise<void> } {
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const startedPromise = new Promise<void>((resolve) => (started = resolve));
    this.next(async (request) => {
      started();
      await gate;
      return this.defaultReply(request);
    });
    return { release, started: startedPromise };
  }

  private heldWrite: Handler | null = null;

  /** Holds the next write (not a read) until `release` is called. */
  holdNextWrite(): { release: () => void; started: Promise<void> } {
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const startedPromise = new Promise<void>((resolve) => (started = resolve));
    this.heldWrite = async (request) => {
      started();
      await gate;
      return this.defaultReply(request);
    };
    return { release, started: startedPromise };
  }

  writes(): SeenRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://t');
    const headers = new Headers(init?.headers);
    const request: SeenRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      key: headers.get('Idempotency-Key'),
      auth: headers.get('Authorization'),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : null,
    };
    this.requests.push(request);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Let other tabs run while this request is "on the wire".
      await new Promise((resolve) => setTimeout(resolve, 0));
      let handler: Handler | undefined;
      if (request.method !== 'GET' && this.heldWrite) [handler, this.heldWrite] = [this.heldWrite, null];
      else handler = this.queued.shift();
      // Like fetch: an aborted request rejects at once, whatever the server is doing with it.
      const signal = init?.signal;
      const aborted = new Promise<never>((_, reject) => {
        if (signal?.aborted) reject(signal.reason as Error);
        signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
      const reply = await Promise.race([handler ? handler(request) : this.defaultReply(request), aborted]);
      if (reply === 'network') throw new TypeError('Failed to fetch');
      return reply;
    } finally {
      this.inFlight -= 1;
    }
  };

  defaultReply(request: SeenRequest): Response {
    if (request.key) {
      const earlier = this.answered.get(request.key);
      if (earlier) {
        const copy = earlier.clone();
        return new Response(copy.body, {
          status: copy.status,
          headers: { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' },
        });
      }
    }
    const response = this.answer(request);
    if (request.key && response.ok) this.answered.set(request.key, response.clone());
    return response;
  }

  private answer(request: SeenRequest): Response {
    if (request.method === 'GET' && request.path === '/api/health') {
      return this.healthy ? json(200, { ok: true }) : errorReply(503, 'unavailable', 'The database is not answering.');
    }
    if (request.method === 'POST' && request.path === '/api/orders') {
      // Numbered like the real server: one more than the last order it stored.
      const order = orderFromBody(request.body as Parameters<typeof orderFromBody>[0], undefined, this.orders.size + 1);
      this.orders.set(order.id, order);
      for (const item of order.items) this.items.set(item.id, item);
      return json(201, { order });
    }
    const orderMatch = /^\/api\/orders\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && orderMatch) {
      const order = this.orders.get(orderMatch[1]!);
      if (!order) return errorReply(404, 'order_not_found', `There is no order ${orderMatch[1]}.`);
      return json(200, { order: { ...order, items: order.items.map((i) => this.items.get(i.id) ?? i) } });
    }
    const match = /^\/api\/(?:tables|orders)\/([^/]+)\/items\/([^/]+)$/.exec(request.path);
    if (match && (request.method === 'PATCH' || request.method === 'DELETE')) {
      const body = request.body as {
        quantity?: number;
        note?: string;
        status?: 'served';
        modifierOptionIds?: string[];
      };
      const item = this.items.get(match[2]!);
      if (!item) return errorReply(404, 'item_not_found', `Item ${match[2]} is not on table ${match[1]}.`);
      const next: OrderItem =
        request.method === 'DELETE'
          ? { ...item, status: 'voided', version: item.version + 1 }
          : {
              ...item,
              quantity: body.quantity ?? item.quantity,
              note: body.note ?? item.note,
              status: body.status ?? item.status,
              // New choices are priced against the fixture menu, as the server prices them against its own.
              ...rechosen(item, body.modifierOptionIds),
              servedAt: body.status === 'served' ? this.now() : item.servedAt,
              version: item.version + 1,
            };
      this.items.set(next.id, next);
      return json(200, { item: next });
    }
    const list = /^\/api\/tables\/([^/]+)\/items$/.exec(request.path);
    if (request.method === 'GET' && list) {
      const clearedAt = this.clears.get(list[1]!) ?? '';
      const items = [...this.items.values()].filter(
        (i) =>
          i.tableId === list[1] && i.status !== 'voided' && (i.status !== 'served' || (i.servedAt ?? '') > clearedAt),
      );
      return json(200, { items });
    }
    const clear = /^\/api\/tables\/([^/]+)\/clear$/.exec(request.path);
    if (request.method === 'POST' && clear) {
      const cleared = { tableId: clear[1]!, clearedAt: this.now() };
      this.clears.set(cleared.tableId, cleared.clearedAt);
      return json(200, { cleared });
    }
    return errorReply(404, 'not_found', `There is no ${request.method} ${request.path}.`);
  }
}
