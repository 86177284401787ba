import { parseArgs } from 'node:util';
import { Role } from '@chit/shared';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createPool, transaction } from './db/pool.js';
import { createDevice, createPairingCode } from './devices/store.js';
import { formatPairingCode } from './devices/tokens.js';
import { createLogger } from './logger.js';

const usage = `Usage: pnpm chit <command> [options]

Commands:
  migrate                                   apply pending database migrations
  device:create --name <name> --role <role> create a device and print its token
  pair --role <role> [--minutes <n>]        print a pairing code for a new device

Roles: waiter, kitchen, manager. Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR.`;

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, role: { type: 'string' }, minutes: { type: 'string' } },
  });
  if (!command || command === 'help' || command === '--help') {
    console.log(usage);
    return;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await openDatabase(config, logger, false);
  try {
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
        const name = values.name?.trim();
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

run(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
