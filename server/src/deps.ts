import type { Clock, Random } from './clock.js';
import type { Config } from './config.js';
import type { Pool } from './db/pool.js';
import type { LiveEvents } from './events/live.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics/metrics.js';

/**
 * What the HTTP app and each feature's routes are built from. Its own module so that the
 * routes depend on it, not on app.ts, which depends on them.
 */
export interface AppDeps {
  pool: Pool;
  clock: Clock;
  random: Random;
  config: Config;
  logger: Logger;
  /** The live event stream; without it `GET /api/events` does not exist (tests that need no stream). */
  events?: LiveEvents;
  /** Where the request, order and refusal counts go (main.ts serves them); a private one if absent. */
  metrics?: Metrics;
}
