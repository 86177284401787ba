import pg from 'pg';
import { pgCode, withClient, type DbClient, type Pool } from './pool.js';

export interface TransactionOptions {
  /** PostgreSQL's isolation level; its default (read committed) when absent. */
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  /** A read-only transaction: with `repeatable read`, one snapshot for several reads. */
  readOnly?: boolean;
  /** `lock_timeout` for this transaction; waits beyond it fail with 55P03. */
  lockTimeoutMs?: number;
  /**
   * Other settings for this transaction alone (`SET LOCAL`), e.g. `synchronous_commit: 'off'`.
   * Names and values are ours, never a client's: they are checked and written into the SQL.
   */
  settings?: Record<string, string | number>;
  /**
   * How many times `fn` runs when the transaction fails with a serialization failure or a
   * deadlock; 1 for an `fn` that cannot run twice (one that consumes a stream). Default 5.
   */
  maxAttempts?: number;
}

/** SQLSTATEs after which the whole transaction may simply run again. */
const retryable = new Set(['40001', '40P01']);

const settingName = /^[a-z_]+$/;
const settingValue = /^[A-Za-z0-9_.-]+$/;

/**
 * The statement that opens the transaction and applies its settings, sent in one round
 * trip. Everything in it is checked here: no value in it comes from a request.
 */
function beginStatement(options: TransactionOptions): string {
  const modes = [
    ...(options.isolation ? [`ISOLATION LEVEL ${options.isolation.toUpperCase()}`] : []),
    ...(options.readOnly ? ['READ ONLY'] : []),
  ];
  const settings: [string, string | number][] = [
    ...(options.lockTimeoutMs === undefined
      ? []
      : [['lock_timeout', Math.max(0, Math.floor(options.lockTimeoutMs))] as [string, number]]),
    ...Object.entries(options.settings ?? {}),
  ];
  const statements = [['BEGIN', ...modes].join(' ')];
  for (const [name, value] of settings) {
    if (!settingName.test(name) || !settingValue.test(String(value))) {
      throw new Error(`not a setting a transaction may take: ${name} = ${value}`);
    }
    statements.push(`SET LOCAL ${name} = ${value}`);
  }
  return statements.join('; ');
}

/** BEGIN, `fn`, COMMIT on `client`; ROLLBACK on any error (`broken` hears of a failed one). */
async function runIn<C extends pg.ClientBase, T>(
  client: C,
  begin: string,
  fn: (client: C) => Promise<T>,
  broken: (err: Error) => void,
): Promise<T> {
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(broken);
    throw err;
  }
}

/**
 * The one way to run a transaction: `fn` inside BEGIN/COMMIT, rolled back on any error,
 * and run again on serialization failures and deadlocks (up to `maxAttempts`).
 *
 * Given the pool, each attempt takes a connection of its own through `withClient`, which
 * discards a connection that broke (and whose errors the handler answers with 503
 * `database_unavailable`). Given a client (a backup's own connection), it runs on that
 * client, which stays its caller's to end.
 */
export function transaction<T>(
  db: Pool,
  fn: (client: DbClient) => Promise<T>,
  options?: TransactionOptions,
): Promise<T>;
export function transaction<C extends pg.ClientBase, T>(
  db: C,
  fn: (client: C) => Promise<T>,
  options?: TransactionOptions,
): Promise<T>;
export async function transaction<T>(
  db: Pool | pg.ClientBase,
  fn: (client: never) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const begin = beginStatement(options);
  // The overloads pair each kind of `db` with the `fn` that takes it.
  const run = fn as (client: pg.ClientBase) => Promise<T>;
  for (let attempt = 1; ; attempt++) {
    try {
      return db instanceof pg.Pool
        ? await withClient(db, (client, broken) => runIn(client, begin, run, broken))
        : await runIn(db, begin, run, () => {});
    } catch (err) {
      if (attempt < maxAttempts && retryable.has(pgCode(err) ?? '')) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
        continue;
      }
      throw err;
    }
  }
}
