import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

export interface BuiltServerSettings {
  port: number;
  dataDir: string;
  /** The embedded PostgreSQL's port. */
  pgPort: number;
  /** The built app to serve; a folder that does not exist serves none. */
  clientDist: string;
}

/** The environment the built server reads: on 127.0.0.1, its own data folder and PostgreSQL, quiet logs. */
export function builtServerEnv(settings: BuiltServerSettings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(settings.port),
    HOST: '127.0.0.1',
    DATA_DIR: settings.dataDir,
    EMBEDDED_PG_PORT: String(settings.pgPort),
    CLIENT_DIST: settings.clientDist,
    LOG_LEVEL: 'warn',
  };
}
