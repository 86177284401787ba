import pg from 'pg';
import type { Logger } from '../logger.js';

export type Pool = pg.Pool;
export type DbClient = pg.PoolClient;
/** Anything a read can run on: the pool (any connection) or a client inside a transaction. */
export type Queryable = Pool | DbClient;

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
  pool.on('error', (err) => logger.warn({ message: err.message, code: pgCode(err) }, 'idle PostgreSQL client failed'));
  // pg-pool listens for errors only on idle clients: a client whose connection drops while
  // it is checked out (PostgreSQL restarting, a backend terminated) would emit an
  // unhandled 'error' and end the process. Its holder learns of it anyway, from the query
  // that fails, and `withClient` destroys it; this listener only keeps the process up.
  pool.on('connect', (client) => client.on('error', ignoreCheckedOutError));
  return pool;
}

function ignoreCheckedOutError(): void {}

/**
 * Connection-level failures: the statement may or may not have run, and the connection is
 * gone. PostgreSQL shutting down or restarting (57P01-57P03), connection exceptions
 * (class 08), too many connections (53300), the socket refused, reset or cut.
 */
const connectionCodes = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const connectionMessages =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/;

/** True when `err` says the database could not be reached or the connection broke (see `connectionCodes`). */
export function isConnectionError(err: unknown): boolean {
  const code = pgCode(err);
  if (code !== undefined && (connectionCodes.has(code) || code.startsWith('08'))) return true;
  if (err instanceof AggregateError) return err.errors.some(isConnectionError);
  return err instanceof Error && connectionMessages.test(err.message);
}

/**
 * The database cannot take the request on this connection, but may in a moment on another:
 * a connection error (above), or a read-only answer (25006) from a standby, or from a
 * primary demoted under the connection before HAProxy cut it. In a failover both mean the
 * same: answer 503, discard the connection, and let the client retry with its
 * Idempotency-Key, which makes the retry exact.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  return pgCode(err) === '25006' || isConnectionError(err);
}

/**
 * Runs `fn` on a client of its own. A client whose connection failed while it was out, or
 * that `fn` says is `broken` (a failed ROLLBACK leaves it in an unknown state), is
 * destroyed rather than returned to the pool, so the next request gets a fresh connection.
 */
export async function withClient<T>(
  pool: Pool,
  fn: (client: DbClient, broken: (err: Error) => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const broken = (err: Error) => {
    lost ??= err;
  };
  client.on('error', broken);
  try {
    return await fn(client, broken);
  } catch (err) {
    // A read-only connection stays on its standby: a new one goes (through HAProxy) to the primary.
    if (isDatabaseUnavailable(err)) broken(err as Error);
    throw err;
  } finally {
    client.removeListener('error', broken);
    client.release(lost);
  }
}

export function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}
