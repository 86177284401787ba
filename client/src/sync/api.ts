import { eventStream, headers, type PairRequest } from '@chit/shared';
import {
  ErrorBody,
  MeResponse,
  MenuResponse,
  OpenOrdersResponse,
  OrderResponse,
  PairResponse,
  TableItemsResponse,
  TablesResponse,
} from './contract.js';
import type { z } from 'zod';
import { noteServerDate } from './server-clock.js';
import type { OutboxError } from '../db/schema.js';
import { appVersion } from '../version.js';

export type ApiResult<T> =
  | { kind: 'ok'; status: number; data: T; replayed: boolean }
  /** No answer: offline, DNS, reset, timeout. The write may or may not have happened. */
  | { kind: 'network'; message: string }
  | { kind: 'http'; status: number; error: OutboxError; retryAfter: string | null };

/** What every request says about this device's outbox (device health on the manager's list). */
export interface OutboxHealth {
  length: number;
  /** Whole seconds the oldest unsent write has waited; 0 when there is none. */
  oldestAgeSeconds: number;
}

/** What an answer is checked with: a zod schema, or one that loads on first use (./contract.ts). */
export interface AnswerSchema<T> {
  safeParse(data: unknown): z.ZodSafeParseResult<T> | Promise<z.ZodSafeParseResult<T>>;
}

export interface ApiOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
  timeoutMs?: number;
  /** Sent as `Chit-App-Version` on every request; this build's by default. */
  appVersion?: string;
  /**
   * Whether the browser keeps this device's storage (`storagePersistence` in ./storage.ts),
   * sent as `Chit-Storage-Persisted`; left out while it is null or not given.
   */
  storagePersisted?: () => boolean | null;
}

/** The one place that calls `fetch` for the REST API; every answer is checked against the shared schemas. */
export class Api {
  private token: string | null = null;
  private readonly fetchFn: typeof fetch;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly appVersion: string;
  private readonly storagePersisted: () => boolean | null;
  private outboxHealth: (() => Promise<OutboxHealth>) | null = null;
  /** Writes on the wire, each with its own abort. */
  private readonly writesInFlight = new Set<AbortController>();
  /** Writes that were on the wire when the connection dropped (see `markWritesStale`). */
  private readonly staleWrites = new Set<AbortController>();

  constructor(options: ApiOptions = {}) {
    // Bound, because calling an unbound window.fetch throws "Illegal invocation".
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.baseUrl = options.baseUrl ?? '';
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.appVersion = options.appVersion ?? appVersion;
    this.storagePersisted = options.storagePersisted ?? (() => null);
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  hasToken(): boolean {
    return this.token !== null;
  }

  /** Reads the outbox before each request, for its `Chit-Outbox-*` headers. */
  setOutboxHealth(read: () => Promise<OutboxHealth>): void {
    this.outboxHealth = read;
  }

  /**
   * What every request says about this device: its app version, whether its storage is
   * persistent (when known), and the `Chit-Outbox-*` headers (left out if the outbox cannot
   * be read: a request never waits on them).
   */
  private async healthHeaders(): Promise<Record<string, string>> {
    const persisted = this.storagePersisted();
    const version = {
      [headers.appVersion]: this.appVersion,
      ...(persisted === null ? {} : { [headers.storagePersisted]: String(persisted) }),
    };
    if (!this.outboxHealth) return version;
    try {
      const health = await this.outboxHealth();
      return {
        ...version,
        [headers.outboxLength]: String(health.length),
        [headers.outboxOldestAge]: String(health.oldestAgeSeconds),
      };
    } catch {
      return version;
    }
  }

  /**
   * The connection dropped: a write on the wire now may never be answered (its answer, or
   * the request itself, was lost in the gap), and would only give up at its timeout.
   */
  markWritesStale(): void {
    for (const write of this.writesInFlight) this.staleWrites.add(write);
  }

  /**
   * The connection is back: writes from before the drop are abandoned, so the sender sends
   * them again at once, with the same Idempotency-Key (the server keeps each write once),
   * instead of waiting out a timeout. Writes sent since are left alone.
   */
  abandonStaleWrites(): void {
    for (const write of this.staleWrites) write.abort(new Error('Sent before the connection dropped; sent again.'));
    this.staleWrites.clear();
  }

  pair(request: PairRequest): Promise<ApiResult<PairResponse>> {
    return this.request('POST', '/api/pair', PairResponse, { body: request, auth: false });
  }

  me(): Promise<ApiResult<MeResponse>> {
    return this.request('GET', '/api/me', MeResponse);
  }

  menu(): Promise<ApiResult<MenuResponse>> {
    return this.request('GET', '/api/menu', MenuResponse);
  }

  tables(): Promise<ApiResult<TablesResponse>> {
    return this.request('GET', '/api/tables', TablesResponse);
  }

  /** What the kitchen is working on, every station, and the event position it was read at. */
  openOrders(): Promise<ApiResult<OpenOrdersResponse>> {
    return this.request('GET', '/api/orders/open', OpenOrdersResponse);
  }

  /** One order with every item (voided ones too): how a tablet follows an order without a table. */
  order(orderId: string): Promise<ApiResult<OrderResponse>> {
    return this.request('GET', `/api/orders/${encodeURIComponent(orderId)}`, OrderResponse);
  }

  tableItems(tableId: string): Promise<ApiResult<TableItemsResponse>> {
    return this.request('GET', `/api/tables/${encodeURIComponent(tableId)}/items`, TableItemsResponse);
  }

  /**
   * The cheap probe while the server seems away: true when it answers `GET /api/health`
   * (which also asks PostgreSQL) with anything but a 5xx. A short timeout, as a probe that
   * hangs would only delay the next one.
   */
  async health(timeoutMs = 3_000): Promise<boolean> {
    try {
      const response = await this.fetchFn(`${this.baseUrl}/api/health`, {
        signal: AbortSignal.timeout(timeoutMs),
        cache: 'no-store',
      });
      void response.body?.cancel().catch(() => undefined);
      return response.status < 500;
    } catch {
      return false;
    }
  }

  /** A GET checked against `schema`: for callers outside the waiter's bundle (the manager console). */
  read<T>(path: string, schema: AnswerSchema<T>): Promise<ApiResult<T>> {
    return this.request('GET', path, schema);
  }

  /** Sends one outbox write; the caller checks the body against the schema that fits the write. */
  write<T>(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    idempotencyKey: string,
    schema: AnswerSchema<T>,
  ): Promise<ApiResult<T>> {
    return this.request(method, path, schema, { body, idempotencyKey });
  }

  /**
   * Opens the event stream. EventSource cannot send headers, so the token also rides in
   * the query string, which the server accepts on this route only.
   */
  async openEvents(lastEventId: number | null, signal: AbortSignal): Promise<Response | ApiResult<never>> {
    // compact: new orders' items come without what the order implies (half the bytes on
    // the restaurant's Wi-Fi); the shared schema expands them as it parses.
    const url = `${this.baseUrl}${eventStream.path}?${eventStream.compactParam}=1&${eventStream.tokenParam}=${encodeURIComponent(this.token ?? '')}`;
    const requestHeaders: Record<string, string> = { Accept: 'text/event-stream', ...(await this.healthHeaders()) };
    if (this.token) requestHeaders.Authorization = `Bearer ${this.token}`;
    if (lastEventId !== null) requestHeaders['Last-Event-ID'] = String(lastEventId);
    let response: Response;
    const sentAt = Date.now();
    try {
      response = await this.fetchFn(url, { headers: requestHeaders, signal, cache: 'no-store' });
    } catch (err) {
      return { kind: 'network', message: errorMessage(err) };
    }
    noteServerDate(response.headers.get('Date'), sentAt, Date.now());
    if (response.ok) return response;
    try {
      return { kind: 'http', ...(await readError(response)) };
    } catch (err) {
      // The schemas could not be loaded: treated as no answer, the stream is tried again.
      return { kind: 'network', message: errorMessage(err) };
    }
  }

  private async request<T>(
    method: string,
    path: string,
    schema: AnswerSchema<T>,
    options: { body?: unknown; idempotencyKey?: string; auth?: boolean } = {},
  ): Promise<ApiResult<T>> {
    const requestHeaders: Record<string, string> = { Accept: 'application/json', ...(await this.healthHeaders()) };
    if (options.auth !== false && this.token) requestHeaders.Authorization = `Bearer ${this.token}`;
    if (options.idempotencyKey) requestHeaders[headers.idempotencyKey] = options.idempotencyKey;
    if (options.body !== undefined) requestHeaders['Content-Type'] = 'application/json';
    let response: Response;
    const sentAt = Date.now();
    // A write can also be abandoned when the connection comes back (abandonStaleWrites).
    const write = options.idempotencyKey ? new AbortController() : null;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    if (write) this.writesInFlight.add(write);
    try {
      response = await this.fetchFn(`${this.baseUrl}${path}`, {
        method,
        headers: requestHeaders,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: write ? AbortSignal.any([timeout, write.signal]) : timeout,
        cache: 'no-store',
      });
    } catch (err) {
      return { kind: 'network', message: errorMessage(err) };
    } finally {
      if (write) {
        this.writesInFlight.delete(write);
        this.staleWrites.delete(write);
      }
    }
    noteServerDate(response.headers.get('Date'), sentAt, Date.now());
    let json: unknown;
    let parsed: z.ZodSafeParseResult<T>;
    try {
      if (!response.ok) return { kind: 'http', ...(await readError(response)) };
      json = await response.json();
      parsed = await schema.safeParse(json);
    } catch (err) {
      // The body was cut off, or the schemas to check it with could not be loaded: as far as
      // we know, the answer never arrived (a write is sent again with the same key).
      return { kind: 'network', message: errorMessage(err) };
    }
    if (!parsed.success) {
      return {
        kind: 'http',
        status: response.status,
        error: {
          status: response.status,
          code: 'unexpected_response',
          message: `The server's answer to ${method} ${path} did not match the contract: ${parsed.error.issues[0]?.message ?? ''}`,
        },
        retryAfter: null,
      };
    }
    return {
      kind: 'ok',
      status: response.status,
      data: parsed.data,
      replayed: response.headers.get(headers.idempotentReplayed) === 'true',
    };
  }
}

async function readError(
  response: Response,
): Promise<{ status: number; error: OutboxError; retryAfter: string | null }> {
  const retryAfter = response.headers.get(headers.retryAfter);
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Proxies and gateways answer errors in HTML; the status alone is enough then.
  }
  const parsed = await ErrorBody.safeParse(body);
  const error: OutboxError = parsed.success
    ? {
        status: response.status,
        code: parsed.data.error.code,
        message: parsed.data.error.message,
        ...(parsed.data.error.details ? { details: parsed.data.error.details } : {}),
      }
    : { status: response.status, code: `http_${response.status}`, message: `The server answered ${response.status}.` };
  return { status: response.status, error, retryAfter };
}

function errorMessage(err: unknown): string {
  if (err instanceof DOMException && err.name === 'TimeoutError') return 'The server did not answer in time.';
  return err instanceof Error ? err.message : String(err);
}
