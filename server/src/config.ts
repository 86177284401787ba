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
  TIMEZONE: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
  PUBLIC_URL: z.url().optional(),
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(30).default(30),
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).default(5000),
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
  /** The address tablets reach this server at, for pairing links; else taken from the request. */
  publicUrl: string | undefined;
  seedDemo: boolean;
  dbPoolSize: number;
  /** Idempotency keys older than this are deleted; the IETF draft asks for at least a day, we promise 30. */
  idempotencyRetentionDays: number;
  /** How long a retry waits for the first request with its key before answering 409. */
  idempotencyWaitMs: number;
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
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: path.resolve(e.DATA_DIR),
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    clientDist: path.resolve(e.CLIENT_DIST),
    logLevel: e.LOG_LEVEL,
    timezone: e.TIMEZONE,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    seedDemo: e.SEED_DEMO,
    dbPoolSize: e.DB_POOL_SIZE,
    idempotencyRetentionDays: e.IDEMPOTENCY_RETENTION_DAYS,
    idempotencyWaitMs: e.IDEMPOTENCY_WAIT_MS,
  };
}
