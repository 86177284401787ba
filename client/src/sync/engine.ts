import { prune } from '../db/cache.js';
import type { Ctx } from '../db/mutations/define.js';
import { applyMutation, type MutationInput, type MutationName, type MutationResult } from '../db/mutations/index.js';
import { getMeta, saveSession, setMeta, signOut } from '../db/meta.js';
import { discardEntry, exportOutbox, outboxHealth, resendEntry, type OutboxExport } from '../db/outbox.js';
import type { ChitDb, DraftRow } from '../db/schema.js';
import type { CartChoice } from '../domain/cart.js';
import { Api } from './api.js';
import { EventSubscriber } from './events.js';
import { deviceLock, type SendLock } from './lock.js';
import type { OnlineRequests } from './manager-api.js';
import { OutboxSender } from './outbox.js';
import { Poller } from './poller.js';
import { StatusStore, type StatusChange, type SyncStatus } from './status.js';

export { connectionLabel, type Connection, type SyncStatus } from './status.js';

export const browserCtx: Ctx = { now: () => Date.now(), uuid: () => crypto.randomUUID() };

/**
 * The cart and its rules load with the first screen that writes, which is never the first
 * screen: they stay out of the first download. The service worker precaches them with the
 * screens, so they load offline too.
 */
const local = () => import('../db/writes.js');

export type WriteResult = { ok: true } | { ok: false; message: string };

/**
 * Everything the screens may ask of the network, and the triggers that keep the tablet in
 * step: online, page visible, app start, each new write, timers. Screens never call fetch;
 * they call this, and read IndexedDB through live queries. It wires four parts: the status
 * store (the badge), the poller (reads), the sender (the outbox) and the event stream.
 */
export class SyncEngine {
  private readonly api: Api;
  /** The manager console's online reads and writes (no outbox): wrap it in a `ManagerApi`. */
  readonly online: OnlineRequests;
  readonly sender: OutboxSender;
  private readonly status: StatusStore;
  private readonly poller: Poller;
  private readonly events: EventSubscriber;
  private timers: ReturnType<typeof setInterval>[] = [];
  private started = false;

  constructor(
    private readonly db: ChitDb,
    private readonly ctx: Ctx = browserCtx,
    options: { api?: Api; lock?: SendLock } = {},
  ) {
    this.api = options.api ?? new Api();
    this.online = this.api;
    // Every request tells the server how long this device's writes have waited (device health).
    this.api.setOutboxHealth(() => outboxHealth(db, ctx.now()));
    this.status = new StatusStore(ctx.now, (change) => this.statusChanged(change));
    const reachable = (answered: boolean) => this.status.reachable(answered);
    this.sender = new OutboxSender({
      db,
      api: this.api,
      lock: options.lock ?? deviceLock(),
      now: ctx.now,
      isOffline: () => typeof navigator !== 'undefined' && navigator.onLine === false,
      onUnauthorized: (message) => this.background('signing out', this.signedOut(message)),
      onReachability: reachable,
      onError: (what, error) => this.status.failed(what, error),
    });
    this.poller = new Poller({
      db,
      api: this.api,
      status: this.status,
      now: ctx.now,
      onUnauthorized: (message) => this.signedOut(message),
    });
    this.events = new EventSubscriber({
      db,
      api: this.api,
      now: ctx.now,
      onMode: (mode) => this.status.set({ events: mode }),
      onReachability: reachable,
      onSetupChanged: () => this.background('reloading the menu and tables', this.poller.refreshAll()),
      onReady: (ready) => {
        // The stream starts from now (first connection, or the cursor could not be resumed):
        // what happened before it is only in REST, so read it again now that nothing after
        // this point can be missed.
        if (ready.resumed) return;
        this.background('reloading open orders', this.reloadOpen());
      },
      onError: (what, error) => this.status.failed(what, error),
    });
  }

  /** The device's clock (the one the engine was given). */
  now = (): number => this.ctx.now();

  // --- status for the badge -------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => this.status.subscribe(listener);

  getStatus = (): SyncStatus => this.status.get();

  private statusChanged({ before, after }: StatusChange): void {
    const wasAway = !before.online;
    const streamBack = after.events === 'live' && before.events !== 'live';
    // The server answers again (a read, the probe, the stream): send what waits now rather
    // than when its backoff says, and reconnect the stream rather than after its own.
    if (this.started && after.online && (wasAway || streamBack)) {
      this.background('sending', this.kick());
      if (wasAway) this.events.nudge();
    }
    // Back live after a gap: the stream resumes from its cursor, and the kitchen also
    // reloads its snapshot, so nothing depends on the gap having been short.
    if (after.notLiveSince === null && before.notLiveSince !== null && this.poller.watchingKitchen) {
      this.background('reloading the kitchen', this.poller.refreshKitchen());
    }
  }

  /** Runs a task nobody awaits; a failure is logged and shown, never an unhandled rejection. */
  private background(what: string, task: Promise<unknown>): void {
    task.catch((error: unknown) => this.status.failed(what, error));
  }

  private reloadOpen(): Promise<void> {
    return this.poller.watchingKitchen ? this.poller.refreshKitchen() : this.poller.refreshOpenTables();
  }

  // --- lifecycle ------------------------------------------------------------------------------

  /** App start: load the token, hook the triggers, send what waits, refresh what is shown. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const session = await getMeta(this.db, 'session');
    this.api.setToken(session?.token ?? null);
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisible);
    window.addEventListener('focus', this.onVisible);
    const prunes = () => this.background('pruning old items', prune(this.db, this.ctx.now()));
    this.timers.push(setInterval(() => this.background('polling', this.poller.tick()), 5_000));
    this.timers.push(setInterval(prunes, 60 * 60_000));
    prunes();
    if (session) this.connected();
  }

  stop(): void {
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisible);
    window.removeEventListener('focus', this.onVisible);
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.sender.stop();
    this.events.stop();
    this.started = false;
  }

  private connected(): void {
    this.background('sending', this.kick());
    this.background('refreshing', this.poller.refreshAll());
    this.events.start();
  }

  private onOnline = (): void => {
    this.status.set({ online: true });
    this.background('sending', this.kick());
    this.events.nudge();
    this.background('refreshing', this.poller.refreshAll());
  };

  private onOffline = (): void => this.status.set({ online: false });

  private onVisible = (): void => {
    if (document.visibilityState !== 'visible') return;
    this.background('sending', this.kick());
    this.events.nudge();
    this.background('refreshing', this.poller.refreshOnScreen());
  };

  /** A chance to send. Safe to call any time; it coalesces. */
  kick(): Promise<unknown> {
    this.status.set({ sending: true });
    return this.sender.kick().finally(() => this.status.set({ sending: false }));
  }

  private async signedOut(message: string): Promise<void> {
    this.api.setToken(null);
    this.events.stop();
    await signOut(this.db, message);
  }

  // --- pairing --------------------------------------------------------------------------------

  async pair(code: string, deviceName: string, staffName: string): Promise<WriteResult> {
    const result = await this.api.pair({ code, deviceName });
    if (result.kind === 'network') return { ok: false, message: 'No connection to the server. Try again online.' };
    if (result.kind === 'http') return { ok: false, message: result.error.message };
    await saveSession(this.db, { token: result.data.token, device: result.data.device });
    await setMeta(this.db, 'staffName', staffName.trim());
    this.api.setToken(result.data.token);
    this.connected();
    return { ok: true };
  }

  async setStaffName(name: string): Promise<void> {
    await setMeta(this.db, 'staffName', name.trim());
  }

  // --- reads ----------------------------------------------------------------------------------

  /** Tells the engine which table (or order without a table) is on screen: it is refreshed often. */
  watch(shown: { tableId: string } | { orderId: string } | null): void {
    this.background('refreshing', this.poller.watch(shown));
  }

  /** The kitchen board is on screen (or no longer): its snapshot replaces per-table polling. */
  watchKitchen(active: boolean): void {
    this.background('reloading the kitchen', this.poller.watchKitchen(active));
  }

  refreshTable(tableId: string): Promise<void> {
    return this.poller.refreshTable(tableId);
  }

  // --- writes: all local first, then a nudge to the sender ------------------------------------

  /**
   * A write to the server, by name (see db/mutations): applied to the local database now,
   * queued in the outbox, and sent when it can be.
   */
  async mutate<N extends MutationName>(name: N, input: MutationInput<N>): Promise<MutationResult<N>> {
    const staffName = (await getMeta(this.db, 'staffName')) ?? '';
    const result = await applyMutation(this.db, { ...this.ctx, staffName }, name, input);
    if (result.ok) this.background('sending', this.kick());
    return result;
  }

  async addToCart(cartId: string, choice: CartChoice): Promise<void> {
    await (await local()).addToCart(this.db, this.ctx, cartId, choice);
  }

  /** A takeaway or delivery order to put together (see DraftRow); returns its id. */
  async saveDraft(draft: Pick<DraftRow, 'type' | 'customer'> & { id?: string }): Promise<string> {
    return (await local()).saveDraft(this.db, this.ctx, draft);
  }

  async discardDraft(id: string): Promise<void> {
    await (await local()).discardDraft(this.db, id);
  }

  async setCartQuantity(lineId: string, quantity: number): Promise<void> {
    await (await local()).setCartQuantity(this.db, lineId, quantity);
  }

  // --- the outbox panel -----------------------------------------------------------------------

  async resend(seq: number): Promise<void> {
    await resendEntry(this.db, seq, this.ctx.now(), this.ctx.uuid());
    this.background('sending', this.kick());
  }

  async discard(seq: number): Promise<void> {
    await discardEntry(this.db, seq);
  }

  exportOutbox(): Promise<OutboxExport> {
    return exportOutbox(this.db, this.ctx.now());
  }
}
