import { headers } from '@chit/shared';
import type { Request, Response } from 'express';
import sql, { type Sql } from 'sql-template-tag';
import { pgCode, type DbClient, type Pool } from '../db/pool.js';
import { transaction } from '../db/transaction.js';
import {
  answerOf,
  inUse,
  isFinal,
  jsonType,
  refusalAnswer,
  send,
  storedAnswer,
  type Answer,
  type StoredResponse,
} from './answers.js';
import { HttpError, knownError } from './errors.js';
import { claimOf, type Claim } from './idempotency-key.js';

/**
 * Runs a write at most once per (device, Idempotency-Key), with the semantics of the IETF
 * draft "The Idempotency-Key HTTP Header Field":
 * - the key's row is inserted first, in the same transaction as the write, and completed
 *   with the answer before COMMIT: a crash can never apply a write and forget its key;
 * - a retry while the first is running waits for it on the row lock (so concurrent
 *   retries all get the first answer) and answers 409 only if it waits longer than
 *   `waitMs`;
 * - the same key with a different request is 422;
 * - a final refusal (4xx) rolls the write back to a savepoint after the key and is kept
 *   with the key like a success; "try again" errors roll back everything, key included.
 */
export async function idempotent(
  pool: Pool,
  req: Request,
  res: Response,
  waitMs: number,
  write: (client: DbClient) => Promise<StoredResponse>,
): Promise<void> {
  const claim = claimOf(req);
  const outcome = await transaction(
    pool,
    async (client) => {
      const inserted = await client
        .query(
          `INSERT INTO idempotency_keys (device_id, key, request_hash) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING 1`,
          [claim.deviceId, claim.key, claim.hash],
        )
        .catch((err: unknown) => {
          throw inUse(err);
        });
      if (inserted.rowCount === 0) {
        const stored = await storedAnswer(client, claim);
        if (!stored) throw new Error(`idempotency key ${claim.key} vanished`);
        return { replayed: true, answer: stored };
      }
      await client.query('SAVEPOINT write');
      let answer: Answer;
      try {
        answer = answerOf(await write(client));
      } catch (err) {
        const refusal = knownError(err);
        if (!refusal || !isFinal(refusal)) throw err;
        await client.query('ROLLBACK TO SAVEPOINT write');
        answer = refusalAnswer(refusal);
      }
      await client.query(
        `UPDATE idempotency_keys SET response_status = $3, response_body = $4, response_type = $5
          WHERE device_id = $1 AND key = $2`,
        [claim.deviceId, claim.key, answer.status, answer.bytes, answer.type],
      );
      return { replayed: false, answer };
    },
    { lockTimeoutMs: waitMs },
  );
  send(res, outcome.answer, outcome.replayed);
}

/** A write whose whole effect and answer are known before it touches the database. */
export interface PreparedWrite extends StoredResponse {
  /**
   * Data-modifying CTEs that make the change, each guarded by
   * `WHERE EXISTS (SELECT 1 FROM claimed)` so that nothing is written when the key was
   * already used. Writes that store parts of the answer read it as `(SELECT body FROM
   * answer)`: the answer's JSON text, sent once.
   *
   * `precondition` is an SQL condition that what `prepare` read is still current (say, a
   * cached menu's version), checked in the statement's own snapshot: when it is false,
   * nothing is written (not even the key), `stale()` is called and `prepare` runs again.
   */
  ctes(): { sql: Sql; precondition?: Sql; allocate?: Sql };
  /** The answer around a number the statement gives (see `NumberedAnswer`); `ctes` then returns `allocate`. */
  numbered?: NumberedAnswer;
  /** The data this write was prepared from was out of date (see `precondition`). */
  stale?(): void;
  /**
   * Names the statement so each connection plans it once; only for writes whose SQL text
   * is always the same.
   */
  statementName?: string;
  /** Turns a database error of the write into the client's error (e.g. a missing table). */
  mapError?(err: unknown): unknown;
}

/**
 * A write whose answer carries a number only the statement can give (an order's ticket
 * number): the answer's JSON text is `before` + the number + `after`. `ctes` returns
 * `allocate`, a data-modifying statement returning one row with a column `n`, guarded by
 * `WHERE (SELECT ok FROM fresh)` (true when the key is new and the precondition holds); it
 * runs before the key is claimed, the key keeps the whole answer (so every replay gets the
 * number) and the write's CTEs read the number as `(SELECT n FROM allocated)`.
 */
export interface NumberedAnswer {
  before: string;
  after: string;
}

/** How many times a write prepared from stale data is prepared again before giving up. */
const maxPrepareAttempts = 3;

/**
 * The same guarantees as `idempotent`, for the hot path of creating things with
 * client-made ids: the key (with its answer) and the change go in ONE statement, which
 * PostgreSQL runs as one transaction, so there is no BEGIN/COMMIT round trip and no
 * second write to complete the key. `prepare` reads what it needs (e.g. the menu) and may
 * refuse the write: the refusal is kept with the key by `keepRefusals` (which gives the
 * key's first answer instead when it already has one, even if the same request would now
 * be refused). The statement's waits are bounded by the pool's `lock_timeout`.
 */
export async function idempotentStatement(
  pool: Pool,
  req: Request,
  res: Response,
  prepare: () => Promise<PreparedWrite>,
): Promise<void> {
  const claim = claimOf(req);
  for (let attempt = 1; ; attempt++) {
    const prepared = await prepare();
    const numbered = prepared.numbered;
    const body = JSON.stringify(prepared.body);
    const write = prepared.ctes();
    if (numbered && !write.allocate) throw new Error('a numbered write must say how its number is allocated');
    const statement = write.allocate
      ? numberedStatement(claim, prepared.status, numbered!, write.sql, write.allocate, write.precondition)
      : sql`WITH answer AS (SELECT ${body}::text AS body),
         current AS (SELECT ${write.precondition ?? sql`true`} AS ok),
         claimed AS (
           INSERT INTO idempotency_keys (device_id, key, request_hash, response_status, response_body, response_type)
           SELECT ${claim.deviceId}, ${claim.key}, ${claim.hash}, ${prepared.status},
                  convert_to((SELECT body FROM answer), 'UTF8'), ${jsonType}
            WHERE (SELECT ok FROM current)
           ON CONFLICT DO NOTHING RETURNING 1
         ),
         ${write.sql}
         SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, (SELECT ok FROM current) AS current, NULL::int AS n`;
    let outcome: { claimed: boolean; current: boolean; n: number | null };
    try {
      const { rows } = await pool.query<{ claimed: boolean; current: boolean; n: number | null }>({
        ...(prepared.statementName ? { name: prepared.statementName } : {}),
        // The answer is text (its exact bytes are kept); the write's CTEs may read it as jsonb.
        text: statement.text,
        values: statement.values,
      });
      outcome = rows[0]!;
    } catch (err) {
      // Another request with this key committed while this one ran (a numbered statement
      // claims its key without ON CONFLICT, so that the race rolls its number back): that
      // request's answer is this one's.
      if (numbered && pgCode(err) === '23505' && constraintOf(err) === 'idempotency_keys_pkey') {
        outcome = { claimed: false, current: true, n: null };
      } else {
        throw prepared.mapError ? prepared.mapError(inUse(err)) : inUse(err);
      }
    }
    const text = numbered ? `${numbered.before}${outcome.n}${numbered.after}` : body;
    const answer: Answer = { status: prepared.status, type: jsonType, bytes: Buffer.from(text) };
    if (outcome.claimed) return send(res, answer, false);
    if (!outcome.current) {
      prepared.stale?.();
      if (attempt < maxPrepareAttempts) continue;
      throw new HttpError(
        503,
        'catalog_changing',
        'The menu or the tables are being changed right now. Send the write again in a moment.',
        { headers: { [headers.retryAfter]: '1' } },
      );
    }
    const stored = await storedAnswer(pool, claim);
    if (!stored) throw new Error(`idempotency key ${claim.key} vanished`);
    return send(res, stored, true);
  }
}

function constraintOf(err: unknown): string | undefined {
  return (err as { constraint?: string }).constraint;
}

/**
 * The statement of a numbered write. The number is taken only when the key is not yet in
 * the statement's snapshot (a replay takes none), and the key is claimed after it, without
 * ON CONFLICT: a retry racing its first request fails on the key (23505) and its number is
 * rolled back, rather than kept for nothing.
 */
function numberedStatement(
  claim: Claim,
  status: number,
  numbered: NumberedAnswer,
  writeSql: Sql,
  allocate: Sql,
  precondition: Sql | undefined,
): Sql {
  return sql`WITH current AS (SELECT ${precondition ?? sql`true`} AS ok),
         fresh AS (
           SELECT (SELECT ok FROM current)
              AND NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE device_id = ${claim.deviceId} AND key = ${claim.key}) AS ok
         ),
         allocated AS (${allocate}),
         answer AS (SELECT ${numbered.before}::text || n::text || ${numbered.after}::text AS body FROM allocated),
         claimed AS (
           INSERT INTO idempotency_keys (device_id, key, request_hash, response_status, response_body, response_type)
           SELECT ${claim.deviceId}, ${claim.key}, ${claim.hash}, ${status}, convert_to(body, 'UTF8'), ${jsonType}
             FROM answer
           RETURNING 1
         ),
         ${writeSql}
         SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, (SELECT ok FROM current) AS current,
                (SELECT n FROM allocated) AS n`;
}

/** Deletes keys older than the retention; run periodically by any instance. */
export async function pruneIdempotencyKeys(pool: Pool, retentionDays: number, batchSize = 5_000): Promise<number> {
  // In batches, each its own short statement: a year's first prune (millions of keys) as
  // one DELETE would hold its locks and its snapshot for minutes.
  let deleted = 0;
  for (;;) {
    const result = await pool.query(
      `DELETE FROM idempotency_keys k
        USING (SELECT device_id, key FROM idempotency_keys
                WHERE created_at < now() - make_interval(days => $1)
                ORDER BY created_at LIMIT $2) old
        WHERE k.device_id = old.device_id AND k.key = old.key`,
      [retentionDays, batchSize],
    );
    const n = result.rowCount ?? 0;
    deleted += n;
    if (n < batchSize) return deleted;
  }
}
