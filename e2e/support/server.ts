import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@playwright/test';
import { builtServerEnv, builtServerMain, freePort } from './process.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const builtClientDist = path.join(repoRoot, 'client', 'dist');

/** A private copy of the built app, for a test that changes what the server serves (an update). */
export async function copyClientDist(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chit-e2e-dist-'));
  await cp(builtClientDist, dir, { recursive: true });
  return dir;
}

export interface ChitServerOptions {
  /** The built app to serve (`CLIENT_DIST`); the repository's `client/dist` by default. */
  clientDist?: string;
}

export { freePort };

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
    readonly clientDist: string,
  ) {}

  static async start(options: ChitServerOptions = {}): Promise<ChitServer> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chit-e2e-'));
    // PostgreSQL runs as its own user when we are root; it must be able to enter the folder.
    await chmod(dataDir, 0o755);
    const server = new ChitServer(dataDir, await freePort(), await freePort(), options.clientDist ?? builtClientDist);
    await server.launch();
    return server;
  }

  get baseUrl(): string {
    return `http://localhost:${this.port}`;
  }

  /** The embedded PostgreSQL, for checking what the server stored. */
  get databaseUrl(): string {
    return `postgres://chit:chit@127.0.0.1:${this.pgPort}/chit`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async launch(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, [builtServerMain], {
      env: builtServerEnv({ port: this.port, dataDir: this.dataDir, pgPort: this.pgPort, clientDist: this.clientDist }),
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
    const state = async () => {
      if (!this.running) return 'exited';
      // A refused connection: not listening yet.
      const health = await fetch(`${this.baseUrl}/api/health`).catch(() => null);
      return health?.ok ? 'up' : 'starting';
    };
    try {
      await expect.poll(state, { timeout: 30_000, intervals: [100] }).not.toBe('starting');
    } catch {
      throw new Error(`the server did not start in 30 s:\n${this.output}`);
    }
    if (!this.running) throw new Error(`the server exited:\n${this.output}`);
  }

  /** Kills the server process. SIGKILL leaves the embedded PostgreSQL to be recovered on the next start. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
    if (signal === 'SIGKILL') await this.killOrphanedPostgres();
  }

  /**
   * After a SIGKILL the embedded PostgreSQL keeps running; stop it as a crash would have.
   * It is not our child, so it stays a zombie until init reaps it, and a zombie's pid still
   * answers `kill(pid, 0)`: wait until it is really gone, or the next start would take the
   * dead PostgreSQL for a running one and try to join it.
   */
  private async killOrphanedPostgres(): Promise<void> {
    let pid = 0;
    try {
      pid = Number((await readFile(path.join(this.dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      return; // already gone
    }
    await expect
      .poll(() => existsSync(`/proc/${pid}`), { timeout: 15_000, intervals: [50], message: 'PostgreSQL is gone' })
      .toBe(false);
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    await rm(this.dataDir, { recursive: true, force: true });
    if (this.clientDist !== builtClientDist) await rm(this.clientDist, { recursive: true, force: true });
  }
}
