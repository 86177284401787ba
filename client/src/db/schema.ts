import type {
  Allergy,
  AllergyAck,
  AllergyInput,
  Customer,
  Device,
  ErrorDetail,
  MenuResponse,
  OrderType,
  Table,
} from '@chit/shared';
import { Dexie, type EntityTable } from 'dexie';
import type { ItemRow } from '../domain/item.js';
import type { Scope } from './mutations/define.js';
import type { Mutation } from './mutations/index.js';
import { upgradeOutbox } from './upgrade.js';

/** Key-value settings and sync bookkeeping that must survive a reload. */
export interface MetaRow {
  key: string;
  value: unknown;
}

export interface Session {
  token: string;
  device: Device;
}

export interface CachedMenu {
  key: 'menu';
  menu: MenuResponse;
  fetchedAt: string;
}

export interface OrderRow {
  id: string;
  /** The ticket's short number, given by the server; null while only on this device (or unknown). */
  ticketNumber: number | null;
  /** The order's own allergy (its lines carry theirs); absent or null when none. */
  allergy?: Allergy | null;
  /** The kitchen's acknowledgement of the order's allergies; this board's own shows at once. */
  allergyAck?: AllergyAck | null;
  type: OrderType;
  /** Null for takeaway and delivery. */
  tableId: string | null;
  /** Who a takeaway or delivery order is for; null for dine-in. */
  customer: Customer | null;
  note: string;
  staffName: string;
  /** Device clock when the waiter pressed Send. */
  takenAt: string;
  /** Server time it was stored, once known. */
  createdAt: string | null;
  /** `local` until the server has it. */
  sync: 'local' | 'synced';
  mine: boolean;
}

// An item row is what domain/ computes (rebase.ts), so its shape lives there.
export type { ItemEdit, ItemRow } from '../domain/item.js';

/**
 * - `pending`: waiting for its turn (or its retry time);
 * - `sending`: a request is on the wire (reset to pending by the next lock holder if the tab died);
 * - `refused`: the server said no for good; kept until fixed and resent, or discarded.
 */
export type OutboxState = 'pending' | 'sending' | 'refused';

export interface OutboxError {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
}

/** One write waiting for the server: a named mutation (see db/mutations) and its sending state. */
export interface OutboxEntry extends Scope {
  /** Auto-incremented: the order writes were made in, which is the order they are sent in. */
  seq?: number;
  id: string;
  mutation: Mutation;
  idempotencyKey: string;
  state: OutboxState;
  createdAt: number;
  attempts: number;
  /** Earliest time (ms) the backoff allows the next try; a fresh chance (online, new write) may go sooner. */
  nextAttemptAt: number;
  /** Transient failures since it was made or last resent; drives the backoff. */
  failures: number;
  /** From the server's Retry-After: never sent before this (ms), whatever the chance. */
  notBefore: number;
  lastError: OutboxError | null;
  lastAttemptAt: number | null;
  /**
   * Answers with a server error (5xx other than 502/503/504) since it was made or last
   * resent, and when the first came. Absent on rows stored before they existed.
   */
  serverErrors?: number;
  firstServerErrorAt?: number | null;
  /**
   * Set (ms) once the server keeps failing this very write (see `stuckAfter`): it stays
   * `pending` and is retried slowly, but writes of other orders go past it. Later writes of
   * the same order still wait behind it.
   */
  stuckSince?: number | null;
}

/** A line of a cart: identical choices merge into one line. */
export interface CartLine {
  id: string;
  /** What the cart is for: a table's id, or a draft's (a takeaway or delivery order not sent yet). */
  cartId: string;
  menuItemId: string;
  /** Sorted, so identical choices compare equal. */
  modifierOptionIds: string[];
  quantity: number;
  note: string;
  /** This dish's allergy, when the waiter flagged one in its sheet. */
  allergy?: AllergyInput | null;
  addedAt: number;
}

/**
 * A takeaway or delivery order being put together: who it is for. Its dishes are the cart
 * lines with `cartId` = `id`, and on Send `id` becomes the order's id.
 */
export interface DraftRow {
  id: string;
  type: Exclude<OrderType, 'dine_in'>;
  customer: Customer;
  createdAt: number;
}

/** `diningTables`, because Dexie already has a `tables` property. */
export type ChitDb = Dexie & {
  meta: EntityTable<MetaRow, 'key'>;
  menu: EntityTable<CachedMenu, 'key'>;
  diningTables: EntityTable<Table, 'id'>;
  orders: EntityTable<OrderRow, 'id'>;
  items: EntityTable<ItemRow, 'id'>;
  outbox: EntityTable<OutboxEntry, 'seq'>;
  cart: EntityTable<CartLine, 'id'>;
  drafts: EntityTable<DraftRow, 'id'>;
};

export const defaultDbName = 'chit';

/**
 * The stores (and their indexes) of Dexie version 1. A version tablets have run never
 * changes; the upgrade test builds a version-1 tablet from this.
 */
export const versionOneStores = {
  meta: 'key',
  menu: 'key',
  diningTables: 'id, number',
  orders: 'id, tableId',
  items: 'id, tableId, orderId, status',
  outbox: '++seq, &id, orderId, itemId, state',
  cart: 'id, tableId',
};

export function openDb(name = defaultDbName): ChitDb {
  // Dexie 4's optimistic query cache (4.4.7) keeps the results of index queries nobody
  // watches; a row put and then deleted while unwatched comes back when the query is
  // watched again (a sent draft reappeared on the tables screen). Without the cache, live
  // queries read IndexedDB again after each commit, as in Dexie 3: slower, always true.
  const db = new Dexie(name, { cache: 'disabled' }) as ChitDb;
  db.version(1).stores(versionOneStores);
  // Order types. Every row stays: orders from before were all dine-in, and a cart was a
  // table's. The outbox is not touched (its entries already say everything they send).
  db.version(2)
    .stores({ orders: 'id, tableId, type', cart: 'id, cartId', drafts: 'id, createdAt' })
    .upgrade(async (tx) => {
      await tx
        .table<Partial<OrderRow>>('orders')
        .toCollection()
        .modify((order) => {
          order.type ??= 'dine_in';
          order.customer ??= null;
        });
      await tx
        .table<Partial<CartLine> & { tableId?: string }>('cart')
        .toCollection()
        .modify((line) => {
          line.cartId ??= line.tableId;
          delete line.tableId;
        });
    });
  // Writes become named mutations (`{ name, args }`, see db/mutations) in place of stored
  // requests; every waiting and refused write is converted, keeping its key and its place.
  db.version(3)
    .stores({ outbox: '++seq, &id, lane, orderId, itemId, state' })
    .upgrade((tx) => upgradeOutbox(tx));
  return db;
}
