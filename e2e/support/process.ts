import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Starting the built server outside a test runner: the browser suite, the benches of every
// package, the chaos and HA tests and the server's integration tests take these from here.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The built production server (`pnpm run build`), to start as a process of its own. */
export const builtServerMain = path.join(repoRoot, 'server', 'dist', 'main.js');

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export type BuiltServerSettings = {
  port: number;
  /** The built app to serve; a folder that does not exist serves none. */
  clientDist: string;
} & (
  | {
      /** Its embedded PostgreSQL's folder (under it, `pg/`) and port. */
      dataDir: string;
      pgPort: number;
    }
  | {
      /** A PostgreSQL of the caller's; `dataDir` then only holds backups. */
      databaseUrl: string;
      dataDir?: string;
    }
);

/** The environment the built server reads: on 127.0.0.1, the given PostgreSQL, quiet logs. */
export function builtServerEnv(settings: BuiltServerSettings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(settings.port),
    HOST: '127.0.0.1',
    ...('databaseUrl' in settings
      ? { DATABASE_URL: settings.databaseUrl }
      : { EMBEDDED_PG_PORT: String(settings.pgPort) }),
    ...(settings.dataDir === undefined ? {} : { DATA_DIR: settings.dataDir }),
    CLIENT_DIST: settings.clientDist,
    LOG_LEVEL: 'warn',
  };
}

export interface BuiltServer {
  child: ChildProcess;
  /** The pairing code the server printed for the first manager (on an empty database), if it did. */
  managerCode: string | null;
}

/**
 * Starts the built server and resolves once GET /api/health answers 200 and, with
 * `firstStart`, once it has printed the first manager's pairing code. When it exits first,
 * or is not up within a minute, the error holds what it printed.
 */
export async function startBuiltServer(
  settings: BuiltServerSettings,
  env: Record<string, string> = {},
  { firstStart = false } = {},
): Promise<BuiltServer> {
  const child = spawn(process.execPath, [builtServerMain], {
    env: { ...builtServerEnv(settings), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const managerCode = () => /pair the manager tablet with code ([A-Z0-9-]+)/.exec(output)?.[1] ?? null;
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
    try {
      const up =
        (!firstStart || managerCode() !== null) && (await fetch(`http://127.0.0.1:${settings.port}/api/health`)).ok;
      if (up) return { child, managerCode: managerCode() };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not start:\n${output}`);
}
