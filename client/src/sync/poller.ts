import {
  forgetItems,
  mergeOpenOrders,
  mergeOrder,
  mergeTableItems,
  onlyOnThisTablet,
  saveMenu,
  saveTables,
} from '../db/cache.js';
import { noteSuccessfulContact } from '../db/outbox.js';
import type { ChitDb, ItemRow } from '../db/schema.js';
import type { Api, ApiResult } from './api.js';
import { serverAway } from './backoff.js';
import type { StatusStore } from './status.js';

const openTablePollMs = 10_000;
const openTablePollWhenLiveMs = 60_000;
const overviewPollMs = 60_000;
/** The kitchen board reloads its snapshot this often without a live stream, and with one (a safety net). */
const kitchenPollMs = 15_000;
const kitchenPollWhenLiveMs = 120_000;

export interface PollerDeps {
  db: ChitDb;
  api: Api;
  status: StatusStore;
  now: () => number;
  /** The token was refused (401): the app goes back to pairing. */
  onUnauthorized: (message: string) => Promise<void>;
}

/**
 * The reads that keep what is on screen fresh: the table or order shown, the overview of
 * open tables, the kitchen's snapshot. `tick()` runs every few seconds; how often each read
 * really goes depends on whether the event stream is live.
 */
export class Poller {
  private kitchen = false;
  private lastKitchenPoll = 0;
  private lastOpenTablePoll = 0;
  private lastOverviewPoll = 0;
  /** The table or the order without a table on screen. */
  private onScreen: { tableId: string } | { orderId: string } | null = null;

  constructor(private readonly deps: PollerDeps) {}

  get watchingKitchen(): boolean {
    return this.kitchen;
  }

  /** Which table (or order without a table) is on screen: it is refreshed often. */
  watch(shown: { tableId: string } | { orderId: string } | null): Promise<void> {
    this.onScreen = shown;
    return this.refreshOnScreen();
  }

  refreshOnScreen(): Promise<void> {
    const shown = this.onScreen;
    this.lastOpenTablePoll = this.deps.now();
    if (!shown) return Promise.resolve();
    return 'tableId' in shown ? this.refreshTable(shown.tableId) : this.refreshOrder(shown.orderId);
  }

  /**
   * The kitchen board is on screen: keep its snapshot (`GET /api/orders/open`) fresh and
   * skip the waiter's per-table polling, which the snapshot replaces.
   */
  watchKitchen(active: boolean): Promise<void> {
    this.kitchen = active;
    return active ? this.refreshKitchen() : Promise.resolve();
  }

  async refreshKitchen(): Promise<void> {
    const { api, db, now } = this.deps;
    if (!api.hasToken()) return;
    this.lastKitchenPoll = now();
    await this.handle(await api.openOrders(), async (data) => {
      const finished = await mergeOpenOrders(db, data.orders, data.eventPosition, now());
      await forgetItems(
        db,
        finished.map((item) => item.id),
      );
    });
  }

  async tick(): Promise<void> {
    if (!this.deps.api.hasToken()) return;
    const now = this.deps.now();
    const live = this.deps.status.get().events === 'live';
    if (this.kitchen) {
      // A board is watched from across the kitchen, visible or not to the browser.
      if (now - this.lastKitchenPoll >= (live ? kitchenPollWhenLiveMs : kitchenPollMs)) await this.refreshKitchen();
      return;
    }
    if (document.visibilityState !== 'visible') return;
    if (now - this.lastOpenTablePoll >= (live ? openTablePollWhenLiveMs : openTablePollMs))
      await this.refreshOnScreen();
    if (now - this.lastOverviewPoll >= (live ? overviewPollMs * 5 : overviewPollMs)) {
      this.lastOverviewPoll = now;
      await this.refreshOpenTables();
    }
  }

  private async handle<T>(result: ApiResult<T>, use: (data: T) => Promise<void>): Promise<boolean> {
    const { status, db, now } = this.deps;
    if (serverAway(result)) {
      status.reachable(false);
      return false;
    }
    status.reachable(true);
    if (result.kind === 'network') return false; // for the type checker: serverAway covers it
    if (result.kind === 'http') {
      if (result.status === 401) await this.deps.onUnauthorized(result.error.message);
      return false;
    }
    await use(result.data);
    await noteSuccessfulContact(db, now());
    return true;
  }

  /** Everything: the menu, the tables, and the open orders (or the kitchen's snapshot). */
  async refreshAll(): Promise<void> {
    const { api, db, now } = this.deps;
    if (!api.hasToken()) return;
    const menuOk = await this.handle(await api.menu(), (menu) => saveMenu(db, menu, now()));
    if (!menuOk) return;
    await this.handle(await api.tables(), (data) => saveTables(db, data.tables));
    this.lastOverviewPoll = now();
    if (this.kitchen) await this.refreshKitchen();
    else await this.refreshOpenTables();
  }

  async refreshTable(tableId: string): Promise<void> {
    const { api, db, now } = this.deps;
    if (!api.hasToken()) return;
    const sentAt = now();
    await this.handle(await api.tableItems(tableId), (data) => mergeTableItems(db, tableId, data.items, sentAt, now()));
  }

  async refreshOrder(orderId: string): Promise<void> {
    const { api, db, now } = this.deps;
    // Its create is still in the outbox: the server has nothing to say about it yet.
    if (!api.hasToken() || (await onlyOnThisTablet(db, orderId))) return;
    await this.handle(await api.order(orderId), (data) => mergeOrder(db, data.order, now()));
  }

  /**
   * Keeps the overview's counts true for every table and takeaway or delivery order: one
   * call for all open orders, then a refresh only of the tables (or orders without a
   * table) whose open items here the server no longer lists (served or voided on another
   * device), and of what is on screen.
   */
  async refreshOpenTables(): Promise<void> {
    const { api, db, now } = this.deps;
    let stale: ItemRow[] | null = null;
    await this.handle(await api.openOrders(), async (data) => {
      stale = await mergeOpenOrders(db, data.orders, data.eventPosition, now());
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
}
