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
