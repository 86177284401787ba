import type { Allergy, ChosenModifier, ItemStatus, OrderItem } from '@chit/shared';

/**
 * What the screens show for one item: the server's last word with this device's
 * unsynced writes applied on top (see rebase.ts). Stored in the `items` table (db/schema.ts).
 */
export interface ItemRow {
  id: string;
  orderId: string;
  /** The order's table; null for takeaway and delivery. */
  tableId: string | null;
  menuItemId: string;
  name: string;
  station: string;
  unitPriceCents: number;
  quantity: number;
  modifiers: ChosenModifier[];
  /** This line's allergy; absent or null when none. */
  allergy?: Allergy | null;
  note: string;
  /** Expected minutes from sent to ready. */
  cookMinutes: number | null;
  status: ItemStatus;
  sync: 'local' | 'synced';
  takenAt: string;
  sentAt: string | null;
  cookingAt: string | null;
  readyAt: string | null;
  servedAt: string | null;
  /** The server's copy, kept so a refused or discarded write can be rolled back. */
  server: OrderItem | null;
  /** Unsynced writes touching this item. */
  pendingWrites: number;
  /** The server's message for a refused write touching this item. */
  problem: string | null;
  /** Position in its order as entered (1-based); rows stored before it existed have none. */
  line?: number;
  /** Set when this device saw the quantity or note change after the kitchen got it. */
  edit?: ItemEdit | null;
  /** The event-log position this row is known to be current at (0: unknown). */
  position?: number;
  /**
   * This device's clock when the server's copy last arrived. A list read sent before then
   * may predate the item, so its absence from that list says nothing.
   */
  serverSeenAt?: number;
}

/** What an edit changed, for the kitchen's "edited" highlight (null: not known here). */
export interface ItemEdit {
  at: string;
  quantityWas: number | null;
  noteWas: string | null;
  /** The choices before a size or toppings change ("Medium, Pepperoni"; "" for none); absent: unchanged. */
  modifiersWas?: string | null;
}

/**
 * What rebasing reads of a write still in the outbox; db/schema.ts's `OutboxEntry` is one.
 * Only this much, so domain/ needs nothing from the database above it.
 */
export interface PendingWrite {
  orderId: string | null;
  itemId: string | null;
  state: string;
  /** The named write, replayed by the caller (db/mutations knows how). */
  mutation: unknown;
  lastError: { message: string } | null;
}
