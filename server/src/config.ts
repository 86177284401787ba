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
  };
}
