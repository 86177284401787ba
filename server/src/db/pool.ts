import pg from 'pg';
import type { Logger } from '../logger.js';

export type Pool = pg.Pool;
export type DbClient = pg.PoolClient;

// Timestamps leave the database as ISO strings; the wire carries ISO strings, and
// converting through Date would lose PostgreSQL's microseconds for no gain.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => new Date(value).toISOString());
// bigint ids fit comfortably in a double for the lifetime of a restaurant.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PoolOptions {
  /**
   * `lock_timeout` for every statement on the pool's connections. Bounds how long a
   * retried write waits for the first one holding its Idempotency-Key (then 409) and keeps
   * a stuck lock from piling up every request behind it.
   */
  lockTimeoutMs?: number;
}

export function createPool(connectionString: string, max: number, logger: Logger, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis: 30_000,
    ...(options.lockTimeoutMs === undefined ? {} : { options: `-c lock_timeout=${Math.floor(options.lockTimeoutMs)}` }),
  });
  // The error carries the whole client; log what a person can use.
  pool.on('error', (err) => logger.error({ message: err.message, code: pgCode(err) }, 'idle PostgreSQL client failed'));
  // A connection that breaks while checked out but between queries (a primary killed in a
  // failover) emits 'error' on its client, and an unhandled 'error' would end the process.
  // The code holding the client learns of it from its next query, which fails; the client is
  // then released as broken (see `transaction`).
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/** SQLSTATEs after which the whole transaction may simply run again. */
const retryable = new Set(['40001', '40P01']);

export function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

/**
 * Errors after which the database may work again in a moment on another connection: the
 * connection reached a read-only standby (25006, a primary demoted under it or HAProxy not
 * yet switched), the server is shutting down or restarting (57P01-57P03), or the
 * connection broke (class 08, or a socket error without a SQLSTATE). In a failover every
 * one of these is the same news: answer 503, drop this connection, and let the client
 * retry with its Idempotency-Key, which makes the retry exact.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = pgCode(err);
  if (code !== undefined) {
    return code === '25006' || code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('08');
  }
  if (!(err instanceof Error)) return false;
  const errno = (err as NodeJS.ErrnoException).code;
  return (
    errno === 'ECONNREFUSED' ||
    errno === 'ECONNRESET' ||
    errno === 'EPIPE' ||
    errno === 'ETIMEDOUT' ||
    /Connection terminated|Client has encountered a connection error|not queryable/i.test(err.message)
  );
}

export interface TransactionOptions {
  /** `lock_timeout` for this transaction; waits beyond it fail with 55P03. */
  lockTimeoutMs?: number;
  maxAttempts?: number;
}

/**
 * The one way to write: runs `fn` inside BEGIN/COMMIT on one client, rolls back on any
 * error, and runs it again on serialization failures and deadlocks.
 */
export async function transaction<T>(
  pool: Pool,
  fn: (client: DbClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const begin =
    options.lockTimeoutMs === undefined
      ? 'BEGIN'
      : `BEGIN; SET LOCAL lock_timeout = ${Math.max(0, Math.floor(options.lockTimeoutMs))}`;
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr as Error;
      }
      // A connection to a standby stays on that standby: discard it, the pool makes a new one
      // (through HAProxy, to the new primary).
      if (!broken && isDatabaseUnavailable(err)) broken = err as Error;
      if (attempt < maxAttempts && retryable.has(pgCode(err) ?? '')) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
        continue;
      }
      throw err;
    } finally {
      // A client whose ROLLBACK failed is in an unknown state: destroy it.
      client.release(broken);
    }
  }
}
