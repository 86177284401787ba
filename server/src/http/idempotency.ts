import { createHash } from 'node:crypto';
import { ErrorBody, headers, limits, type ErrorCode } from '@chit/shared';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { pgCode, transaction, type DbClient, type Pool, type Queryable } from '../db/pool.js';
import { deviceOf } from './auth.js';
import { Conflict, HttpError, knownError, Unprocessable, ValidationFailed } from './errors.js';
import { isWrite } from './methods.js';

/** What a write answers when it goes through. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/** An answer as it went out, byte for byte: what a key keeps and every retry gets again. */
interface Answer {
  status: number;
  type: string;
  bytes: Buffer;
}

const jsonType = 'application/json; charset=utf-8';

function answerOf(response: StoredResponse): Answer {
  return { status: response.status, type: jsonType, bytes: Buffer.from(JSON.stringify(response.body)) };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point
  namespace Express {
    interface Request {
      /** The write's (device, Idempotency-Key, fingerprint), once worked out. */
      idempotency?: Claim;
    }
  }
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
  return (req.idempotency ??= { deviceId: deviceOf(req).id, key: idempotencyKeyOf(req), hash: fingerprint(req) });
}

/**
 * Whether a refusal is a final answer, kept with the key like a success. Not kept: the
 * answers that say "try again" (408, 409 while the key is in use, 429, every 5xx), and
 * those given before there is a key to keep them under (no device, no valid key) or for
 * a key that already answered another request.
 */
function isFinal(refusal: HttpError): boolean {
  if (refusal.status >= 500 || refusal.status === 408 || refusal.status === 429 || refusal.status === 401) {
    return false;
  }
  return !notKept.has(refusal.code);
}

const notKept = new Set<ErrorCode>([
  'idempotency_key_missing',
  'idempotency_key_invalid',
  'idempotency_key_in_use',
  'idempotency_key_reused',
]);

function refusalAnswer(refusal: HttpError): Answer {
  return answerOf({ status: refusal.status, body: refusal.body() });
}

interface KeyRow {
  request_hash: Buffer;
  response_status: number | null;
  response_body: Buffer | null;
  response_type: string | null;
}

/**
 * The stored answer of a committed request with this key, or undefined when there is none.
 * Throws 422 when the key was used for a different request.
 */
async function storedAnswer(db: Queryable, claim: Claim): Promise<Answer | undefined> {
  const { rows } = await db.query<KeyRow>(
    `SELECT request_hash, response_status, response_body, response_type
       FROM idempotency_keys WHERE device_id = $1 AND key = $2`,
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
  if (row.response_status === null || row.response_body === null) {
    // Committed rows always carry their response; this is a bug, not a client error.
    throw new Error(`idempotency key ${claim.key} has no stored response`);
  }
  // Keys stored before migration 0005 have no type; their bodies were all JSON.
  return { status: row.response_status, type: row.response_type ?? jsonType, bytes: row.response_body };
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

/** Sends an answer's very bytes (a replay is byte for byte the first answer). */
function send(res: Response, answer: Answer, replayed: boolean): void {
  if (res.headersSent) return; // timed out (503) meanwhile; a retry gets the stored answer
  if (replayed) res.setHeader(headers.idempotentReplayed, 'true');
  // A refusal answered from here, first time or replayed, is counted by its code like any other.
  if (answer.status >= 400) res.locals.errorCode = errorCodeOf(answer);
  res.status(answer.status).type(answer.type).send(answer.bytes);
}

function errorCodeOf(answer: Answer): string | undefined {
  try {
    const body: unknown = JSON.parse(answer.bytes.toString('utf8'));
    const parsed = ErrorBody.safeParse(body);
    return parsed.success ? parsed.data.error.code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a final refusal with its key, unless the key already has an answer: then that
 * answer is the one to give. Waits (up to the pool's `lock_timeout`, then 409) for a
 * request holding the key uncommitted, so a refusal never overtakes a first request that
 * is about to succeed.
 */
async function keepRefusal(pool: Pool, claim: Claim, refusal: Answer): Promise<{ answer: Answer; replayed: boolean }> {
  const inserted = await pool
    .query(
      `INSERT INTO idempotency_keys (device_id, key, request_hash, response_status, response_body, response_type)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [claim.deviceId, claim.key, claim.hash, refusal.status, refusal.bytes, refusal.type],
    )
    .catch((err: unknown) => {
      throw inUse(err);
    });
  if (inserted.rowCount === 1) return { answer: refusal, replayed: false };
  const stored = await storedAnswer(pool, claim);
  if (!stored) throw new Error(`idempotency key ${claim.key} vanished`);
  return { answer: stored, replayed: true };
}

/**
 * Mounted after the routes, before `errorHandler`: a write refused once its device and key
 * are known (validation, a missing table, a dish 86'd, a role that may not) keeps its
 * refusal with the key, like a success, so the same key can never succeed later (a late
 * original arriving after its retry was refused). Refusals given before (no token, no
 * key, too many requests) and "try again" answers pass on untouched.
 */
export function keepRefusals(pool: Pool): ErrorRequestHandler {
  return async (err: unknown, req, res, next) => {
    const refusal = isWrite(req.method) && req.device ? knownError(err) : undefined;
    if (!refusal || !isFinal(refusal)) return next(err);
    let claim: Claim;
    try {
      claim = claimOf(req);
    } catch {
      return next(err);
    }
    const kept = await keepRefusal(pool, claim, refusalAnswer(refusal));
    send(res, kept.answer, kept.replayed);
  };
}

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
   * already used; their parameters are numbered from `firstParam`. `answerParam` is the
   * parameter holding the answer (`body` as JSON text), for writes that store parts of it.
   *
   * `precondition` is an SQL condition that what `prepare` read is still current (say, a
   * cached menu's version), checked in the statement's own snapshot: when it is false,
   * nothing is written (not even the key), `stale()` is called and `prepare` runs again.
   */
  ctes(
    firstParam: number,
    answerParam: string,
  ): { sql: string; values: unknown[]; precondition?: string; allocate?: string };
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
    // Plain: $5 is the answer. Numbered: $5 and $6 are the answer's text around the number.
    const body = numbered ? [numbered.before, numbered.after] : [JSON.stringify(prepared.body)];
    const write = prepared.ctes(5 + body.length, numbered ? '(SELECT text FROM answer)' : '$5');
    if (numbered && !write.allocate) throw new Error('a numbered write must say how its number is allocated');
    let outcome: { claimed: boolean; current: boolean; n: number | null };
    try {
      const { rows } = await pool.query<{ claimed: boolean; current: boolean; n: number | null }>({
        ...(prepared.statementName ? { name: prepared.statementName } : {}),
        text: write.allocate ? numberedStatement(write.sql, write.allocate, write.precondition) : plainStatement(write),
        values: [claim.deviceId, claim.key, claim.hash, prepared.status, ...body, ...write.values],
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
    const text = numbered ? `${numbered.before}${outcome.n}${numbered.after}` : body[0]!;
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

// `$5::text` comes first so that $5 is text (the answer's exact bytes are kept); the
// write's CTEs may read it as jsonb.
function plainStatement(write: { sql: string; precondition?: string }): string {
  return `WITH current AS (SELECT ${write.precondition ?? 'true'} AS ok),
         claimed AS (
           INSERT INTO idempotency_keys (device_id, key, request_hash, response_status, response_body, response_type)
           SELECT $1, $2, $3, $4, convert_to($5::text, 'UTF8'), '${jsonType}' WHERE (SELECT ok FROM current)
           ON CONFLICT DO NOTHING RETURNING 1
         ),
         ${write.sql}
         SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, (SELECT ok FROM current) AS current, NULL::int AS n`;
}

/**
 * The statement of a numbered write. The number is taken only when the key is not yet in
 * the statement's snapshot (a replay takes none), and the key is claimed after it, without
 * ON CONFLICT: a retry racing its first request fails on the key (23505) and its number is
 * rolled back, rather than kept for nothing.
 */
function numberedStatement(writeSql: string, allocate: string, precondition: string | undefined): string {
  return `WITH current AS (SELECT ${precondition ?? 'true'} AS ok),
         fresh AS (
           SELECT (SELECT ok FROM current)
              AND NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE device_id = $1 AND key = $2) AS ok
         ),
         allocated AS (${allocate}),
         answer AS (SELECT $5::text || n::text || $6::text AS text FROM allocated),
         claimed AS (
           INSERT INTO idempotency_keys (device_id, key, request_hash, response_status, response_body, response_type)
           SELECT $1, $2, $3, $4, convert_to(text, 'UTF8'), '${jsonType}' FROM answer
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
