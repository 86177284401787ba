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
 * The upsert that takes one token from a bucket, shared by every instance through
 * PostgreSQL: the bucket refills at `perSecond` since its last use, up to `burst`; the
 * request takes a token when at least one is there, and a refused request takes nothing,
 * so a client that waits Retry-After gets through. The database's clock is the only one
 * used, so instances with skewed clocks agree. The arguments are SQL expressions (the
 * caller's parameters); `from` is an optional FROM clause the key may refer to.
 * RETURNING `tokens` (left after this request) and `allowed`.
 */
export function takeTokenSql(sql: { key: string; burst: string; perSecond: string; from?: string }): string {
  // In SET every reference to b is the row as it was, so the refill is computed from the old tokens.
  const refilled = `least(${sql.burst}::float8, b.tokens + extract(epoch FROM now() - b.updated_at)::float8 * ${sql.perSecond}::float8)`;
  return `INSERT INTO rate_limit_buckets AS b (key, tokens, updated_at, allowed)
     SELECT ${sql.key}, ${sql.burst}::float8 - 1, now(), true ${sql.from ? `FROM ${sql.from}` : ''}
     ON CONFLICT (key) DO UPDATE SET
       tokens = ${refilled} - CASE WHEN ${refilled} >= 1 THEN 1 ELSE 0 END,
       allowed = ${refilled} >= 1,
       updated_at = now()
     RETURNING b.tokens, b.allowed`;
}

/** Whole seconds until a bucket that has `tokens` left has one again. */
export function retryAfterSeconds(tokens: number, limit: RateLimitConfig): number {
  return Math.max(1, Math.ceil((1 - tokens) / (limit.perMinute / 60)));
}

export function rateLimited(message: string, retryAfter: number): HttpError {
  return new HttpError(429, 'rate_limited', `${message} Retry in ${retryAfter} s.`, {
    headers: { [headers.retryAfter]: String(retryAfter) },
  });
}

/** Takes one token from `key`'s bucket (see `takeTokenSql`). */
export async function takeToken(pool: Pool, key: string, limit: RateLimitConfig): Promise<TokenTaken> {
  const { rows } = await pool.query<{ tokens: number; allowed: boolean }>(
    takeTokenSql({ key: '$1::text', burst: '$2', perSecond: '$3' }),
    [key, limit.burst, limit.perMinute / 60],
  );
  const row = rows[0]!;
  return { allowed: row.allowed, retryAfterSeconds: row.allowed ? 0 : retryAfterSeconds(row.tokens, limit) };
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
    const taken = await takeToken(pool, key, limit);
    if (!taken.allowed) throw rateLimited(message, taken.retryAfterSeconds);
    next();
  };
}
