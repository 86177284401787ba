import { getMeta, seenBy, setMeta } from './meta.js';
import { itemIdsOfOrder, recomputeItems } from './merge.js';
import { definitionOf, requestOf } from './mutations/index.js';
import type { ChitDb, OutboxEntry, OutboxError } from './schema.js';

export type NextSend = { kind: 'send'; entry: OutboxEntry } | { kind: 'wait'; until: number } | { kind: 'idle' };

/**
 * Only the holder of the send lock calls this: an entry left `sending` belongs to a tab
 * that died mid-request, so it goes back in line (its key makes the retry safe).
 */
export async function resetInterrupted(db: ChitDb): Promise<void> {
  await db.outbox.where('state').equals('sending').modify({ state: 'pending' });
}

/**
 * Picks the oldest write that may go now and marks it `sending`, in one transaction so a
 * concurrent edit cannot change a body that is already on the wire.
 *
 * Writes go strictly in the order they were made, except that refused writes (and the
 * later writes for the same order, which depend on them) are stepped over, and so are
 * stuck writes (see `OutboxEntry.stuckSince`) until their own slow retry is due. `force`
 * is a fresh chance (online again, new write, app start): it skips the backoff wait but
 * never the server's Retry-After, nor a stuck write's pace.
 */
export async function claimNext(db: ChitDb, now: number, force: boolean): Promise<NextSend> {
  return db.transaction('rw', db.outbox, async () => {
    const held = new Set<string>();
    let stuckDue = Infinity;
    let answer: NextSend | null = null;
    let next: OutboxEntry | null = null;
    // Walks the outbox only up to the entry that decides (usually the first), not all of it:
    // a tablet that queued 500 orders offline reads one row per send, not 500.
    await db.outbox
      .orderBy('seq')
      .until(() => answer !== null || next !== null)
      .each((entry) => {
        if (entry.state === 'refused') {
          held.add(entry.lane);
          return;
        }
        if (held.has(entry.lane)) return;
        const stuck = entry.stuckSince != null;
        const due = Math.max(entry.notBefore, force && !stuck ? 0 : entry.nextAttemptAt);
        if (due > now && stuck) {
          held.add(entry.lane);
          stuckDue = Math.min(stuckDue, due);
        } else if (due > now) answer = { kind: 'wait', until: Math.min(due, stuckDue) };
        else next = entry;
      });
    if (next === null) return answer ?? (stuckDue < Infinity ? { kind: 'wait', until: stuckDue } : { kind: 'idle' });
    const entry: OutboxEntry = next;
    const claimed: OutboxEntry = { ...entry, state: 'sending', attempts: entry.attempts + 1, lastAttemptAt: now };
    await db.outbox.put(claimed);
    return { kind: 'send', entry: claimed };
  });
}

/**
 * The server has the write: drop it from the outbox and keep what the server answered
 * (`answer`, checked against the mutation's schema; undefined when the answer had no body).
 */
export async function completeEntry(db: ChitDb, entry: OutboxEntry, answer: unknown, now: number): Promise<void> {
  const seen = await seenBy(db, now);
  await db.transaction('rw', [db.outbox, db.items, db.orders, db.meta, db.menu], async () => {
    await db.outbox.delete(entry.seq);
    if (answer !== undefined) await definitionOf(entry.mutation).merge(db, answer, seen);
    await recomputeItems(db, await affectedItems(db, entry));
    await setMeta(db, 'lastSyncAt', now);
  });
}

export async function refuseEntry(db: ChitDb, entry: OutboxEntry, error: OutboxError): Promise<void> {
  await db.transaction('rw', [db.outbox, db.items, db.orders], async () => {
    await db.outbox.update(entry.seq, { state: 'refused', lastError: error });
    await recomputeItems(db, await affectedItems(db, entry));
  });
}

/**
 * A kitchen write the server refused (a bump of an item voided meanwhile, a dish deleted):
 * nobody can fix it, so it goes, and the board says why. It holds nothing behind it.
 */
export async function dropRefusedEntry(db: ChitDb, entry: OutboxEntry, error: OutboxError, now: number): Promise<void> {
  await db.transaction('rw', [db.outbox, db.items, db.orders, db.meta], async () => {
    await db.outbox.delete(entry.seq);
    await recomputeItems(db, await affectedItems(db, entry));
    await setMeta(db, 'kitchenNotice', { message: error.message, at: now });
  });
}

export async function deferEntry(
  db: ChitDb,
  entry: OutboxEntry,
  retry: {
    nextAttemptAt: number;
    notBefore: number;
    error: OutboxError | null;
    /** The counts of server errors after this answer (see OutboxEntry.serverErrors). */
    serverErrors?: { count: number; since: number | null; stuckSince: number | null };
  },
): Promise<void> {
  await db.outbox.update(entry.seq, {
    state: 'pending',
    failures: entry.failures + 1,
    nextAttemptAt: retry.nextAttemptAt,
    notBefore: retry.notBefore,
    lastError: retry.error,
    ...(retry.serverErrors
      ? {
          serverErrors: retry.serverErrors.count,
          firstServerErrorAt: retry.serverErrors.since,
          stuckSince: retry.serverErrors.stuckSince,
        }
      : {}),
  });
}

/** Puts a write back to pending after an interruption that was not its fault (e.g. a 401). */
export async function releaseEntry(db: ChitDb, entry: OutboxEntry): Promise<void> {
  await db.outbox.update(entry.seq, { state: 'pending' });
}

async function affectedItems(db: ChitDb, entry: OutboxEntry): Promise<string[]> {
  if (entry.itemId !== null) return [entry.itemId];
  return entry.orderId === null ? [] : itemIdsOfOrder(db, entry.orderId);
}

/**
 * The waiter's "Resend" on a refused write, or "Try now" on a stuck one. A refused write goes
 * as a new write, under `newKey`: the server keeps a refusal with its key and would only
 * repeat it. A new key cannot double the write, because the old key's answer was a refusal.
 * A stuck write keeps its key: the server never gave it a final answer.
 */
export async function resendEntry(db: ChitDb, seq: number, now: number, newKey: string): Promise<void> {
  await db.transaction('rw', [db.outbox, db.items, db.orders], async () => {
    const entry = await db.outbox.get(seq);
    if (!entry) return;
    if (entry.state === 'pending' && entry.stuckSince != null) {
      // Still stuck (it keeps its count), but tried at the next chance rather than in 30 s.
      await db.outbox.update(seq, { nextAttemptAt: now });
      return;
    }
    if (entry.state !== 'refused') return;
    await db.outbox.update(seq, {
      state: 'pending',
      failures: 0,
      nextAttemptAt: now,
      notBefore: 0,
      idempotencyKey: newKey,
      serverErrors: 0,
      firstServerErrorAt: null,
      stuckSince: null,
    });
    await recomputeItems(db, await affectedItems(db, entry));
  });
}

/**
 * The waiter's "Discard": the write goes and its items show what the server has, unless its
 * mutation says more (discarding an order's create also discards the later writes for that
 * order, which cannot apply, and removes its items from this tablet).
 */
export async function discardEntry(db: ChitDb, seq: number): Promise<void> {
  await db.transaction('rw', [db.outbox, db.items, db.orders], async () => {
    const entry = await db.outbox.get(seq);
    if (!entry || entry.state === 'sending') return;
    if ((await definitionOf(entry.mutation).discard?.(db, entry)) === 'done') return;
    await db.outbox.delete(seq);
    await recomputeItems(db, await affectedItems(db, entry));
  });
}

export const exportFormat = 'chit-outbox/1';

export interface OutboxExport {
  format: typeof exportFormat;
  exportedAt: string;
  device: { id: string; name: string } | null;
  /** Each write exactly as it would go over the wire: replay it with its Idempotency-Key. */
  writes: {
    seq: number;
    kind: OutboxEntry['mutation']['name'];
    method: 'POST' | 'PATCH' | 'DELETE';
    path: string;
    headers: { 'Idempotency-Key': string; 'Content-Type': 'application/json' };
    body: unknown;
    state: OutboxEntry['state'];
    /** When the server started failing this write for good (ISO), if it did. */
    stuckSince?: string;
    attempts: number;
    createdAt: string;
    lastError: OutboxError | null;
  }[];
}

/** A write as it goes over the wire, headers included. */
function wire(entry: OutboxEntry) {
  const { method, path, body } = requestOf(entry.mutation);
  const headers = { 'Idempotency-Key': entry.idempotencyKey, 'Content-Type': 'application/json' } as const;
  return { method, path, headers, body };
}

export async function exportOutbox(db: ChitDb, now: number): Promise<OutboxExport> {
  const [entries, session, deviceName] = await Promise.all([
    db.outbox.orderBy('seq').toArray(),
    getMeta(db, 'session'),
    getMeta(db, 'deviceName'),
  ]);
  return {
    format: exportFormat,
    exportedAt: new Date(now).toISOString(),
    device: session
      ? { id: session.device.id, name: session.device.name }
      : deviceName
        ? { id: '', name: deviceName }
        : null,
    writes: entries.map((e) => ({
      seq: e.seq!,
      kind: e.mutation.name,
      ...wire(e),
      state: e.state,
      ...(e.stuckSince != null ? { stuckSince: new Date(e.stuckSince).toISOString() } : {}),
      attempts: e.attempts,
      createdAt: new Date(e.createdAt).toISOString(),
      lastError: e.lastError,
    })),
  };
}

/** How many writes wait unsent (refused ones too) and for how long the oldest has, for the server's device list. */
export async function outboxHealth(db: ChitDb, now: number): Promise<{ length: number; oldestAgeSeconds: number }> {
  const [oldest, length] = await Promise.all([db.outbox.orderBy('seq').first(), db.outbox.count()]);
  return { length, oldestAgeSeconds: oldest ? Math.max(0, Math.floor((now - oldest.createdAt) / 1000)) : 0 };
}

export async function noteSuccessfulContact(db: ChitDb, now: number): Promise<void> {
  await setMeta(db, 'lastSyncAt', now);
}
