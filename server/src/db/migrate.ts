import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logger.js';

/** server/migrations, found from this file whether it runs from src/db or from a dist bundle. */
export const migrationsDir = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.basename(here) === 'db' ? path.resolve(here, '../../migrations') : path.resolve(here, '../migrations');
})();

/** Applies every pending migration. Safe to run from several instances at once: node-pg-migrate takes a lock. */
export async function migrate(databaseUrl: string, logger: Logger): Promise<string[]> {
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
}
