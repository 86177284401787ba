import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, found from this file whether it runs from src/ or dist/. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A switch that is on unless set to exactly `false` (anything but `true`/`false` is refused). */
const onUnlessFalse = z
  .enum(['true', 'false'])
  .default('true')
  .transform((v) => v === 'true');

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default(path.join(repoRoot, 'data')),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  CLIENT_DIST: z.string().default(path.join(repoRoot, 'client', 'dist')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TIMEZONE: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
  BUSINESS_DAY_START: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 04:00')
    .default('04:00'),
  TLS_CERT: z.string().optional(),
  TLS_KEY: z.string().optional(),
  PUBLIC_URL: z.url().optional(),
  TRUST_PROXY: z.string().default('loopback'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().positive().default(600),
  RATE_LIMIT_WRITES_BURST: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_PAIR_PER_MINUTE: z.coerce.number().positive().default(10),
  RATE_LIMIT_PAIR_BURST: z.coerce.number().int().min(1).default(10),
  SEED_DEMO: onUnlessFalse,
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  DB_STARTUP_WAIT_MS: z.coerce.number().int().min(0).default(60_000),
  IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(30).default(30),
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).default(5000),
  EVENTS_LIVE: onUnlessFalse,
  EVENTS_HEARTBEAT_MS: z.coerce.number().int().min(100).max(15_000).default(10_000),
  EVENTS_SWEEP_MS: z.coerce.number().int().min(50).default(1_000),
  EVENTS_COALESCE_MS: z.coerce.number().int().min(0).default(20),
  EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).default(14),
  EVENTS_RETRY_MS: z.coerce.number().int().min(100).default(2_000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  BACKUP_DIR: z.string().optional(),
  BACKUP_KEEP: z.coerce.number().int().min(1).default(14),
  BACKUP_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 03:00')
    .optional(),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  clientDist: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  /** Where "today" starts for the manager's report (local midnight); an IANA name. */
  timezone: string;
  /** `HH:MM` in `timezone` when a business day starts: ticket numbers start again at 1. */
  businessDayStart: string;
  /** PEM files; with both set the server speaks HTTPS only. */
  tls: { certFile: string; keyFile: string } | null;
  /** The address tablets reach this server at, for pairing links; else taken from the request. */
  publicUrl: string | undefined;
  /** Express's `trust proxy`: which hops' X-Forwarded-For to believe (the per-IP pairing limit uses it). */
  trustProxy: string;
  /** Requests that take longer are answered 503 `request_timeout` (the event stream is exempt). */
  requestTimeoutMs: number;
  rateLimits: { writes: RateLimitConfig; pair: RateLimitConfig };
  seedDemo: boolean;
  dbPoolSize: number;
  /** At start, how long to wait for a PostgreSQL that is still starting (or recovering) before giving up. */
  dbStartupWaitMs: number;
  /** Idempotency keys older than this are deleted; the IETF draft asks for at least a day, we promise 30. */
  idempotencyRetentionDays: number;
  /** How long a retry waits for the first request with its key before answering 409. */
  idempotencyWaitMs: number;
  events: EventsConfig;
  /** Prometheus exposition on a port of its own; null = not served (metrics are still kept). */
  metrics: { port: number; host: string } | null;
  /** Where `chit backup` and the nightly backup write, how many they keep, and when it runs (null: never). */
  backup: { dir: string; keep: number; at: string | null };
}

export interface EventsConfig {
  /**
   * Live fan-out: sequence events right after each write and NOTIFY the other instances.
   * Off, events still get their positions from the periodic sweep (nothing is lost, it
   * is only late); the benchmark uses it as the baseline.
   */
  live: boolean;
  /** Comment line on every open stream this often, so proxies and tablets see it alive. */
  heartbeatMs: number;
  /** Every instance runs the sequencer and re-reads the log this often, whatever it was told. */
  sweepMs: number;
  /** At most one sequencer run per instance per this many ms under load. */
  coalesceMs: number;
  /** The `retry:` hint sent to EventSource clients (how long to wait before reconnecting). */
  retryMs: number;
  /**
   * Events older than this are pruned; a device resuming from before them is told to
   * reload its state (`ready` with `reset: 'expired'`).
   */
  retentionDays: number;
}

/** A token bucket: `burst` requests at once, refilled at `perMinute`. */
export interface RateLimitConfig {
  perMinute: number;
  burst: number;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.TLS_CERT === undefined) !== (e.TLS_KEY === undefined)) {
    throw new Error('Invalid configuration in the environment:\n  TLS_CERT and TLS_KEY must be set together.');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: path.resolve(e.DATA_DIR),
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    clientDist: path.resolve(e.CLIENT_DIST),
    logLevel: e.LOG_LEVEL,
    timezone: e.TIMEZONE,
    businessDayStart: e.BUSINESS_DAY_START,
    tls: e.TLS_CERT && e.TLS_KEY ? { certFile: path.resolve(e.TLS_CERT), keyFile: path.resolve(e.TLS_KEY) } : null,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    rateLimits: {
      writes: { perMinute: e.RATE_LIMIT_WRITES_PER_MINUTE, burst: e.RATE_LIMIT_WRITES_BURST },
      pair: { perMinute: e.RATE_LIMIT_PAIR_PER_MINUTE, burst: e.RATE_LIMIT_PAIR_BURST },
    },
    seedDemo: e.SEED_DEMO,
    dbPoolSize: e.DB_POOL_SIZE,
    dbStartupWaitMs: e.DB_STARTUP_WAIT_MS,
    idempotencyRetentionDays: e.IDEMPOTENCY_RETENTION_DAYS,
    idempotencyWaitMs: e.IDEMPOTENCY_WAIT_MS,
    events: {
      live: e.EVENTS_LIVE,
      heartbeatMs: e.EVENTS_HEARTBEAT_MS,
      sweepMs: e.EVENTS_SWEEP_MS,
      coalesceMs: e.EVENTS_COALESCE_MS,
      retryMs: e.EVENTS_RETRY_MS,
      retentionDays: e.EVENTS_RETENTION_DAYS,
    },
    metrics: e.METRICS_PORT === undefined ? null : { port: e.METRICS_PORT, host: e.METRICS_HOST },
    backup: {
      dir: path.resolve(e.BACKUP_DIR ?? path.join(e.DATA_DIR, 'backups')),
      keep: e.BACKUP_KEEP,
      at: e.BACKUP_AT ?? null,
    },
  };
}
