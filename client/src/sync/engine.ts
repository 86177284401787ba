import type { AllergyInput } from '@chit/shared';
import {
  forgetItems,
  mergeOpenOrders,
  mergeOrder,
  mergeTableItems,
  onlyOnThisTablet,
  prune,
  saveMenu,
  saveTables,
} from '../db/cache.js';
import { getMeta, saveSession, setMeta, signOut } from '../db/meta.js';
import { discardEntry, exportOutbox, noteSuccessfulContact, resendEntry, type OutboxExport } from '../db/outbox.js';
import type { ChitDb, DraftRow, ItemRow } from '../db/schema.js';
import type { Ctx, ItemChange, StatusMove, WriteResult } from '../db/writes.js';
import type { CartChoice } from '../domain/cart.js';
import { Api, type ApiResult } from './api.js';
import { EventSubscriber, type EventsMode } from './events.js';
import { deviceLock, type SendLock } from './lock.js';
import { OutboxSender } from './outbox.js';
import { serverAway } from './backoff.js';

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
}

/** What the badges say: Live (answers and the event stream), Online (answers, polling), or why not. */
export function connectionLabel(status: SyncStatus): 'Live' | 'Online' | 'No network' | 'Server unreachable' {
  if (status.connection === 'no-network') return 'No network';
  if (status.connection === 'unreachable') return 'Server unreachable';
  return status.events === 'live' ? 'Live' : 'Online';
}

export const browserCtx: Ctx = { now: () => Date.now(), uuid: () => crypto.randomUUID() };

/**
 * The local writes (and the cart rules they use) load with the first screen that writes,
 * which is never the first screen: they stay out of the first download. The service
 * worker precaches them with the screens, so they load offline too.
 */
const local = () => import('../db/writes.js');

const openTablePollMs = 10_000;
const openTablePollWhenLiveMs = 60_000;
const overviewPollMs = 60_000;
/** The kitchen board reloads its snapshot this often without a live stream, and with one (a safety net). */
const kitchenPollMs = 15_000;
const kitchenPollWhenLiveMs = 120_000;

/**
 * Everything the screens may ask of the network, and the triggers that keep the tablet in
 * step: online, page visible, app start, each new write, timers. Screens never call fetch;
 * they call this, and read IndexedDB through live queries.
 */
export class SyncEngine {
  readonly api: Api;
  readonly sender: OutboxSender;
  readonly lock: SendLock;
  private readonly events: EventSubscriber;
  private status: SyncStatus = {
    online: true,
    connection: 'online',
    events: 'off',
    sending: false,
    notLiveSince: null,
  };
  private kitchen = false;
  private lastKitchenPoll = 0;
  private readonly listeners = new Set<() => void>();
  /** The table or the order without a table on screen. */
  private onScreen: { tableId: string } | { orderId: string } | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private started = false;
  private lastOpenTablePoll = 0;

  constructor(
    readonly db: ChitDb,
    private readonly ctx: Ctx = browserCtx,
    options: { api?: Api; lock?: SendLock } = {},
  ) {
    this.api = options.api ?? new Api();
    this.lock = options.lock ?? deviceLock();
    this.status.online = typeof navigator === 'undefined' ? true : navigator.onLine;
    this.status.connection = this.status.online ? 'online' : 'no-network';
    this.status.notLiveSince = ctx.now();
    this.sender = new OutboxSender({
      db,
      api: this.api,
      lock: this.lock,
      now: ctx.now,
      isOffline: () => typeof navigator !== 'undefined' && navigator.onLine === false,
      onUnauthorized: (message) => void this.signedOut(message),
      onReachability: (reachable) => this.reachable(reachable),
    });
    this.events = new EventSubscriber({
      db,
      api: this.api,
      onMode: (mode) => this.setStatus({ events: mode }),
      onReachability: (reachable) => this.reachable(reachable),
      onSetupChanged: () => void this.refreshAll(),
      onReady: (ready) => {
        // The stream starts from now (first connection, or the cursor could not be resumed):
        // what happened before it is only in REST, so read it again now that nothing after
        // this point can be missed.
        if (ready.resumed) return;
        if (this.kitchen) void this.refreshKitchen();
        else void this.refreshOpenTables();
      },
    });
  }

  // --- status for the badge -------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getStatus = (): SyncStatus => this.status;

  /**
   * Whether the server just answered. Coming back from "no answer" is a fresh chance for
   * everything that waits: the outbox (skipping its backoff) and the event stream.
   */
  private reachable(answered: boolean): void {
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    this.setStatus({ connection: answered ? 'online' : offline ? 'no-network' : 'unreachable' });
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    const next = { ...this.status, ...patch };
    if (patch.connection) next.online = patch.connection === 'online';
    else if (patch.online !== undefined) next.connection = patch.online ? 'online' : 'no-network';
    const live = next.online && next.events === 'live';
    next.notLiveSince = live ? null : (this.status.notLiveSince ?? this.ctx.now());
    if (
      next.online === this.status.online &&
      next.connection === this.status.connection &&
      next.events === this.status.events &&
      next.sending === this.status.sending &&
      next.notLiveSince === this.status.notLiveSince
    )
      return;
    const wasLive = this.status.notLiveSince === null;
    const wasAway = !this.status.online;
    const streamBack = next.events === 'live' && this.status.events !== 'live';
    this.status = next;
    // The server answers again (a read, the probe, the stream): send what waits now rather
    // than when its backoff says, and reconnect the stream rather than after its own.
    if (this.started && next.online && (wasAway || streamBack)) {
      void this.kick();
      if (wasAway) this.events.nudge();
    }
    // Back live after a gap: the stream resumes from its cursor, and the kitchen also
    // reloads its snapshot, so nothing depends on the gap having been short.
    if (live && !wasLive && this.kitchen) void this.refreshKitchen();
    for (const listener of this.listeners) listener();
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
    this.timers.push(setInterval(() => void this.poll(), 5_000));
    this.timers.push(setInterval(() => void prune(this.db, this.ctx.now()), 60 * 60_000));
    void prune(this.db, this.ctx.now());
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
    void this.kick();
    void this.refreshAll();
    this.events.start();
  }

  private onOnline = (): void => {
    this.setStatus({ online: true });
    void this.kick();
    this.events.nudge();
    void this.refreshAll();
  };

  private onOffline = (): void => this.setStatus({ online: false });

  private onVisible = (): void => {
    if (document.visibilityState !== 'visible') return;
    void this.kick();
    this.events.nudge();
    void this.refreshOnScreen();
  };

  /** A chance to send. Safe to call any time; it coalesces. */
  kick(): Promise<unknown> {
    this.setStatus({ sending: true });
    return this.sender.kick().finally(() => this.setStatus({ sending: false }));
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
    this.onScreen = shown;
    void this.refreshOnScreen();
  }

  private refreshOnScreen(): Promise<void> {
    const shown = this.onScreen;
    this.lastOpenTablePoll = this.ctx.now();
    if (!shown) return Promise.resolve();
    return 'tableId' in shown ? this.refreshTable(shown.tableId) : this.refreshOrder(shown.orderId);
  }

  /**
   * The kitchen board is on screen: keep its snapshot (`GET /api/orders/open`) fresh and
   * skip the waiter's per-table polling, which the snapshot replaces.
   */
  watchKitchen(active: boolean): void {
    this.kitchen = active;
    if (active) void this.refreshKitchen();
  }

  async refreshKitchen(): Promise<void> {
    if (!this.api.hasToken()) return;
    this.lastKitchenPoll = this.ctx.now();
    await this.handle(await this.api.openOrders(), async (data) => {
      const finished = await mergeOpenOrders(this.db, data.orders, data.eventPosition);
      await forgetItems(
        this.db,
        finished.map((item) => item.id),
      );
    });
  }

  private async poll(): Promise<void> {
    if (!this.api.hasToken()) return;
    const now = this.ctx.now();
    if (this.kitchen) {
      // A board is watched from across the kitchen, visible or not to the browser.
      const every = this.status.events === 'live' ? kitchenPollWhenLiveMs : kitchenPollMs;
      if (now - this.lastKitchenPoll >= every) await this.refreshKitchen();
      return;
    }
    if (document.visibilityState !== 'visible') return;
    const every = this.status.events === 'live' ? openTablePollWhenLiveMs : openTablePollMs;
    if (now - this.lastOpenTablePoll >= every) await this.refreshOnScreen();
    const lastOverview = this.lastOverviewPoll;
    if (now - lastOverview >= (this.status.events === 'live' ? overviewPollMs * 5 : overviewPollMs)) {
      this.lastOverviewPoll = now;
      await this.refreshOpenTables();
    }
  }

  private lastOverviewPoll = 0;

  private async handle<T>(result: ApiResult<T>, use: (data: T) => Promise<void>): Promise<boolean> {
    if (serverAway(result)) {
      this.reachable(false);
      return false;
    }
    this.reachable(true);
    if (result.kind === 'network') return false; // for the type checker: serverAway covers it
    if (result.kind === 'http') {
      if (result.status === 401) await this.signedOut(result.error.message);
      return false;
    }
    await use(result.data);
    await noteSuccessfulContact(this.db, this.ctx.now());
    return true;
  }

  async refreshAll(): Promise<void> {
    if (!this.api.hasToken()) return;
    const menuOk = await this.handle(await this.api.menu(), (menu) => saveMenu(this.db, menu, this.ctx.now()));
    if (!menuOk) return;
    await this.handle(await this.api.tables(), (data) => saveTables(this.db, data.tables));
    this.lastOverviewPoll = this.ctx.now();
    if (this.kitchen) await this.refreshKitchen();
    else await this.refreshOpenTables();
  }

  async refreshTable(tableId: string): Promise<void> {
    if (!this.api.hasToken()) return;
    // This device's clock, as the merge stamps server copies with it (not ctx.now, which tests may fake).
    const sentAt = Date.now();
    await this.handle(await this.api.tableItems(tableId), (data) =>
      mergeTableItems(this.db, tableId, data.items, sentAt),
    );
  }

  async refreshOrder(orderId: string): Promise<void> {
    // Its create is still in the outbox: the server has nothing to say about it yet.
    if (!this.api.hasToken() || (await onlyOnThisTablet(this.db, orderId))) return;
    await this.handle(await this.api.order(orderId), (data) => mergeOrder(this.db, data.order));
  }

  /**
   * Keeps the overview's counts true for every table and takeaway or delivery order: one
   * call for all open orders, then a refresh only of the tables (or orders without a
   * table) whose open items here the server no longer lists (served or voided on another
   * device), and of what is on screen.
   */
  private async refreshOpenTables(): Promise<void> {
    let stale: ItemRow[] | null = null;
    await this.handle(await this.api.openOrders(), async (data) => {
      stale = await mergeOpenOrders(this.db, data.orders, data.eventPosition);
    });
    if (stale === null) return;
    const tables = new Set<string>();
    const orders = new Set<string>();
    const shown = this.onScreen ? [this.onScreen] : [];
    for (const place of [...(stale as ItemRow[]), ...shown]) {
      if ('tableId' in place && place.tableId !== null) tables.add(place.tableId);
      else if ('orderId' in place) orders.add(place.orderId);
    }
    const queue = [
      ...[...tables].map((id) => () => this.refreshTable(id)),
      ...[...orders].map((id) => () => this.refreshOrder(id)),
    ];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await next();
    };
    await Promise.all([worker(), worker(), worker()]);
  }

  // --- writes: all local first, then a nudge to the sender ------------------------------------

  private async staffName(): Promise<string> {
    return (await getMeta(this.db, 'staffName')) ?? '';
  }

  private after(result: WriteResult): WriteResult {
    if (result.ok) void this.kick();
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

  /** The cart of a table, or of a draft, to the kitchen (through the outbox). */
  async sendCart(cartId: string, note = '', allergy: AllergyInput | null = null): Promise<WriteResult> {
    const { placeOrder } = await local();
    return this.after(
      await placeOrder(this.db, this.ctx, { cartId, staffName: await this.staffName(), note, allergy }),
    );
  }

  async changeItem(itemId: string, change: ItemChange): Promise<WriteResult> {
    const { changeItem } = await local();
    return this.after(await changeItem(this.db, this.ctx, itemId, change, await this.staffName()));
  }

  async voidItem(itemId: string, reason: string): Promise<WriteResult> {
    const { voidItem } = await local();
    return this.after(await voidItem(this.db, this.ctx, itemId, reason, await this.staffName()));
  }

  /** The party at the table left (see clearTable). */
  async clearTable(tableId: string): Promise<WriteResult> {
    const { clearTable } = await local();
    return this.after(await clearTable(this.db, this.ctx, tableId, await this.staffName()));
  }

  /** Kitchen bumps and recalls (see moveItems). */
  async moveItems(moves: readonly StatusMove[]): Promise<WriteResult & { moved: StatusMove[] }> {
    const { moveItems } = await local();
    const result = await moveItems(this.db, this.ctx, moves, await this.staffName());
    if (result.ok) void this.kick();
    return result;
  }

  async setAvailability(menuItemId: string, available: boolean): Promise<WriteResult> {
    const { setAvailability } = await local();
    return this.after(await setAvailability(this.db, this.ctx, menuItemId, available));
  }

  /** A cook read the order's allergy banner (before its first bump); queued like a bump. */
  async acknowledgeAllergy(orderId: string): Promise<WriteResult> {
    const [{ acknowledgeAllergy }, session] = await Promise.all([local(), getMeta(this.db, 'session')]);
    const by = {
      deviceId: session?.device.id ?? '',
      deviceName: session?.device.name ?? '',
      staffName: await this.staffName(),
    };
    return this.after(await acknowledgeAllergy(this.db, this.ctx, orderId, by));
  }

  async resend(seq: number): Promise<void> {
    await resendEntry(this.db, seq, this.ctx.now(), this.ctx.uuid());
    void this.kick();
  }

  async discard(seq: number): Promise<void> {
    await discardEntry(this.db, seq);
  }

  exportOutbox(): Promise<OutboxExport> {
    return exportOutbox(this.db, this.ctx.now());
  }
}
