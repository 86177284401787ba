import type { EventsConfig } from '../config.js';
import { createPool, type Pool } from '../db/pool.js';
import type { Logger } from '../logger.js';
import { EventHub } from './hub.js';
import { Sequencer } from './sequencer.js';

/** The live event stream of one instance: its sequencer and its hub, started and stopped together. */
export interface LiveEvents {
  hub: EventHub;
  sequencer: Sequencer;
  /** Called after every write's response: sequence what it committed, soon. */
  written(): void;
  start(): Promise<void>;
  /** Ends every open stream with a retry hint (the first step of a shutdown). */
  closeStreams(): void;
  /** After in-flight requests finished: a last sequencer pass, then the LISTEN connection closes. */
  stop(): Promise<void>;
}

export function createLiveEvents(options: {
  pool: Pool;
  databaseUrl: string;
  logger: Logger;
  config: EventsConfig;
  /** For the commit-to-send lag of live events (`chit_event_lag_seconds`). */
  onLag?: (seconds: number) => void;
}): LiveEvents {
  const { pool, logger, config } = options;
  // The sequencer (one pass at a time) and the hub's live reads (one at a time) run after
  // nearly every write: on the app's pool they would wait behind the very requests whose
  // events they carry, which is most of the latency under load.
  const livePool = createPool(options.databaseUrl, 2, logger);
  const hub = new EventHub({
    pool,
    livePool,
    connectionString: options.databaseUrl,
    logger,
    listen: config.live,
    heartbeatMs: config.heartbeatMs,
    pollMs: config.sweepMs,
    retryMs: config.retryMs,
    ...(options.onLag ? { onLag: options.onLag } : {}),
  });
  const sequencer = new Sequencer({
    pool: livePool,
    logger,
    notify: config.live,
    coalesceMs: config.coalesceMs,
    sweepMs: config.sweepMs,
    // This instance's streams need not wait for the notification's round trip.
    onSequenced: (head) => hub.wake(head),
  });
  return {
    hub,
    sequencer,
    written: () => {
      if (config.live) sequencer.kick();
    },
    start: async () => {
      await hub.start();
      sequencer.start();
    },
    closeStreams: () => hub.closeStreams(),
    stop: async () => {
      await sequencer.stop();
      await hub.stop();
      await livePool.end();
    },
  };
}
