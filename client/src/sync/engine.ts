import type { Ctx } from '../db/mutations/define.js';
import type { MutationInput, MutationName, MutationResult } from '../db/mutations/index.js';
import { getMeta, saveSession, setMeta, signOut } from '../db/meta.js';
import type { OutboxExport } from '../db/outbox.js';
import type { ChitDb, DraftRow } from '../db/schema.js';
import type { CartChoice } from '../domain/cart.js';
import { Api } from './api.js';
import type * as Core from './core.js';
import type { EventSubscriber } from './events.js';
import { deviceLock, type SendLock } from './lock.js';
import type { OnlineRequests } from './manager-api.js';
import type { OutboxSender } from './outbox.js';
import type { Poller } from './poller.js';
import { StatusStore, type StatusChange, type SyncStatus } from './status.js';

export { connectionLabel, type Connection, type SyncStatus } from './status.js';

/**
 * The cart and its rules load with the first screen that writes, which is never the first
 * screen: they stay out of the first download. The service worker precaches them with the
 * screens, so they load offline too.
 */
const local = () => import('../db/writes.js');

/** The parts that do the work, loaded after the first screen (see core.ts). */
interface Parts {
  core: typeof Core;
  sender: OutboxSender;
  poller: Poller;
  events: EventSubscriber;
}

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
  private readonly status: StatusStore;
  /**
   * The sender, the poller and the event stream: loaded as the engine is made, in parallel
   * with the first screen, which only needs IndexedDB. Precached, so it loads offline too.
   */
  private readonly parts: Promise<Parts>;
  private watchingKitchen = false;
  private timers: ReturnType<typeof setInterval>[] = [];
  private started = false;

  constructor(
    private readonly db: ChitDb,
    private readonly ctx: Ctx,
    options: { api?: Api; lock?: SendLock } = {},
  ) {
    this.api = options.api ?? new Api();
    this.online = this.api;
    this.status = new StatusStore(ctx.now, (change) => this.statusChanged(change));
    this.parts = import('./core.js').then((core) => this.assemble(core, options.lock ?? deviceLock()));
    // Every request tells the server how long this device's writes have waited (device health).
    this.api.setOutboxHealth(async () => (await this.parts).core.outboxHealth(db, ctx.now()));
  }

  private assemble(core: Parts['core'], lock: SendLock): Parts {
    const { db, api, ctx, status } = this;
    const reachable = (answered: boolean) => status.reachable(answered);
    const onError = (what: string, error: unknown) => status.failed(what, error);
    const sender = new core.OutboxSender({
      db,
      api,
      lock,
      now: ctx.now,
      isOffline: () => typeof navigator !== 'undefined' && navigator.onLine === false,
      onUnauthorized: (message) => this.background('signing out', this.signedOut(message)),
      onReachability: reachable,
      onError,
    });
    const poller = new core.Poller({ db, api, status, now: ctx.now, onUnauthorized: (m) => this.signedOut(m) });
    const events = new core.EventSubscriber({
      db,
      api,
      now: ctx.now,
      onMode: (mode) => status.set({ events: mode }),
      onReachability: reachable,
      onSetupChanged: () => this.background('reloading the menu and tables', poller.refreshAll()),
      onReady: (ready) => {
        // The stream starts from now (first connection, or the cursor could not be resumed):
        // what happened before it is only in REST, so read it again now that nothing after
        // this point can be missed.
        if (ready.resumed) return;
        this.background(
          'reloading open orders',
          poller.watchingKitchen ? poller.refreshKitchen() : poller.refreshOpenTables(),
        );
      },
      onError,
    });
    return { core, sender, poller, events };
  }

  /** Runs `task` with the loaded parts, as a task nobody awaits (see `background`). */
  private withParts(what: string, task: (parts: Parts) => Promise<unknown> | void): void {
    this.background(
      what,
      this.parts.then((parts) => task(parts)),
    );
  }

  /** The device's clock (the one the engine was given). */
  now = (): number => this.ctx.now();

  // --- status for the badge -------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => this.status.subscribe(listener);

  getStatus = (): SyncStatus => this.status.get();

  private statusChanged({ before, after }: StatusChange): void {
    const wasAway = !before.online;
    const streamBack = after.events === 'live' && before.events !== 'live';
    // Gone (offline, or the stream dropped): what is on the wire may be lost with it.
    if ((before.online && !after.online) || (before.events === 'live' && after.events !== 'live')) {
      this.api.markWritesStale();
    }
    // The server answers again (a read, the probe, the stream): send what waits now rather
    // than when its backoff says, and reconnect the stream rather than after its own.
    if (this.started && after.online && (wasAway || streamBack)) {
      // A write sent before the gap would otherwise wait out its 15 s timeout ("sending" for
      // that long after the badge says Live): abandoned, it goes again now under its key.
      this.api.abandonStaleWrites();
      this.background('sending', this.kick());
      if (wasAway) this.withParts('reconnecting', ({ events }) => events.nudge());
    }
    // Back live after a gap: the stream resumes from its cursor, and the kitchen also
    // reloads its snapshot, so nothing depends on the gap having been short.
    if (after.notLiveSince === null && before.notLiveSince !== null && this.watchingKitchen) {
      this.withParts('reloading the kitchen', ({ poller }) => poller.refreshKitchen());
    }
  }

  /** Runs a task nobody awaits; a failure is logged and shown, never an unhandled rejection. */
  private background(what: string, task: Promise<unknown>): void {
    task.catch((error: unknown) => this.status.failed(what, error));
  }

  // --- lifecycle ------------------------------------------------------------------------------

  /** App start: load the token, hook the triggers, send what waits, refresh what is shown. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const session = await getMeta(this.db, 'session');
    this.api.setToken(session?.token ?? null);
    this.triggers('addEventListener');
    const prunes = () => this.withParts('pruning old items', ({ core }) => core.prune(this.db, this.ctx.now()));
    this.timers.push(setInterval(() => this.withParts('polling', ({ poller }) => poller.tick()), 5_000));
    this.timers.push(setInterval(prunes, 60 * 60_000));
    prunes();
    if (session) this.connected();
  }

  stop(): void {
    this.triggers('removeEventListener');
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.started = false;
    this.withParts('stopping', ({ sender, events }) => {
      sender.stop();
      events.stop();
    });
  }

  private connected(): void {
    this.background('sending', this.kick());
    this.withParts('refreshing', async ({ poller, events }) => {
      events.start();
      await poller.refreshAll();
    });
  }

  /** What gives a fresh chance (online, offline, the page shown or focused): hooked at start, unhooked at stop. */
  private triggers(method: 'addEventListener' | 'removeEventListener'): void {
    window[method]('online', this.onOnline);
    window[method]('offline', this.onOffline);
    document[method]('visibilitychange', this.onVisible);
    window[method]('focus', this.onVisible);
  }

  private onOnline = (): void => {
    this.status.set({ online: true });
    this.background('sending', this.kick());
    this.withParts('refreshing', async ({ poller, events }) => {
      events.nudge();
      await poller.refreshAll();
    });
  };

  private onOffline = (): void => this.status.set({ online: false });

  private onVisible = (): void => {
    if (document.visibilityState !== 'visible') return;
    this.background('sending', this.kick());
    this.withParts('refreshing', async ({ poller, events }) => {
      events.nudge();
      await poller.refreshOnScreen();
    });
  };

  /** A chance to send. Safe to call any time; it coalesces, and a failure is shown, not thrown. */
  kick(): Promise<void> {
    return this.guarded('sending', async () => {
      const { sender } = await this.parts;
      this.status.set({ sending: true });
      await sender.kick().finally(() => this.status.set({ sending: false }));
    });
  }

  /** Resolves when no send (nor probe) is running in this tab (tests, and the update flow). */
  async whenIdle(): Promise<void> {
    await (await this.parts).sender.whenIdle();
  }

  private async signedOut(message: string): Promise<void> {
    this.api.setToken(null);
    (await this.parts).events.stop();
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
    this.withParts('refreshing', ({ poller }) => poller.watch(shown));
  }

  /** The kitchen board is on screen (or no longer): its snapshot replaces per-table polling. */
  watchKitchen(active: boolean): void {
    this.watchingKitchen = active;
    this.withParts('reloading the kitchen', ({ poller }) => poller.watchKitchen(active));
  }

  async refreshTable(tableId: string): Promise<void> {
    await (await this.parts).poller.refreshTable(tableId);
  }

  // --- writes: all local first, then a nudge to the sender ------------------------------------

  /**
   * A write to the server, by name (see db/mutations): applied to the local database now,
   * queued in the outbox, and sent when it can be.
   */
  async mutate<N extends MutationName>(name: N, input: MutationInput<N>): Promise<MutationResult<N>> {
    try {
      const { core } = await this.parts;
      const staffName = (await getMeta(this.db, 'staffName')) ?? '';
      const result = await core.applyMutation(this.db, { ...this.ctx, staffName }, name, input);
      if (result.ok) this.background('sending', this.kick());
      return result;
    } catch (error) {
      // The tablet could not store it (a full disk, a bug): the screen says so, and nothing was queued.
      this.status.failed(`saving a ${name}`, error);
      const message = 'This tablet could not save that. Try again; if it keeps failing, reload the app.';
      // `moved`: what the kitchen's bumps answer; the other mutations' results ignore it.
      return { ok: false, message, moved: [] } as unknown as MutationResult<N>;
    }
  }

  /** Runs a task the screens do not wait for: a failure is logged and shown, never thrown. */
  private async guarded(what: string, task: () => Promise<unknown>): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.status.failed(what, error);
    }
  }

  addToCart(cartId: string, choice: CartChoice): Promise<void> {
    return this.guarded('adding to the cart', async () => (await local()).addToCart(this.db, this.ctx, cartId, choice));
  }

  /** A takeaway or delivery order to put together (see DraftRow); returns its id. */
  async saveDraft(draft: Pick<DraftRow, 'type' | 'customer'> & { id?: string }): Promise<string> {
    return (await local()).saveDraft(this.db, this.ctx, draft);
  }

  async discardDraft(id: string): Promise<void> {
    await (await local()).discardDraft(this.db, id);
  }

  setCartQuantity(lineId: string, quantity: number): Promise<void> {
    return this.guarded('changing the cart', async () => (await local()).setCartQuantity(this.db, lineId, quantity));
  }

  // --- the outbox panel -----------------------------------------------------------------------

  resend(seq: number): Promise<void> {
    return this.guarded('resending', async () => {
      await (await this.parts).core.resendEntry(this.db, seq, this.ctx.now(), this.ctx.uuid());
      this.background('sending', this.kick());
    });
  }

  discard(seq: number): Promise<void> {
    return this.guarded('discarding', async () => (await this.parts).core.discardEntry(this.db, seq));
  }

  async exportOutbox(): Promise<OutboxExport> {
    return (await this.parts).core.exportOutbox(this.db, this.ctx.now());
  }
}
