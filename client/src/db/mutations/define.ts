import type { z } from 'zod';
import type { ChitDb, ItemRow, OutboxEntry } from '../schema.js';

/** Clock and id source, passed in so tests are deterministic (the app's: `browserCtx` in sync/engine.ts). */
export interface Ctx {
  now: () => number;
  uuid: () => string;
}

/** What a local write says back to the screen. */
export type WriteResult = { ok: true } | { ok: false; message: string };

/**
 * Where a write belongs, kept on its outbox entry for Dexie's indexes.
 * - `lane`: writes of one lane go in the order they were made, and a refused (or stuck) one
 *   holds the lane's later writes. An order's writes share the order's id; a table's
 *   clears, `table:<id>`; a dish's availability, `menu:<id>`.
 * - `orderId`, `tableId`, `itemId`: the order, table and item it touches, null for none. A
 *   write with an order and no item touches every item of the order.
 */
export interface Scope {
  lane: string;
  orderId: string | null;
  tableId: string | null;
  itemId: string | null;
}

/** Who merges a server copy, and when (this device's clock): see `MergeHint` in db/merge.ts. */
export interface Seen {
  myDeviceId: string | null;
  now: number;
}

/** The HTTP request a mutation becomes; sent with the entry's Idempotency-Key. */
export interface WireRequest {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body: unknown;
}

/** Names for the outbox panel: of items, and of the place a write belongs ("table 12"). */
export interface Names {
  item: (itemId: string | null) => string;
  place: string;
}

/**
 * One kind of write, in one place: what the screen asks for (`Input`), what is stored and
 * replayed (`Args`), and everything the client does with it. `apply` and `scope` run on
 * the device; `request`, `answer` and `merge` are the round trip; `refusal` says what a
 * final "no" does. Method syntax on purpose: the registry holds definitions of different
 * argument types under one interface (methods are checked bivariantly).
 */
export interface MutationDef<Name extends string, Args, Input, Answer, Result extends WriteResult = WriteResult> {
  readonly name: Name;
  /**
   * The local write: checks the input, changes the local database and queues the entries,
   * in one transaction. Reads no network.
   */
  apply(db: ChitDb, ctx: Ctx & { staffName: string }, input: Input): Promise<Result>;
  scope(args: Args): Scope;
  request(args: Args): WireRequest;
  /** The shared schema of a successful answer. */
  readonly answer: z.ZodType<Answer>;
  /**
   * Keeps what the server answered, inside the transaction that drops the entry (stores:
   * outbox, items, orders, meta, menu).
   */
  merge(db: ChitDb, answer: Answer, seen: Seen): Promise<void>;
  /**
   * A final refusal. `park`: kept as refused, holding its lane's later writes, until the
   * waiter fixes and resends it or discards it. `drop`: deleted at once, with a notice on
   * the kitchen board (nobody can fix a bump of an item voided meanwhile).
   */
  readonly refusal: 'park' | 'drop';
  /** What to read again when the answer carries nothing to merge, or after a drop. */
  readonly refresh: 'place' | 'menu' | 'none';
  /** How the write shows on an item while it waits (rebase replays it by name). */
  onItem?(row: ItemRow, args: Args): ItemRow;
  /** One line for the outbox panel. */
  describe(args: Args, names: Names): string;
  /**
   * An earlier try whose answer was lost may have stored the write: the refusal `code` then
   * means "already there" if the server holds these items (see `sync/outbox.ts`).
   */
  readonly delivered?: { code: string; itemIds: (args: Args) => string[] };
  /** The waiter's "Discard" (default: the entry goes and its items show the server's copy). */
  discard?(db: ChitDb, entry: OutboxEntry): Promise<'done' | 'default'>;
  /** What the waiter is told more before discarding it (a sentence, with a leading space). */
  readonly discardNote?: string;
}

/** A new outbox entry for a mutation, waiting for its first try. */
export function newEntry(ctx: Ctx, mutation: OutboxEntry['mutation'], scope: Scope): OutboxEntry {
  const now = ctx.now();
  return {
    mutation,
    ...scope,
    id: ctx.uuid(),
    idempotencyKey: ctx.uuid(),
    state: 'pending',
    createdAt: now,
    attempts: 0,
    failures: 0,
    nextAttemptAt: now,
    notBefore: 0,
    lastError: null,
    lastAttemptAt: null,
  };
}
