import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// Every process `pnpm test:ha` starts (etcd, Patroni and its PostgreSQL, HAProxy, Chit),
// each logging to a file in the run's folder, and stopping all of them again: at the end,
// on failure, or on Ctrl-C.

export function log(message: string): void {
  process.stdout.write(`[ha ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}

export interface Started {
  name: string;
  child: ChildProcess;
  exited: boolean;
}

/** As the postgres user when we are root (PostgreSQL refuses to run as root). */
export function asPostgres(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', ['--reuid', 'postgres', '--regid', 'postgres', '--init-groups', command, ...args]];
}

/** SIGTERM, and SIGKILL if it is still there after `graceMs`. */
export async function stop(entry: Started, graceMs: number): Promise<void> {
  if (entry.exited) return;
  const exited = new Promise<void>((resolve) => entry.child.once('exit', () => resolve()));
  entry.child.kill('SIGTERM');
  await Promise.race([exited, sleep(graceMs)]);
  if (!entry.exited) {
    entry.child.kill('SIGKILL');
    await Promise.race([exited, sleep(2_000)]);
  }
}

/** The postmaster of one of OUR data folders, if it runs (pid file, and its command line names the folder). */
export function postmasterOf(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!Number.isSafeInteger(pid) || pid <= 0) return null;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(dataDir) ? pid : null;
  } catch {
    return null;
  }
}

export class Processes {
  /** The run's folder: each process logs to `<name>.log` in it; deleted at the end unless KEEP_HA_DIR=1. */
  workDir = '';
  /** PostgreSQL data folders: a postmaster still running in one at the end is killed. */
  readonly dataDirs: string[] = [];
  private readonly started: Started[] = [];
  private cleaning: Promise<void> | null = null;
  /** Set when a Chit instance exits by itself: every wait gives up at once. */
  private fatal: string | null = null;

  start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Started {
    const out = openSync(path.join(this.workDir, `${name}.log`), 'a');
    const child = spawn(command, args, { stdio: ['ignore', out, out], env });
    closeSync(out);
    const entry: Started = { name, child, exited: false };
    child.on('exit', (code, signal) => {
      entry.exited = true;
      if (name.startsWith('chit') && this.cleaning === null)
        this.fatal ??= `${name} exited (${signal ?? `code ${code}`}); see ${name}.log`;
    });
    child.on('error', (err) => {
      entry.exited = true;
      log(`${name} could not start: ${err.message}`);
    });
    this.started.push(entry);
    return entry;
  }

  /** The processes whose name starts with `prefix` (`patroni-` for every Patroni). */
  named(prefix: string): Started[] {
    return this.started.filter((s) => s.name.startsWith(prefix));
  }

  /** Polls `probe` until it gives a value; gives up after `timeoutMs`, or at once when a Chit instance died. */
  async until<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.fatal !== null) throw new Error(this.fatal);
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch {
        // not yet
      }
      if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(200);
    }
  }

  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      // Chit first (it would only log the database going away), then Patroni, which stops
      // its PostgreSQL; then whatever PostgreSQL is left in our folders; then HAProxy, etcd.
      await Promise.all(this.named('chit').map((s) => stop(s, 5_000)));
      await Promise.all(this.named('patroni').map((s) => stop(s, 20_000)));
      for (const dir of this.dataDirs) {
        const pid = postmasterOf(dir);
        if (pid !== null) {
          log(`stopping the PostgreSQL left in ${dir} (pid ${pid})`);
          process.kill(pid, 'SIGKILL');
        }
      }
      await Promise.all(this.started.filter((s) => !s.exited).map((s) => stop(s, 5_000)));
      if (this.workDir && process.env.KEEP_HA_DIR !== '1') await rm(this.workDir, { recursive: true, force: true });
      else if (this.workDir) log(`logs and data kept in ${this.workDir}`);
    })();
    return this.cleaning;
  }

  /** Ctrl-C (or a CI runner's stop) cleans up before the process exits. */
  cleanupOnSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => {
        log(`${signal}: cleaning up`);
        void this.cleanup().finally(() => process.exit(130));
      });
    }
  }

  /** The logs are deleted with the folder: show the end of the ones that explain a failure. */
  showLogTails(): void {
    for (const entry of this.started.filter((s) => s.name.startsWith('chit') || s.name.startsWith('patroni'))) {
      const file = path.join(this.workDir, `${entry.name}.log`);
      if (!existsSync(file)) continue;
      const tail = readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
      process.stdout.write(`--- end of ${entry.name}.log\n${tail}\n`);
    }
    if (this.workDir) log(`logs: ${this.workDir} (kept when KEEP_HA_DIR=1)`);
  }
}
