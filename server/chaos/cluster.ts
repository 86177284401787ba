import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.js';
import type { Logger } from '../src/logger.js';

/**
 * The test's own PostgreSQL (embedded, in the run's folder) that can be crashed: SIGQUIT
 * to the postmaster is PostgreSQL's immediate shutdown (what `pg_ctl stop -m immediate`
 * sends): every backend is dropped, nothing is checkpointed, and the next start runs
 * crash recovery.
 */
export class CrashablePostgres {
  crashes = 0;
  private db!: EmbeddedDatabase;

  constructor(
    private readonly dataDir: string,
    readonly port: number,
    private readonly logger: Logger,
  ) {}

  get url(): string {
    return this.db.url;
  }

  async start(): Promise<void> {
    this.db = await startEmbeddedPostgres(this.dataDir, this.port, this.logger);
  }

  async crash(): Promise<void> {
    const pid = Number((await readFile(path.join(this.dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 'SIGQUIT');
    while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
    this.crashes++;
  }

  stop(): Promise<void> {
    return this.db.stop();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One server instance (`node dist/main.js`, the built server) on a fixed port, under a
 * supervisor that restarts it when it exits, as systemd's `Restart=always` would. Exits
 * the test did not cause (SIGKILL) are counted: a server must survive a PostgreSQL crash.
 */
export class Instance {
  kills = 0;
  /** Exits of a running server (e.g. "Unhandled 'error' event" when PostgreSQL went away). */
  crashes = 0;
  /** Exits at start ("Chit could not start", e.g. PostgreSQL still starting up). */
  startFailures = 0;
  private child: ChildProcess | undefined;
  private killing = false;
  private stopped = false;
  private readonly log: WriteStream;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly entry: string,
    private readonly env: Record<string, string>,
    logPath: string,
    private readonly restartDelayMs = 300,
  ) {
    this.log = createWriteStream(logPath, { flags: 'a' });
  }

  start(): void {
    const child = spawn(process.execPath, [this.entry], {
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let couldNotStart = false;
    child.stdout.pipe(this.log, { end: false });
    child.stderr.pipe(this.log, { end: false });
    // main.ts logs this (fatal) when it gives up before listening.
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.includes('Chit could not start')) couldNotStart = true;
    });
    child.once('exit', (code, signal) => {
      this.log.write(`\n--- ${this.name} exited (code ${code}, signal ${signal})\n`);
      if (this.child === child) this.child = undefined;
      if (this.stopped) return;
      if (this.killing) this.killing = false;
      else if (couldNotStart) this.startFailures++;
      else this.crashes++;
      setTimeout(() => {
        if (!this.stopped && !this.child) this.start();
      }, this.restartDelayMs).unref();
    });
  }

  /** SIGKILL, as a power cut or the OOM killer; the supervisor brings it back. */
  kill(): void {
    if (!this.child) return;
    this.killing = true;
    this.kills++;
    this.child.kill('SIGKILL');
  }

  async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/api/health`, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    this.log.end();
  }
}
