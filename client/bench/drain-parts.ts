import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, startBuiltServer } from '@chit/e2e/process';

// The outage bench's moving parts: the built server as a process, and a TCP gate before it.

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The built server with its embedded PostgreSQL, restartable on the same data with other settings. */
export class ChitProcess {
  private child: ChildProcess | null = null;
  managerCode: string | null = null;
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly pgPort: number,
  ) {}

  static async create(): Promise<ChitProcess> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chit-drain-'));
    await chmod(dir, 0o755); // PostgreSQL runs as its own user when we are root
    return new ChitProcess(dir, await freePort(), await freePort());
  }

  async launch(env: Record<string, string>): Promise<void> {
    const server = await startBuiltServer(
      { port: this.port, dataDir: this.dataDir, pgPort: this.pgPort, clientDist: '/nonexistent' },
      { RATE_LIMIT_PAIR_BURST: '1000', ...env },
      // Only the first start on the fresh folder prints a pairing code.
      { firstStart: this.managerCode === null },
    );
    this.child = server.child;
    this.managerCode ??= server.managerCode;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async remove(): Promise<void> {
    await this.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * A TCP gate in front of the server: closed, connections are refused and open ones cut
 * (a server process gone); open, it forwards. The server behind it keeps running, so the
 * moment it answers again is the moment the gate opens.
 */
export class Gate {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
