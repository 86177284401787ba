import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '@chit/e2e/process';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { createLogger } from '../src/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL URL whose user may create databases; each test file makes its own. */
    adminDatabaseUrl: string;
  }
}

// The integration tests that start processes of their own take it from here.
export { freePort };

/**
 * Tests run against a real PostgreSQL: DATABASE_URL when it is set (its user must be
 * allowed to create databases), otherwise an embedded one started here for the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.DATABASE_URL);
    return async () => {};
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chit-test-'));
  // mkdtemp makes it 0700; as root, PostgreSQL runs as its own user and must get in.
  await chmod(dataDir, 0o755);
  const db = await startEmbeddedPostgres(dataDir, await freePort(), createLogger('warn'), 'postgres');
  project.provide('adminDatabaseUrl', db.url);
  return async () => {
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
