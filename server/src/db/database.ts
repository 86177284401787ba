import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres } from './embedded.js';
import { isConnectionError, pgCode } from './pool.js';

export interface Database {
  url: string;
  /** Stops the embedded server; a no-op for an external DATABASE_URL. */
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when it is set; otherwise the embedded PostgreSQL under DATA_DIR, started
 * here or, when it already runs, joined. `owner`: the server owns the embedded database
 * and stops it on exit; the CLI, run beside a server, must not.
 */
export async function openDatabase(config: Config, logger: Logger, owner = true): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
  return startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, logger, 'chit', {
    stopIfAlreadyRunning: owner,
  });
}

export interface WaitOptions {
  /** Give up (rethrow) once this long has passed since the first try. */
  timeoutMs: number;
  /** Monotonic milliseconds and a sleep, as parameters so a test could drive them. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `step` (open, migrate, seed …) until PostgreSQL accepts it. A PostgreSQL that is
 * still starting or recovering from a crash answers 57P03 ("the database system is
 * starting up") or refuses the connection; a server started beside it (by a supervisor,
 * after a crash of both) waits for it with a clear log line instead of exiting at once
 * and being restarted in a tight loop. Any other error, or one past `timeoutMs`, is thrown.
 */
export async function whenDatabaseReady<T>(
  what: string,
  step: () => Promise<T>,
  logger: Logger,
  options: WaitOptions,
): Promise<T> {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.timeoutMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await step();
    } catch (err) {
      if (!isConnectionError(err) || now() + delay > deadline) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      logger.warn(
        { code: pgCode(err), reason, retryInMs: delay },
        `PostgreSQL is not accepting connections yet (${what}); trying again in ${delay / 1000} s`,
      );
      await sleep(delay);
    }
  }
}
