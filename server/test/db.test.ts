import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { ensureDatabase } from '../src/db/embedded.js';
import { migrate, migrationsDir } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('migrations', () => {
  it('run once when several instances start together, and none of them fails', async () => {
    const admin = inject('adminDatabaseUrl');
    const name = `chit_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    await ensureDatabase(admin, name);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    try {
      const runs = await Promise.all([1, 2, 3].map(() => migrate(url.toString(), createLogger('silent'))));
      const files = (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql')).map((f) => f.slice(0, -4));
      expect(runs.flat().sort()).toEqual(files.sort());
      expect(runs.filter((applied) => applied.length > 0)).toHaveLength(1);
    } finally {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    }
  });
});

describe('the embedded PostgreSQL module', () => {
  it("leaves a process's exit code alone (a failing test run or CLI command must not exit 0)", async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "await import('./src/db/embedded.ts'); process.exitCode = 3;"],
      { cwd: serverDir, stdio: 'ignore' },
    );
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(3);
  });
});
