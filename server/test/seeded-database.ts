import { migrate } from '../src/db/migrate.js';
import { createPool, type Pool, type PoolOptions } from '../src/db/pool.js';
import type { Logger } from '../src/logger.js';
import { seedIfEmpty } from '../src/setup/seed.js';

/** A database as a started server leaves it (migrated, the demo menu and tables), with a pool on it. */
export interface SeededDatabase {
  url: string;
  pool: Pool;
  /** Ends the pool, then lets the database go (dropped, or its PostgreSQL stopped). */
  close(): Promise<void>;
}

/**
 * Migrates and seeds the database at `url` and opens a pool of `poolSize` on it: where the
 * integration tests and the benches start from. `release` is what `close` does after
 * ending the pool.
 */
export async function seededDatabase(
  url: string,
  logger: Logger,
  poolSize: number,
  release: () => Promise<void>,
  poolOptions: PoolOptions = {},
): Promise<SeededDatabase> {
  await migrate(url, logger);
  const pool = createPool(url, poolSize, logger, poolOptions);
  await seedIfEmpty(pool);
  return {
    url,
    pool,
    close: async () => {
      await pool.end();
      await release();
    },
  };
}
