import { headers } from '@chit/shared';
import type { Request, RequestHandler } from 'express';
import type { RateLimitConfig } from '../config.js';
import type { Pool } from '../db/pool.js';
import { HttpError } from './errors.js';

export interface TokenTaken {
  allowed: boolean;
  /** Whole seconds until a token is back; 0 when one is there now. */
  retryAfterSeconds: number;
}

/**
 * Takes one token from `key`'s bucket, shared by every instance through PostgreSQL. One
 * upsert decides: the bucket refills at `perMinute` since its last use, up to `burst`; the
 * request takes a token when at least one is there, and a refused request takes nothing,
 * so a client that waits Retry-After gets through. The database's clock is the only one
 * used, so instances with skewed clocks agree.
 */
export async function takeToken(pool: Pool, key: string, limit: RateLimitConfig): Promise<TokenTaken> {
  const perSecond = limit.perMinute / 60;
  const { rows } = await pool.query<{ tokens: number; allowed: boolean }>(
    // In SET every reference to b is the row as it was, so the refill is computed from the old tokens.
    `INSERT INTO rate_limit_buckets AS b (key, tokens, updated_at, allowed)
     VALUES ($1, $2::float8 - 1, now(), true)
     ON CONFLICT (key) DO UPDATE SET
       tokens = least($2::float8, b.tokens + extract(epoch FROM now() - b.updated_at)::float8 * $3::float8)
                - CASE WHEN least($2::float8, b.tokens + extract(epoch FROM now() - b.updated_at)::float8 * $3::float8) >= 1 THEN 1 ELSE 0 END,
       allowed = least($2::float8, b.tokens + extract(epoch FROM now() - b.updated_at)::float8 * $3::float8) >= 1,
       updated_at = now()
     RETURNING b.tokens, b.allowed`,
    [key, limit.burst, perSecond],
  );
  const row = rows[0]!;
  return {
    allowed: row.allowed,
    retryAfterSeconds: row.allowed ? 0 : Math.max(1, Math.ceil((1 - row.tokens) / perSecond)),
  };
}

/** Buckets untouched for a day are full again; deleting them changes nothing. */
export async function pruneRateLimitBuckets(pool: Pool): Promise<number> {
  const result = await pool.query(`DELETE FROM rate_limit_buckets WHERE updated_at < now() - interval '1 day'`);
  return result.rowCount ?? 0;
}

/** A middleware refusing with 429 and Retry-After once `keyOf(req)`'s bucket is empty. */
export function rateLimit(
  pool: Pool,
  limit: RateLimitConfig,
  keyOf: (req: Request) => string | undefined,
  message: string,
): RequestHandler {
  return async (req, _res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    const { allowed, retryAfterSeconds } = await takeToken(pool, key, limit);
    if (!allowed) {
      throw new HttpError(429, 'rate_limited', `${message} Retry in ${retryAfterSeconds} s.`, {
        headers: { [headers.retryAfter]: String(retryAfterSeconds) },
      });
    }
    next();
  };
}
