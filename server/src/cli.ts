import path from 'node:path';
import { parseArgs } from 'node:util';
import { Role } from '@chit/shared';
import { backup, restore } from './backup/backup.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { transaction } from './db/transaction.js';
import { createDevice, createPairingCode } from './devices/store.js';
import { formatPairingCode } from './devices/tokens.js';
import { createLogger } from './logger.js';
import { localNames, writeLocalCertificates } from './tls/certs.js';

const usage = `Usage: pnpm chit <command> [options]

Commands:
  migrate                                   apply pending database migrations
  device:create --name <name> --role <role> create a device and print its token
  pair --role <role> [--minutes <n>]        print a pairing code for a new device
  backup [--dir <folder>] [--keep <n>]      write a backup (BACKUP_DIR, default DATA_DIR/backups) and
                                            keep the newest n (BACKUP_KEEP, default 14)
  restore <file>                            bring a backup back into an empty database
  cert [--name <dns name>]... [--ip <address>]...
                                            make a local CA and a server certificate for this
                                            machine's names and addresses under DATA_DIR/certs

Roles: waiter, kitchen, manager. Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR.`;

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      keep: { type: 'string' },
      name: { type: 'string', multiple: true },
      role: { type: 'string' },
      minutes: { type: 'string' },
      ip: { type: 'string', multiple: true },
    },
  });
  if (!command || command === 'help' || command === '--help') {
    console.log(usage);
    return;
  }
  const config = loadConfig();
  if (command === 'cert') {
    await makeCertificates(path.join(config.dataDir, 'certs'), values.name ?? [], values.ip ?? []);
    return;
  }
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await openDatabase(config, logger, false);
  try {
    if (command === 'restore') {
      const file = positionals[0];
      if (!file) throw new Error(`Name the backup file to restore.\n\n${usage}`);
      const { format } = await restore(database.url, path.resolve(file), logger);
      console.log(`Restored ${file} (${format === 'pg_dump' ? 'pg_dump' : 'Chit'} format).`);
      return;
    }
    if (command === 'backup') {
      const keep = Number(values.keep ?? config.backup.keep);
      if (!Number.isInteger(keep) || keep < 1) throw new Error('--keep must be a whole number of at least 1.');
      const made = await backup(database.url, path.resolve(values.dir ?? config.backup.dir), { keep, logger });
      console.log(
        `Wrote ${made.file} (${(made.bytes / 1024).toFixed(0)} KiB, ${made.format === 'pg_dump' ? 'pg_dump custom' : 'Chit'} format).`,
      );
      for (const removed of made.removed) console.log(`Removed ${removed} (keeping ${keep}).`);
      return;
    }
    const applied = await migrate(database.url, logger);
    if (command === 'migrate') {
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return;
    }
    const role = Role.safeParse(values.role);
    if (!role.success) throw new Error(`--role must be one of waiter, kitchen, manager.\n\n${usage}`);
    const pool = createPool(database.url, 2, logger);
    try {
      if (command === 'device:create') {
        const name = values.name?.at(-1)?.trim();
        if (!name) throw new Error(`--name is required.\n\n${usage}`);
        const { device, token } = await createDevice(pool, name, role.data);
        console.log(`Created ${device.role} device "${device.name}" (${device.id}).\nToken: ${token}`);
      } else if (command === 'pair') {
        const minutes = Number(values.minutes ?? 15);
        if (!Number.isInteger(minutes) || minutes < 1) throw new Error('--minutes must be a whole number of minutes.');
        const expiresAt = new Date(systemClock.now().getTime() + minutes * 60_000);
        const code = await transaction(pool, (client) => createPairingCode(client, role.data, expiresAt, null));
        console.log(
          `Pairing code for a ${role.data} device: ${formatPairingCode(code.code)} (until ${code.expiresAt})`,
        );
      } else {
        throw new Error(`Unknown command "${command}".\n\n${usage}`);
      }
    } finally {
      await pool.end();
    }
  } finally {
    await database.stop();
  }
}

async function makeCertificates(dir: string, extraNames: string[], extraIps: string[]): Promise<void> {
  const local = localNames();
  const files = await writeLocalCertificates({
    dir,
    dnsNames: [...local.dnsNames, ...extraNames],
    ipAddresses: [...local.ipAddresses, ...extraIps],
  });
  console.log(`${files.caCreated ? 'Created a new' : 'Kept the existing'} certificate authority: ${files.caCertFile}
Server certificate (until ${files.notAfter.toISOString().slice(0, 10)}) for:
  ${[...files.dnsNames, ...files.ipAddresses].join('\n  ')}

Start Chit with:
  TLS_CERT=${files.certFile} TLS_KEY=${files.keyFile}

${files.caCreated ? 'Install' : 'Tablets that trust the CA need nothing new; otherwise install'} ${files.caCertFile} on every tablet (see docs/deploy.md).`);
}

run(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
