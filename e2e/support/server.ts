import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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

/**
 * The production server (built client, embedded PostgreSQL on a fresh data folder) as a
 * real process the test can kill and start again on the same data.
 */
export class ChitServer {
  private child: ChildProcess | undefined;
  private output = '';
  firstManagerCode: string | undefined;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly pgPort: number,
  ) {}

  static async start(): Promise<ChitServer> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chit-e2e-'));
    // PostgreSQL runs as its own user when we are root; it must be able to enter the folder.
    await chmod(dataDir, 0o755);
    const server = new ChitServer(dataDir, await freePort(), await freePort());
    await server.launch();
    return server;
  }

  get baseUrl(): string {
    return `http://localhost:${this.port}`;
  }

  async launch(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, [path.join(repoRoot, 'server', 'dist', 'main.js')], {
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        EMBEDDED_PG_PORT: String(this.pgPort),
        CLIENT_DIST: path.join(repoRoot, 'client', 'dist'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      const code = /pair the manager tablet with code ([A-Z0-9-]+)/.exec(this.output)?.[1];
      if (code) this.firstManagerCode ??= code;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the server exited:\n${this.output}`);
      try {
        if ((await fetch(`${this.baseUrl}/api/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the server did not start in 30 s:\n${this.output}`);
  }

  /** Kills the server process. SIGKILL leaves the embedded PostgreSQL to be recovered on the next start. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
    if (signal === 'SIGKILL') await this.killOrphanedPostgres();
  }

  /** After a SIGKILL the embedded PostgreSQL keeps running; stop it as a crash would have. */
  private async killOrphanedPostgres(): Promise<void> {
    const { readFile } = await import('node:fs/promises');
    try {
      const pid = Number((await readFile(path.join(this.dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 300));
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
