import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrate, migrationsDir } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';
import { createEmptyDatabase } from './harness.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('migrations', () => {
  it('run once when several instances start together, and none of them fails', async () => {
    const db = await createEmptyDatabase();
    try {
      const runs = await Promise.all([1, 2, 3].map(() => migrate(db.url, createLogger('silent'))));
      const files = (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql')).map((f) => f.slice(0, -4));
      expect(runs.flat().sort()).toEqual(files.sort());
      expect(runs.filter((applied) => applied.length > 0)).toHaveLength(1);
    } finally {
      await db.close();
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
