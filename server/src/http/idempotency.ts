import { createHash } from 'node:crypto';
import { headers, limits } from '@chit/shared';
import type { Request, RequestHandler, Response } from 'express';
import { pgCode, transaction, type DbClient, type Pool } from '../db/pool.js';
import { deviceOf } from './auth.js';
import { Conflict, HttpError, Unprocessable, ValidationFailed } from './errors.js';
import { isWrite } from './methods.js';

export interface StoredResponse {
  status: number;
  body: unknown;
}

const keyPattern = /^[\x21-\x7e]+$/;

/** Every write must carry an Idempotency-Key: refuse it before doing any work. */
export const requireIdempotencyKey: RequestHandler = (req, _res, next) => {
  if (!isWrite(req.method)) return next();
  idempotencyKeyOf(req);
  next();
};

function idempotencyKeyOf(req: Request): string {
  const raw = req.get(headers.idempotencyKey);
  if (raw === undefined || raw.trim() === '') {
    throw new ValidationFailed(
      `Every write needs an ${headers.idempotencyKey} header (a fresh UUID per write; the same one when retrying it).`,
      undefined,
      'idempotency_key_missing',
    );
  }
  // The draft makes the key a quoted string; accept it quoted or bare.
  const key = raw.trim().replace(/^"(.*)"$/, '$1');
  if (key.length === 0 || key.length > limits.idempotencyKeyMaxLength || !keyPattern.test(key)) {
    throw new ValidationFailed(
      `${headers.idempotencyKey} must be 1 to ${limits.idempotencyKeyMaxLength} visible ASCII characters.`,
      undefined,
      'idempotency_key_invalid',
    );
  }
  return key;
}

/** What makes two requests "the same request": method, path and body. */
function fingerprint(req: Request): Buffer {
  return createHash('sha256')
    .update(`${req.method} ${req.baseUrl}${req.path}\n`)
    .update(JSON.stringify(req.body ?? null))
    .digest();
}

interface Claim {
  deviceId: string;
  key: string;
  hash: Buffer;
}

function claimOf(req: Request): Claim {
  return { deviceId: deviceOf(req).id, key: idempotencyKeyOf(req), hash: fingerprint(req) };
}

interface KeyRow {
  request_hash: Buffer;
  response_status: number | null;
  response_body: unknown;
}

type Queryable = Pool | DbClient;

/**
 * The stored answer of a committed request with this key, or undefined when there is none.
 * Throws 422 when the key was used for a different request.
 */
async function storedResponse(db: Queryable, claim: Claim): Promise<StoredResponse | undefined> {
  const { rows } = await db.query<KeyRow>(
    `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE device_id = $1 AND key = $2`,
    [claim.deviceId, claim.key],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (!row.request_hash.equals(claim.hash)) {
    throw new Unprocessable(
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different request. Use a new key for a new write.',
    );
  }
  if (row.response_status === null) {
    // Committed rows always carry their response; this is a bug, not a client error.
    throw new Error(`idempotency key ${claim.key} has no stored response`);
  }
  return { status: row.response_status, body: row.response_body };
}

function inUse(err: unknown): unknown {
  return pgCode(err) === '55P03'
    ? new Conflict(
        'idempotency_key_in_use',
        'A request with this Idempotency-Key is still being processed. Retry shortly.',
        {
          headers: { [headers.retryAfter]: '1' },
        },
      )
    : err;
}

function send(res: Response, response: StoredResponse, replayed: boolean): void {
  if (replayed) res.setHeader(headers.idempotentReplayed, 'true');
  res.status(response.status).json(response.body);
}

/**
 * Runs a write at most once per (device, Idempotency-Key), with the semantics of the IETF
 * draft "The Idempotency-Key HTTP Header Field":
 * - the key's row is inserted first, in the same transaction as the write, and completed
 *   with the response before COMMIT: a crash can never apply a write and forget its key;
 * - a retry while the first is running waits for it on the row lock (so concurrent
 *   retries all get the first answer) and answers 409 only if it waits longer than
 *   `waitMs`;
 * - the same key with a different request is 422;
 * - errors roll back the key with everything else, so a refused write can be fixed and
 *   sent again with the same key.
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
        const stored = await storedResponse(client, claim);
        if (!stored) throw new Error(`idempotency key ${claim.key} vanished`);
        return { replayed: true, ...stored };
      }
      const response = await write(client);
      await client.query(
        `UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE device_id = $1 AND key = $2`,
        [claim.deviceId, claim.key, response.status, JSON.stringify(response.body)],
      );
      return { replayed: false, ...response };
    },
    { lockTimeoutMs: waitMs },
  );
  send(res, outcome, outcome.replayed);
}

/** A write whose whole effect and answer are known before it touches the database. */
export interface PreparedWrite extends StoredResponse {
  /**
   * Data-modifying CTEs that make the change, each guarded by
   * `WHERE EXISTS (SELECT 1 FROM claimed)` so that nothing is written when the key was
   * already used; their parameters are numbered from `firstParam`. `answerParam` is the
   * parameter holding the answer (`body` as JSON), for writes that store parts of it.
   *
   * `precondition` is an SQL condition that what `prepare` read is still current (say, a
   * cached menu's version), checked in the statement's own snapshot: when it is false,
   * nothing is written (not even the key), `stale()` is called and `prepare` runs again.
   */
  ctes(firstParam: number, answerParam: string): { sql: string; values: unknown[]; precondition?: string };
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

/** How many times a write prepared from stale data is prepared again before giving up. */
const maxPrepareAttempts = 3;

/**
 * The same guarantees as `idempotent`, for the hot path of creating things with
 * client-made ids: the key (with its answer) and the change go in ONE statement, which
 * PostgreSQL runs as one transaction, so there is no BEGIN/COMMIT round trip and no
 * second write to complete the key. `prepare` reads what it needs (e.g. the menu) and may
 * refuse the write; a refusal is only final if the key has not already been answered.
 * The statement's waits are bounded by the pool's `lock_timeout`.
 */
export async function idempotentStatement(
  pool: Pool,
  req: Request,
  res: Response,
  prepare: () => Promise<PreparedWrite>,
): Promise<void> {
  const claim = claimOf(req);
  for (let attempt = 1; ; attempt++) {
    let prepared: PreparedWrite;
    try {
      prepared = await prepare();
    } catch (err) {
      // A retry of a write that went through must get its first answer, even if the same
      // request would now be refused (say the dish has since run out).
      const stored = await storedResponse(pool, claim);
      if (stored) return send(res, stored, true);
      throw err;
    }
    const body = JSON.stringify(prepared.body);
    const write = prepared.ctes(6, '$5');
    let outcome: { claimed: boolean; current: boolean };
    try {
      const { rows } = await pool.query<{ claimed: boolean; current: boolean }>({
        ...(prepared.statementName ? { name: prepared.statementName } : {}),
        text: `WITH current AS (SELECT ${write.precondition ?? 'true'} AS ok),
         claimed AS (
           INSERT INTO idempotency_keys (device_id, key, request_hash, response_status, response_body)
           SELECT $1, $2, $3, $4, $5 WHERE (SELECT ok FROM current)
           ON CONFLICT DO NOTHING RETURNING 1
         ),
         ${write.sql}
         SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, (SELECT ok FROM current) AS current`,
        values: [claim.deviceId, claim.key, claim.hash, prepared.status, body, ...write.values],
      });
      outcome = rows[0]!;
    } catch (err) {
      throw prepared.mapError ? prepared.mapError(inUse(err)) : inUse(err);
    }
    if (outcome.claimed) {
      res.status(prepared.status).type('json').send(body);
      return;
    }
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
    const stored = await storedResponse(pool, claim);
    if (!stored) throw new Error(`idempotency key ${claim.key} vanished`);
    return send(res, stored, true);
  }
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
