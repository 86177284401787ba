import { createServer, type Server } from 'node:http';
import { deviceHealth, headers } from '@chit/shared';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from '../db/pool.js';
import { listDevices } from '../devices/store.js';
import type { Logger } from '../logger.js';

/**
 * Everything Chit exports to Prometheus, on a registry of its own (one per app, so tests
 * can run several apps in one process). Counters are bumped in memory on the request path;
 * gauges that need a look at something (the pool, the streams, the database) are read
 * when Prometheus scrapes, so they cost nothing between scrapes.
 */
export interface Metrics {
  registry: Registry;
  /** Requests by method, route pattern and status, with their duration. */
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  ordersCreated: Counter;
  idempotentReplays: Counter<'route'>;
  refusals: Counter<'code' | 'status'>;
  /** Commit (the event's `created_at`) to written on this instance's live streams. */
  eventLag: Histogram;
  /** Calls `collect` at each scrape (a hook that reads the database catches its own errors). */
  onScrape(collect: () => Promise<void> | void): void;
  /** The exposition text (runs every scrape hook first). */
  scrape(): Promise<string>;
}

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  // Process CPU, memory, event loop lag and GC: what says whether Node itself is the trouble.
  if (options.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'chit_' });
  const hooks: (() => Promise<void> | void)[] = [];
  const metrics: Metrics = {
    registry,
    requestDuration: new Histogram({
      name: 'chit_http_request_duration_seconds',
      help: 'HTTP requests under /api by method, route pattern and status, and how long they took to answer.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers: [registry],
    }),
    ordersCreated: new Counter({
      name: 'chit_orders_created_total',
      help: 'Orders stored (201 answers to POST /api/orders that were not replays).',
      registers: [registry],
    }),
    idempotentReplays: new Counter({
      name: 'chit_idempotent_replays_total',
      help: 'Writes answered from a stored answer (Idempotent-Replayed: true): a device retried a write that had gone through.',
      labelNames: ['route'],
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'chit_refusals_total',
      help: 'Error answers by error code (shared/src/errors.ts) and status.',
      labelNames: ['code', 'status'],
      registers: [registry],
    }),
    eventLag: new Histogram({
      name: 'chit_event_lag_seconds',
      help: "Time from an event's commit to its write on this instance's live event streams.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    onScrape: (collect) => hooks.push(collect),
    scrape: async () => {
      for (const hook of hooks) await hook();
      return registry.metrics();
    },
  };
  return metrics;
}

/** A gauge on Chit's registry, with these labels (none: one value). */
function gauge<L extends string = never>(metrics: Metrics, name: string, help: string, labelNames: L[] = []): Gauge<L> {
  return new Gauge({ name, help, labelNames, registers: [metrics.registry] });
}

/** The PostgreSQL pool's connections (total, idle, and requests waiting for one), read at each scrape. */
export function watchPool(metrics: Metrics, name: string, pool: Pool): void {
  const connections =
    (metrics.registry.getSingleMetric('chit_db_pool_connections') as Gauge<'pool' | 'state'> | undefined) ??
    gauge(
      metrics,
      'chit_db_pool_connections',
      'PostgreSQL pool connections by pool and state (total, idle; waiting = requests queued for one).',
      ['pool', 'state'],
    );
  metrics.onScrape(() => {
    connections.set({ pool: name, state: 'total' }, pool.totalCount);
    connections.set({ pool: name, state: 'idle' }, pool.idleCount);
    connections.set({ pool: name, state: 'waiting' }, pool.waitingCount);
  });
}

/** A gauge whose value is read from `read` at each scrape. */
export function watchValue(metrics: Metrics, name: string, help: string, read: () => number): void {
  const value = gauge(metrics, name, help);
  metrics.onScrape(() => value.set(read()));
}

/**
 * What main.ts watches on each instance: its pool, its open event streams, the devices'
 * health and the database. Every instance reports the same devices and database: alert
 * on `max` across instances.
 */
export function watchInstance(metrics: Metrics, pool: Pool, streams: () => number, logger: Logger): void {
  watchPool(metrics, 'app', pool);
  watchValue(metrics, 'chit_event_streams_open', 'Event streams open on this instance.', streams);
  watchDevices(metrics, pool, logger);
  watchDatabase(metrics, pool);
}

/** Per device (not revoked): its outbox as last reported and when it was last seen; and how many are unwell. */
export function watchDevices(metrics: Metrics, pool: Pool, logger: Logger): void {
  const perDevice = (name: string, help: string) => gauge(metrics, name, help, ['device_id', 'device', 'role']);
  const writes = perDevice('chit_device_outbox_writes', 'Writes the device holds unsent, as it last reported.');
  const oldest = perDevice(
    'chit_device_outbox_oldest_write_seconds',
    'How long the oldest unsent write of the device had waited when it last reported (0: none).',
  );
  const lastSeen = perDevice(
    'chit_device_last_seen_seconds',
    'Seconds since the device last sent a request (minute precision).',
  );
  const stuck = gauge(
    metrics,
    'chit_devices_writes_stuck',
    'Devices whose oldest unsent write has waited over 2 minutes.',
  );
  const notSeen = gauge(metrics, 'chit_devices_not_seen', 'Devices seen before but not in the last 5 minutes.');
  metrics.onScrape(async () => {
    let devices;
    try {
      devices = (await listDevices(pool)).filter((device) => device.revokedAt === null);
    } catch (err) {
      logger.warn({ err }, 'could not read the devices for the metrics');
      return;
    }
    // Reset, so that a revoked device's series ends.
    for (const gauge of [writes, oldest, lastSeen]) gauge.reset();
    const now = new Date();
    let stuckCount = 0;
    let notSeenCount = 0;
    for (const device of devices) {
      const labels = { device_id: device.id, device: device.name, role: device.role };
      writes.set(labels, device.outbox?.length ?? 0);
      oldest.set(labels, device.outbox?.oldestWaitSeconds ?? 0);
      if (device.lastSeenAt !== null) lastSeen.set(labels, (now.getTime() - Date.parse(device.lastSeenAt)) / 1000);
      const health = deviceHealth(device, now);
      if (health.writesStuck) stuckCount++;
      if (health.notSeen) notSeenCount++;
    }
    stuck.set(stuckCount);
    notSeen.set(notSeenCount);
  });
}

/**
 * Whether the database takes writes (not a standby, not read-only, answering), and how far
 * its standbys lag. Replication lag needs a primary with standbys and a role that may read
 * pg_stat_replication's timings (superuser or `pg_monitor`); without standbys it is absent.
 */
export function watchDatabase(metrics: Metrics, pool: Pool): void {
  const writable = gauge(
    metrics,
    'chit_db_writable',
    '1 when the database answers and takes writes (a primary, not read-only), else 0.',
  );
  const standbys = gauge(metrics, 'chit_db_standbys', 'Standbys streaming from the primary, by sync state.', [
    'sync_state',
  ]);
  const lag = gauge(metrics, 'chit_db_replication_lag_seconds', "The largest replay lag of the primary's standbys.");
  metrics.onScrape(async () => {
    try {
      const { rows } = await pool.query<{
        writable: boolean;
        lag: number | null;
        states: Record<string, number> | null;
      }>(
        `SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off' AS writable,
                (SELECT max(extract(epoch FROM replay_lag))::float8 FROM pg_stat_replication) AS lag,
                (SELECT jsonb_object_agg(sync_state, n) FROM
                   (SELECT sync_state, count(*) AS n FROM pg_stat_replication GROUP BY sync_state) s) AS states`,
      );
      const row = rows[0]!;
      writable.set(row.writable ? 1 : 0);
      standbys.reset();
      for (const [state, n] of Object.entries(row.states ?? {})) standbys.set({ sync_state: state }, n);
      lag.reset();
      if (row.lag !== null) lag.set(row.lag);
    } catch {
      // The database did not answer: that is the answer.
      writable.set(0);
    }
  });
}

/**
 * Times and counts every request of the router it is mounted on (`/api`), labelled with
 * the route's pattern (`/api/orders/:orderId`), never the raw path: ids would make a
 * series per order. Requests no route matched are `unmatched`.
 */
export function requestMetrics(metrics: Metrics, prefix: string): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const pattern: unknown = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? prefix + pattern : 'unmatched';
      const status = res.statusCode;
      metrics.requestDuration.observe(
        { method: req.method, route, status: String(status) },
        (performance.now() - started) / 1000,
      );
      if (res.getHeader(headers.idempotentReplayed) === 'true') {
        metrics.idempotentReplays.inc({ route });
      } else if (status === 201 && route === `${prefix}/orders` && req.method === 'POST') {
        metrics.ordersCreated.inc();
      }
      if (status >= 400) {
        const code: unknown = res.locals.errorCode;
        metrics.refusals.inc({ code: typeof code === 'string' ? code : `http_${status}`, status: String(status) });
      }
    });
    next();
  };
}

/**
 * The exposition on a port of its own (`METRICS_PORT`), never on the app's: the tablets'
 * network need not reach it, and it needs no token. Any path answers, as Prometheus asks
 * for `/metrics`.
 */
export function createMetricsServer(metrics: Metrics, logger: Logger): Server {
  return createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    metrics.scrape().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err: unknown) => {
        logger.error({ err }, 'could not collect the metrics');
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('could not collect the metrics\n');
      },
    );
  });
}
