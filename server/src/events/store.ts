import type { ChitEvent } from '@chit/shared';
import { pgCode, type DbClient, type Pool } from '../db/pool.js';
import { transaction } from '../db/transaction.js';

/** An event as the code that makes a change describes it; `id` and `at` come from the log. */
export type NewEvent = {
  [T in ChitEvent['type']]: {
    type: T;
    data: Extract<ChitEvent, { type: T }>['data'];
    tableId?: string | null;
    orderId?: string | null;
    itemId?: string | null;
    station?: string | null;
    deviceId?: string | null;
  };
}[ChitEvent['type']];

/**
 * Appends events in the caller's transaction, so an event exists exactly when its change
 * committed. The filter columns (table, order, item, station, device) let the stream
 * select what each device needs without opening the payload.
 */
export async function appendEvents(client: DbClient, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `INSERT INTO events (type, table_id, order_id, item_id, station, device_id, payload)
     SELECT type, table_id, order_id, item_id, station, device_id, payload
       FROM jsonb_to_recordset($1::jsonb)
         AS e(type text, table_id uuid, order_id uuid, item_id uuid, station text, device_id uuid, payload jsonb)`,
    [
      JSON.stringify(
        events.map((e) => ({
          type: e.type,
          table_id: e.tableId ?? null,
          order_id: e.orderId ?? null,
          item_id: e.itemId ?? null,
          station: e.station ?? null,
          device_id: e.deviceId ?? null,
          payload: e.data,
        })),
      ),
    ],
  );
}

/** The NOTIFY channel; its payload is the new head position, a hint only. */
export const eventsChannel = 'chit_events';

/**
 * Key of the transaction-scoped advisory lock that makes position assignment one-at-a-time
 * across every instance. Any fixed bigint works; this one spells "chitevts" in ASCII.
 */
const sequencerLockKey = 7163686974657673n;

export interface SequencerPass {
  /** Events given a position by this pass. */
  moved: number;
  /** The highest position in the log after this pass. */
  head: number;
  /**
   * Committed events are still waiting: their transaction has an xid above the snapshot's
   * xmin, so an older transaction is still running and could yet add events before them.
   */
  blocked: boolean;
}

/**
 * One pass of the sequencer, in its own transaction (see docs/events.md for why this is
 * gap-free and duplicate-free):
 *
 * 1. wait for the advisory lock, so passes never overlap (a statement of its own: the
 *    next statement's snapshot is taken after the lock, so it sees the previous pass);
 * 2. number the unpositioned events of every transaction older than the snapshot's xmin
 *    in (tx_id, id) order, after the current head; every transaction with a smaller xid
 *    has finished, so no event can still join that set;
 * 3. NOTIFY the new head; PostgreSQL delivers it only if and when this commits.
 *
 * Four round trips: BEGIN with the pass's settings, the lock, the numbering, COMMIT.
 * Passes coalesce (at most one per `EVENTS_COALESCE_MS`), so this is a few tenths of a
 * millisecond per pass on a LAN.
 *
 * The pass commits without waiting for the WAL flush: a position is the rank of the event
 * in (tx_id, id) order among committed events, so a pass lost in a crash is redone with
 * the very same positions (docs/events.md).
 *
 * Bitmap scans are off for the pass: the unpositioned-events index fills with entries of
 * rows positioned moments ago, and a bitmap scan visits each one's heap page on every
 * pass (measured: ~1,000 pages, 4.4 ms a pass under load). A plain index scan marks them
 * dead once and skips them after (0.3 ms a pass).
 *
 * Returns null when the lock was not free within `lockTimeoutMs` (another instance's pass
 * is stuck); the caller tries again later.
 */
export async function sequenceEvents(
  pool: Pool,
  options: { batchSize: number; notify: boolean; lockTimeoutMs: number },
): Promise<SequencerPass | null> {
  const batch = Math.max(1, Math.floor(options.batchSize));
  try {
    const row = await transaction(
      pool,
      async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [sequencerLockKey]);
        const { rows } = await client.query<{ moved: number; head: number; waiting: number }>(
          `WITH head AS (
             SELECT coalesce(max(position), 0) AS h FROM events
           ), ready AS (
             SELECT id, row_number() OVER (ORDER BY tx_id, id) AS n
               FROM events
              WHERE position IS NULL AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
              ORDER BY tx_id, id
              LIMIT $1
           ), moved AS (
             UPDATE events e SET position = head.h + ready.n
               FROM ready, head
              WHERE e.id = ready.id
             RETURNING e.position
           ), pass AS (
             SELECT (SELECT count(*) FROM moved)::int AS moved,
                    coalesce((SELECT max(position) FROM moved), (SELECT h FROM head)) AS head,
                    -- Visible unpositioned rows are committed; more of them than we moved means
                    -- some wait behind an older running transaction (or the batch was full).
                    (SELECT count(*) FROM (SELECT 1 FROM events WHERE position IS NULL LIMIT $1 + 1) w)::int AS waiting
           )
           SELECT moved, head, waiting,
                  CASE WHEN $2 AND moved > 0 THEN pg_notify('${eventsChannel}', head::text) END AS notified
             FROM pass`,
          [batch, options.notify],
        );
        return rows[0]!;
      },
      {
        lockTimeoutMs: options.lockTimeoutMs,
        settings: { synchronous_commit: 'off', enable_bitmapscan: 'off' },
        // A failed pass is simply the next one's work: the sequencer runs again soon.
        maxAttempts: 1,
      },
    );
    return { moved: row.moved, head: row.head, blocked: row.waiting > row.moved };
  } catch (err) {
    if (pgCode(err) === '55P03') return null;
    throw err;
  }
}

/** An event as stored, with its position. */
export interface StoredEvent {
  position: number;
  type: ChitEvent['type'];
  table_id: string | null;
  order_id: string | null;
  item_id: string | null;
  station: string | null;
  device_id: string | null;
  payload: unknown;
  created_at: string;
}

/** Positioned events after `after` (and up to `upTo`, if given), in position order. */
export async function readEvents(
  db: Pool | DbClient,
  after: number,
  limit: number,
  upTo: number | null = null,
): Promise<StoredEvent[]> {
  const { rows } = await db.query<StoredEvent>(
    `SELECT position, type, table_id, order_id, item_id, station, device_id, payload, created_at
       FROM events
      WHERE position > $1 AND ($3::bigint IS NULL OR position <= $3)
      ORDER BY position
      LIMIT $2`,
    [after, limit, upTo],
  );
  return rows;
}

/** The highest position given so far (0 for an empty log). */
export async function headPosition(db: Pool | DbClient): Promise<number> {
  const { rows } = await db.query<{ head: number }>(`SELECT coalesce(max(position), 0) AS head FROM events`);
  return rows[0]!.head;
}

/** The lowest position still in the log (0 for an empty log): a cursor below it minus one is gone. */
export async function oldestPosition(db: Pool | DbClient): Promise<number> {
  const { rows } = await db.query<{ oldest: number }>(
    `SELECT coalesce(min(position), 0) AS oldest FROM events WHERE position IS NOT NULL`,
  );
  return rows[0]!.oldest;
}

/**
 * Deletes events older than `retentionDays`, oldest position first, `batchSize` at a time,
 * each batch a short statement of its own (no long-running DELETE holding back vacuum or
 * replication). Only a prefix of positions goes, so what is left is gap-free and a cursor
 * is "gone" exactly when it is below the oldest position minus one; the head event always
 * stays, so positions never start again at 1 after a quiet spell. Walking by position
 * needs no index by time: each batch is the first entries of the position index.
 */
export async function pruneEvents(pool: Pool, retentionDays: number, batchSize = 5_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await pool.query(
      `WITH batch AS (
         SELECT id, position, created_at FROM events WHERE position IS NOT NULL ORDER BY position LIMIT $2
       ), keep AS (
         SELECT coalesce(min(position) FILTER (WHERE created_at >= now() - make_interval(days => $1)),
                         (SELECT max(position) FROM events)) AS from_position
           FROM batch
       )
       DELETE FROM events e USING batch, keep WHERE e.id = batch.id AND batch.position < keep.from_position`,
      [retentionDays, batchSize],
    );
    const n = result.rowCount ?? 0;
    deleted += n;
    if (n < batchSize) return deleted;
  }
}
