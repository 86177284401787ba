import type { EventsMode } from './events.js';

/**
 * - `online`: the last request got an answer from the server;
 * - `no-network`: the browser says it has no network (navigator.onLine false);
 * - `unreachable`: the network is up but the server did not answer, or answered 502/503/504.
 */
export type Connection = 'online' | 'no-network' | 'unreachable';

export interface SyncStatus {
  /** `connection === 'online'`. */
  online: boolean;
  connection: Connection;
  events: EventsMode;
  /** A request of the outbox is on the wire in this tab. */
  sending: boolean;
  /**
   * Since when (ms) the device has not been live: online with the event stream open.
   * null while live. Starts at app start, so "connecting" at boot counts.
   */
  notLiveSince: number | null;
  /** The last background task that failed (a bug, or a full disk; not the network): shown in the outbox panel. */
  failure?: { what: string; message: string; at: number } | null;
}

/** What the badges say: Live (answers and the event stream), Online (answers, polling), or why not. */
export function connectionLabel(status: SyncStatus): 'Live' | 'Online' | 'No network' | 'Server unreachable' {
  if (status.connection === 'no-network') return 'No network';
  if (status.connection === 'unreachable') return 'Server unreachable';
  return status.events === 'live' ? 'Live' : 'Online';
}

/** What changed, for whoever reacts to it (the engine reconnects when the server is back). */
export interface StatusChange {
  before: SyncStatus;
  after: SyncStatus;
}

const browserOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

/** The badge's state, as a store React subscribes to (`useSyncExternalStore`). */
export class StatusStore {
  private status: SyncStatus;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly now: () => number,
    private readonly onChange: (change: StatusChange) => void = () => undefined,
  ) {
    const online = !browserOffline();
    this.status = {
      online,
      connection: online ? 'online' : 'no-network',
      events: 'off',
      sending: false,
      notLiveSince: now(),
      failure: null,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): SyncStatus => this.status;

  /** Whether the server just answered (false: no answer, or 502/503/504). */
  reachable(answered: boolean): void {
    this.set({ connection: answered ? 'online' : browserOffline() ? 'no-network' : 'unreachable' });
  }

  /** A background task failed: logged, and kept for the outbox panel to show. */
  failed(what: string, error: unknown): void {
    console.error(`chit: ${what} failed`, error);
    const message = error instanceof Error ? error.message : String(error);
    this.set({ failure: { what, message, at: this.now() } });
  }

  set(patch: Partial<SyncStatus>): void {
    const next = { ...this.status, ...patch };
    if (patch.connection) next.online = patch.connection === 'online';
    else if (patch.online !== undefined) next.connection = patch.online ? 'online' : 'no-network';
    const live = next.online && next.events === 'live';
    next.notLiveSince = live ? null : (this.status.notLiveSince ?? this.now());
    const keys = ['online', 'connection', 'events', 'sending', 'notLiveSince', 'failure'] as const;
    if (keys.every((key) => next[key] === this.status[key])) return;
    const before = this.status;
    this.status = next;
    this.onChange({ before, after: next });
    for (const listener of this.listeners) listener();
  }
}
