import { execFile, spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Logger } from '../logger.js';
import { migrate } from '../db/migrate.js';
import { transaction } from '../db/transaction.js';

/**
 * Backups of Chit's database, in one of two formats:
 *
 * - `.dump`: `pg_dump --format=custom`, when a `pg_dump` is found whose major version is at
 *   least the server's (pg_dump refuses newer servers). Debian's pg_dump 15 against a
 *   PostgreSQL 15 given in DATABASE_URL, say. Restored with `pg_restore`.
 * - `.chitdump`: Chit's own, when there is no such pg_dump, which is the case of the
 *   embedded PostgreSQL 18 (its package ships no pg_dump, Debian's is 15). Every table is
 *   copied out (COPY, text format) inside one REPEATABLE READ transaction, so all tables
 *   come from one snapshot: as consistent as pg_dump's. Gzipped; a JSON header names the
 *   migrations, the tables with their columns and the sequences' values.
 *
 * Either way the file is written under a temporary name and renamed when complete, so a
 * backup folder never holds a partial backup under a real name.
 */

const execFileAsync = promisify(execFile);

export const ownFormat = 'chit-backup/1';
const endOfTable = '\\.';

interface Header {
  format: typeof ownFormat;
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  tables: { name: string; columns: string[] }[];
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
}

export interface BackupResult {
  file: string;
  format: 'pg_dump' | 'chit';
  bytes: number;
  /** Older backups removed to keep `keep`. */
  removed: string[];
}

const backupName = /^chit-\d{8}-\d{6}\.(dump|chitdump)$/;

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** A pg_dump (`PG_DUMP`, else on PATH, else Debian's newest) that can dump this server, or null. */
async function findPgTool(tool: 'pg_dump' | 'pg_restore', serverMajor: number): Promise<string | null> {
  const env = tool === 'pg_dump' ? process.env.PG_DUMP : process.env.PG_RESTORE;
  const candidates = env ? [env] : [tool];
  try {
    const versions = (await readdir('/usr/lib/postgresql')).map(Number).filter(Number.isInteger);
    for (const v of versions.sort((a, b) => b - a)) candidates.push(`/usr/lib/postgresql/${v}/bin/${tool}`);
  } catch {
    // No Debian PostgreSQL packages.
  }
  for (const candidate of candidates) {
    try {
      const { stdout } = await execFileAsync(candidate, ['--version']);
      const major = Number(/(\d+)(\.\d+)?/.exec(stdout)?.[1]);
      if (major >= serverMajor) return candidate;
    } catch {
      // Not there, or not runnable: try the next.
    }
  }
  return null;
}

async function serverMajor(client: pg.Client): Promise<{ major: number; version: string }> {
  const { rows } = await client.query<{ server_version_num: string; server_version: string }>(
    `SELECT current_setting('server_version_num') AS server_version_num, current_setting('server_version') AS server_version`,
  );
  return { major: Math.floor(Number(rows[0]!.server_version_num) / 10_000), version: rows[0]!.server_version };
}

/** Writes one backup of `databaseUrl` into `dir` and keeps the newest `keep` there. */
export async function backup(
  databaseUrl: string,
  dir: string,
  options: { keep: number; logger: Logger; now?: Date; format?: 'auto' | 'chit' },
): Promise<BackupResult> {
  await mkdir(dir, { recursive: true });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let result: Omit<BackupResult, 'removed'>;
  try {
    const { major } = await serverMajor(client);
    const pgDump = options.format === 'chit' ? null : await findPgTool('pg_dump', major);
    const base = path.join(dir, `chit-${stamp(options.now ?? new Date())}`);
    if (pgDump) {
      const file = `${base}.dump`;
      await runTool(pgDump, [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--file=${file}.partial`,
        databaseUrl,
      ]);
      await rename(`${file}.partial`, file);
      result = { file, format: 'pg_dump', bytes: (await stat(file)).size };
    } else {
      const file = `${base}.chitdump`;
      await dumpOwn(client, `${file}.partial`);
      await rename(`${file}.partial`, file);
      result = { file, format: 'chit', bytes: (await stat(file)).size };
    }
  } finally {
    await client.end();
  }
  const removed = await prune(dir, options.keep);
  options.logger.info({ ...result, removed }, 'backup written');
  return { ...result, removed };
}

/** Removes all but the newest `keep` backups (by their names, which sort by time). */
async function prune(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => backupName.test(name)).sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const name of old) await rm(path.join(dir, name));
  return old.map((name) => path.join(dir, name));
}

function runTool(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (${code}): ${stderr.trim()}`)),
    );
  });
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function dumpOwn(client: pg.Client, file: string): Promise<void> {
  try {
    // One snapshot for every table: the backup is what one instant of the database held.
    // It writes the file as it goes, so it never runs twice.
    await transaction(client, () => writeOwn(client, file), {
      isolation: 'repeatable read',
      readOnly: true,
      maxAttempts: 1,
    });
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
}

/** The `.chitdump` of what `client`'s transaction sees, into `file`. */
async function writeOwn(client: pg.Client, file: string): Promise<void> {
  const { version } = await serverMajor(client);
  const migrations = await client.query<{ name: string }>(`SELECT name FROM pgmigrations ORDER BY run_on, id`);
  const tables = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname::text AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        WHERE c.relkind = 'r' AND c.relname <> 'pgmigrations'
        GROUP BY c.relname ORDER BY c.relname`,
  );
  const edges = await client.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
        WHERE k.contype = 'f' AND k.conrelid <> k.confrelid`,
  );
  const sequenceNames = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        WHERE c.relkind = 'S' ORDER BY c.relname`,
  );
  const sequences: Header['sequences'] = [];
  for (const { name } of sequenceNames.rows) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text, is_called FROM ${quote(name)}`,
    );
    sequences.push({ name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
  }
  const header: Header = {
    format: ownFormat,
    createdAt: new Date().toISOString(),
    serverVersion: version,
    migrations: migrations.rows.map((row) => row.name),
    // Parents before children, so the restore can load them in file order with every
    // foreign key checked.
    tables: parentsFirst(tables.rows, edges.rows),
    sequences,
  };
  const gzip = createGzip();
  const done = pipeline(gzip, createWriteStream(file));
  const write = async (text: string | Buffer) => {
    if (!gzip.write(text)) await once(gzip, 'drain');
  };
  await write(`${JSON.stringify(header)}\n`);
  for (const table of header.tables) {
    const columns = table.columns.map(quote).join(', ');
    const stream = client.query(copyTo(`COPY ${quote(table.name)} (${columns}) TO STDOUT`));
    for await (const chunk of stream) await write(chunk as Buffer);
    await write(`${endOfTable}\n`);
  }
  gzip.end();
  await done;
}

function parentsFirst<T extends { name: string }>(tables: T[], edges: { child: string; parent: string }[]): T[] {
  const ordered: T[] = [];
  const placed = new Set<string>();
  let rest = tables;
  while (rest.length > 0) {
    const ready = rest.filter((t) =>
      edges.every((e) => e.child !== t.name || placed.has(e.parent) || e.parent === t.name),
    );
    // A cycle of foreign keys (none in Chit's schema) would stop here: take the rest as they are.
    const next = ready.length > 0 ? ready : rest;
    for (const table of next) placed.add(table.name);
    ordered.push(...next);
    rest = rest.filter((t) => !placed.has(t.name));
  }
  return ordered;
}

/** Whether the database has no Chit data yet (no migrations applied): restore refuses anything else. */
async function isEmpty(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S', 'v')`,
  );
  return rows[0]!.n === 0;
}

/**
 * Brings a backup back into an empty database, then applies the migrations that this
 * version of Chit has and the backup had not.
 */
export async function restore(
  databaseUrl: string,
  file: string,
  logger: Logger,
): Promise<{ format: BackupResult['format'] }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let format: BackupResult['format'];
  try {
    if (!(await isEmpty(client))) {
      throw new Error(
        'The database is not empty: restore only into a new, empty one (see the restore drill in docs/deploy.md).',
      );
    }
    const magic = Buffer.alloc(5);
    const handle = await open(file, 'r');
    await handle.read(magic, 0, 5, 0);
    await handle.close();
    format = magic.toString('latin1') === 'PGDMP' ? 'pg_dump' : 'chit';
    if (format === 'pg_dump') {
      const pgRestore = await findPgTool('pg_restore', 0);
      if (!pgRestore) throw new Error('This backup was made by pg_dump; restoring it needs pg_restore.');
      await runTool(pgRestore, ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${databaseUrl}`, file]);
    } else {
      await restoreOwn(client, databaseUrl, file, logger);
    }
  } finally {
    await client.end();
  }
  await migrate(databaseUrl, logger);
  return { format };
}

async function restoreOwn(client: pg.Client, databaseUrl: string, file: string, logger: Logger): Promise<void> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  let header: Header;
  try {
    header = JSON.parse(String(first.value)) as Header;
  } catch {
    throw new Error(`${file} is not a Chit backup.`);
  }
  if ((header.format as string) !== ownFormat) throw new Error(`${file} is not a Chit backup (chit-backup/1).`);
  // The schema the backup was taken at, so its rows fit; later migrations run after the load.
  const applied = await migrate(databaseUrl, logger, header.migrations.length);
  if (applied.join() !== header.migrations.join()) {
    throw new Error(
      `This version of Chit cannot restore this backup: it was made with migrations ${header.migrations.join(', ')}.`,
    );
  }
  // It consumes the file as it goes, so it never runs twice.
  await transaction(client, () => loadOwn(client, header, iterator, file), { maxAttempts: 1 });
  lines.close();
}

/** Loads the tables of a `.chitdump` from `iterator` (just past its header) in `client`'s transaction. */
async function loadOwn(
  client: pg.Client,
  header: Header,
  iterator: AsyncIterator<string>,
  file: string,
): Promise<void> {
  const all = header.tables.map((t) => quote(t.name));
  // The rows come back exactly as they were: no trigger of ours (catalog_version's
  // counters) runs during the load. Foreign keys are still checked.
  for (const table of all) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  // The migrations' own rows (catalog_version's one row) give way to the backup's.
  await client.query(`TRUNCATE ${all.join(', ')} CASCADE`);
  for (const table of header.tables) {
    const columns = table.columns.map(quote).join(', ');
    const sink = client.query(copyFrom(`COPY ${quote(table.name)} (${columns}) FROM STDIN`));
    const finished = once(sink, 'finish');
    for (;;) {
      const next = await iterator.next();
      if (next.done) throw new Error(`${file} ends in the middle of table ${table.name}.`);
      if (next.value === endOfTable) break;
      if (!sink.write(`${next.value}\n`)) await once(sink, 'drain');
    }
    sink.end();
    await finished;
  }
  for (const seq of header.sequences) {
    await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [quote(seq.name), seq.lastValue, seq.isCalled]);
  }
  // Events not yet positioned when the backup was taken carry another cluster's
  // transaction ids: give them this one's, so the sequencer positions them.
  await client.query(`UPDATE events SET tx_id = pg_current_xact_id() WHERE position IS NULL`);
  for (const table of all) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
}
