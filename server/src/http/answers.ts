import { ErrorBody, headers, type ErrorCode } from '@chit/shared';
import type { ErrorRequestHandler, Response } from 'express';
import { pgCode, type Pool, type Queryable } from '../db/pool.js';
import type { HttpError } from './errors.js';
import { Conflict, knownError, Unprocessable } from './errors.js';
import { claimOf, type Claim } from './idempotency-key.js';
import { isWrite } from './methods.js';

// The answers kept with idempotency keys: each as it went out, byte for byte, replayed to
// every retry; and the refusals that are kept like successes.

/** What a write answers when it goes through. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/** An answer as it went out, byte for byte: what a key keeps and every retry gets again. */
export interface Answer {
  status: number;
  type: string;
  bytes: Buffer;
}

export const jsonType = 'application/json; charset=utf-8';

export function answerOf(response: StoredResponse): Answer {
  return { status: response.status, type: jsonType, bytes: Buffer.from(JSON.stringify(response.body)) };
}

/**
 * Whether a refusal is a final answer, kept with the key like a success. Not kept: the
 * answers that say "try again" (408, 409 while the key is in use, 429, every 5xx), and
 * those given before there is a key to keep them under (no device, no valid key) or for
 * a key that already answered another request.
 */
export function isFinal(refusal: HttpError): boolean {
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

export function refusalAnswer(refusal: HttpError): Answer {
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
export async function storedAnswer(db: Queryable, claim: Claim): Promise<Answer | undefined> {
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

/** A wait for the key's row that ran out (55P03) is 409 `idempotency_key_in_use`. */
export function inUse(err: unknown): unknown {
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
export function send(res: Response, answer: Answer, replayed: boolean): void {
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
