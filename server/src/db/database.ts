import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres } from './embedded.js';

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
