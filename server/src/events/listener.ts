import pg from 'pg';
import type { Logger } from '../logger.js';

const firstReconnectMs = 250;
const maxReconnectMs = 5_000;

export interface ListenerHandlers {
  /** Called with each notification's payload, by channel (the channels LISTENed to). */
  channels: Record<string, (payload: string | undefined) => void>;
  /** Called each time the connection is (re)established: notifications sent meanwhile are gone. */
  onConnected: () => void;
}

/**
 * A dedicated PostgreSQL connection that LISTENs (a pooled client would be recycled under
 * it), reconnecting while PostgreSQL is down or restarting.
 */
export class NotificationListener {
  private client: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectMs = firstReconnectMs;
  private stopped = false;

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
    private readonly handlers: ListenerHandlers,
  ) {}

  start(): Promise<void> {
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true });
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      if (err) this.logger.warn({ err }, 'event listener connection lost');
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => this.handlers.channels[msg.channel]?.(msg.payload));
    this.client = client;
    try {
      await client.connect();
      // The channel names are our constants, never a client's.
      await client.query(
        Object.keys(this.handlers.channels)
          .map((channel) => `LISTEN ${channel}`)
          .join('; '),
      );
    } catch (err) {
      lost(err as Error);
      return;
    }
    this.reconnectMs = firstReconnectMs;
    this.handlers.onConnected();
  }

  /** While PostgreSQL is down (restarting), tries again after 0.25 s, 0.5 s, … up to 5 s. */
  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.reconnectMs;
    this.reconnectMs = Math.min(delay * 2, maxReconnectMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}
