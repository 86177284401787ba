import { createHash } from 'node:crypto';
import { headers, limits } from '@chit/shared';
import type { Request, RequestHandler, Response } from 'express';
import { pgCode, transaction, type DbClient, type Pool } from '../db/pool.js';
import { deviceOf } from './auth.js';
import { Conflict, Unprocessable, ValidationFailed } from './errors.js';

export interface StoredResponse {
  status: number;
  body: unknown;
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const keyPattern = /^[\x21-\x7e]+$/;

/** Every write must carry an Idempotency-Key: refuse it before doing any work. */
export const requireIdempotencyKey: RequestHandler = (req, _res, next) => {
  if (!writeMethods.has(req.method)) return next();
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

interface KeyRow {
  request_hash: Buffer;
  response_status: number | null;
  response_body: unknown;
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
  const deviceId = deviceOf(req).id;
  const key = idempotencyKeyOf(req);
  const hash = fingerprint(req);
  const outcome = await transaction(
    pool,
    async (client) => {
      let inserted;
      try {
        inserted = await client.query(
          `INSERT INTO idempotency_keys (device_id, key, request_hash) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING 1`,
          [deviceId, key, hash],
        );
      } catch (err) {
        if (pgCode(err) === '55P03') {
          throw new Conflict(
            'idempotency_key_in_use',
            'A request with this Idempotency-Key is still being processed. Retry shortly.',
            { headers: { [headers.retryAfter]: '1' } },
          );
        }
        throw err;
      }
      if (inserted.rowCount === 0) {
        const { rows } = await client.query<KeyRow>(
          `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE device_id = $1 AND key = $2`,
          [deviceId, key],
        );
        const row = rows[0];
        if (!row || row.response_status === null) {
          // Committed rows always carry their response; this is a bug, not a client error.
          throw new Error(`idempotency key ${key} has no stored response`);
        }
        if (!row.request_hash.equals(hash)) {
          throw new Unprocessable(
            'idempotency_key_reused',
            'This Idempotency-Key was already used for a different request. Use a new key for a new write.',
          );
        }
        return { replayed: true, status: row.response_status, body: row.response_body };
      }
      const response = await write(client);
      await client.query(
        `UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE device_id = $1 AND key = $2`,
        [deviceId, key, response.status, JSON.stringify(response.body)],
      );
      return { replayed: false, ...response };
    },
    { lockTimeoutMs: waitMs },
  );
  if (outcome.replayed) res.setHeader(headers.idempotentReplayed, 'true');
  res.status(outcome.status).json(outcome.body);
}

/** Deletes keys older than the retention; run periodically by any instance. */
export async function pruneIdempotencyKeys(pool: Pool, retentionDays: number): Promise<number> {
  const result = await pool.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => $1)`, [
    retentionDays,
  ]);
  return result.rowCount ?? 0;
}
