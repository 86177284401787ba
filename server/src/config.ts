import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, found from this file whether it runs from src/ or dist/. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default(path.join(repoRoot, 'data')),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  CLIENT_DIST: z.string().default(path.join(repoRoot, 'client', 'dist')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(30).default(30),
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).default(5000),
  EVENTS_LIVE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  EVENTS_HEARTBEAT_MS: z.coerce.number().int().min(100).max(15_000).default(10_000),
  EVENTS_SWEEP_MS: z.coerce.number().int().min(50).default(1_000),
  EVENTS_COALESCE_MS: z.coerce.number().int().min(0).default(5),
  EVENTS_RETRY_MS: z.coerce.number().int().min(100).default(2_000),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  clientDist: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  seedDemo: boolean;
  dbPoolSize: number;
  /** Idempotency keys older than this are deleted; the IETF draft asks for at least a day, we promise 30. */
  idempotencyRetentionDays: number;
  /** How long a retry waits for the first request with its key before answering 409. */
  idempotencyWaitMs: number;
  events: EventsConfig;
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
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: path.resolve(e.DATA_DIR),
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    clientDist: path.resolve(e.CLIENT_DIST),
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO,
    dbPoolSize: e.DB_POOL_SIZE,
    idempotencyRetentionDays: e.IDEMPOTENCY_RETENTION_DAYS,
    idempotencyWaitMs: e.IDEMPOTENCY_WAIT_MS,
    events: {
      live: e.EVENTS_LIVE,
      heartbeatMs: e.EVENTS_HEARTBEAT_MS,
      sweepMs: e.EVENTS_SWEEP_MS,
      coalesceMs: e.EVENTS_COALESCE_MS,
      retryMs: e.EVENTS_RETRY_MS,
    },
  };
}
