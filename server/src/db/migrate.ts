import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import type { Logger } from '../logger.js';

/** server/migrations, found from this file whether it runs from src/db or from a dist bundle. */
export const migrationsDir = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.basename(here) === 'db' ? path.resolve(here, '../../migrations') : path.resolve(here, '../migrations');
})();

/** "chit:mig" as a number: the advisory lock every Chit process migrates under. */
const migrationLockKey = 0x636869743a6d6967n;

/**
 * Applies every pending migration. Safe to run from several instances at once (a
 * deployment starting three instances together): node-pg-migrate's own lock is a
 * try-lock, on which all but one would fail with "Another migration is already running",
 * so each first waits for a session lock of ours; the ones that wait then find nothing
 * left to apply. A process that dies holding it releases it with its connection.
 */
export async function migrate(databaseUrl: string, logger: Logger): Promise<string[]> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  // A connection that drops (PostgreSQL restarting) fails the query in progress, which is
  // what the caller hears; unheard, the 'error' event would end the process.
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1::bigint)', [migrationLockKey.toString()]);
    const applied = await runner({
      databaseUrl,
      dir: migrationsDir,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      count: Infinity,
      checkOrder: true,
      // Dotfiles and the conventions document live beside the migrations but are not migrations.
      ignorePattern: String.raw`(\..*|.*\.md)`,
      log: (message) => logger.debug({ migration: message }, 'migrate'),
    });
    return applied.map((m) => m.name);
  } finally {
    await lock.end();
  }
}
