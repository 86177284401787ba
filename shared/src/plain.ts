// Constants and helpers without zod, so that a client can import them without the schemas:
// the waiter's first screen needs these at start, and loads the schemas only when the first
// answer arrives (client/src/sync/contract.ts). The modules that belong to each re-export
// them, so `@chit/shared` offers them as before. Keep zod out of this file.

/** Header names that both sides must agree on. */
export const headers = {
  idempotencyKey: 'Idempotency-Key',
  idempotentReplayed: 'Idempotent-Replayed',
  ifMatch: 'If-Match',
  appVersion: 'Chit-App-Version',
  retryAfter: 'Retry-After',
  /** Writes this device holds unsent, on every request (device health, docs/operations.md). */
  outboxLength: 'Chit-Outbox-Length',
  /** Seconds the oldest of them has waited (0 when the outbox is empty). */
  outboxOldestAge: 'Chit-Outbox-Oldest-Age',
  /** `true` once the browser marked this device's storage persistent, `false` while it may clear it. */
  storagePersisted: 'Chit-Storage-Persisted',
} as const;

/**
 * The stream's own frames, besides the ChitEvents (which arrive as unnamed SSE messages,
 * so one `onmessage` handler sees them all).
 */
export const eventStream = {
  path: '/api/events',
  /** SSE event name of the first frame of every stream. */
  readyEvent: 'ready',
  /** EventSource cannot send headers, so this route also takes the token as a query parameter. */
  tokenParam: 'access_token',
  /** Where to resume when not reconnecting by itself (EventSource sends Last-Event-ID, which wins). */
  afterParam: 'after',
  /** `compact=1`: new orders' items come without what follows from the order (`compactOrder`). */
  compactParam: 'compact',
} as const;

export function formatCents(cents: number, currency = 'EUR', locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}
