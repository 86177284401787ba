import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDataDirReachable, DataDirUnusable } from '../src/db/embedded.js';
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

  it('refuses, as root, a DATA_DIR under a folder PostgreSQL cannot enter, naming the folder and the fix', async () => {
    const locked = await mkdtemp(path.join(os.tmpdir(), 'chit-locked-'));
    try {
      await chmod(locked, 0o700);
      const dataDir = path.join(locked, 'data');
      expect(() => checkDataDirReachable(path.join(dataDir, 'pg'), true)).toThrow(DataDirUnusable);
      expect(() => checkDataDirReachable(path.join(dataDir, 'pg'), true)).toThrow(
        new RegExp(`cannot enter ${locked} \\(mode 700\\).*chmod o\\+x ${locked}`),
      );
      await chmod(locked, 0o755);
      expect(() => checkDataDirReachable(path.join(dataDir, 'pg'), true)).not.toThrow();
    } finally {
      await rm(locked, { recursive: true, force: true });
    }
  });
});
