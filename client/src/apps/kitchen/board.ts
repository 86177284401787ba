import { nextKitchenStatus, type AllergyAck, type ItemStatus, type Table } from '@chit/shared';
import type { ItemEdit, ItemRow, OrderRow } from '../../db/schema.js';
import type { StatusMove } from '../../db/mutations/bumpItem.js';
import { customerLabel } from '../../domain/customer.js';
import { byLine } from '../../domain/rebase.js';
import type { KitchenSettings, LastBump } from './settings.js';

/**
 * The kitchen board's pure rules: orders and items (as IndexedDB holds them, the server's
 * copy with this device's unsent bumps on top) in, tickets out.
 */

export type TicketState = 'queued' | 'cooking' | 'ready' | 'done';
export type TimerState = 'on-time' | 'near' | 'overdue';

export interface TicketItem {
  id: string;
  menuItemId: string;
  name: string;
  station: string;
  quantity: number;
  /** Option names, e.g. "Large", "Extra cheese". */
  modifiers: string[];
  note: string;
  status: ItemStatus;
  cookMinutes: number | null;
  voided: boolean;
  /** Voided once the kitchen had started it: the board must make noise. */
  voidedAfterCooking: boolean;
  voidReason: string | null;
  edit: ItemEdit | null;
  /** A bump of this device is not yet confirmed by the server. */
  pending: boolean;
}

export interface Ticket {
  orderId: string;
  /** The server's short number for the order ("#42"); null for an order from before numbering. */
  ticketNumber: number | null;
  /** Null for takeaway and delivery. */
  tableId: string | null;
  /** "Table 12", or for an order without a table "Takeaway · Mia", "Delivery · Jon". */
  tableLabel: string;
  staffName: string;
  note: string;
  /** Server time the order was stored: "time since sent" counts from here. */
  sentAt: string;
  items: TicketItem[];
  /** The least advanced state among the items still to do. */
  state: TicketState;
  /** The longest cook time among the items still to do (or all, when none has one). */
  cookMinutes: number;
  /** Allergies on the order and on the lines shown here: the banner. */
  allergies: TicketAllergy[];
  /** Who acknowledged them, and when; null until a cook has. */
  allergyAck: AllergyAck | null;
  /** Voids after cooking started that nobody has acknowledged yet. */
  alerts: TicketItem[];
  edited: boolean;
}

export interface TicketAllergy {
  /** "Whole order", or the line ("2 × Burger"). */
  on: string;
  allergens: string[];
  note: string;
}

/** The ticket has an allergy no cook has acknowledged: its first bump must wait. */
export function needsAllergyAck(ticket: Pick<Ticket, 'allergies' | 'allergyAck'>): boolean {
  return ticket.allergies.length > 0 && ticket.allergyAck === null;
}

const order: Record<ItemStatus, number> = { queued: 0, cooking: 1, ready: 2, served: 3, voided: 4 };

/** How long the board keeps flagging a void after cooking started (the server's snapshot uses the same). */
export const voidAlertMs = 15 * 60_000;

export interface BuildInput {
  orders: readonly OrderRow[];
  items: readonly ItemRow[];
  tables: ReadonlyMap<string, Pick<Table, 'label' | 'number'>>;
  station: string | null;
  /** Item ids whose void-after-cooking alert was acknowledged. */
  dismissed: ReadonlySet<string>;
  now: number;
  defaultCookMinutes?: number;
}

export function toTicketItem(row: ItemRow): TicketItem {
  const voided = row.status === 'voided';
  return {
    id: row.id,
    menuItemId: row.menuItemId,
    name: row.name,
    station: row.station,
    quantity: row.quantity,
    modifiers: row.modifiers.map((m) => m.name),
    note: row.note,
    status: row.status,
    cookMinutes: row.cookMinutes,
    voided,
    voidedAfterCooking: voided && (row.server?.cookingAt ?? row.cookingAt) !== null,
    voidReason: row.server?.voidReason ?? null,
    edit: row.edit ?? null,
    pending: row.pendingWrites > 0,
  };
}

function inWindow(row: ItemRow, now: number): boolean {
  const at = row.server?.voidedAt ?? row.server?.updatedAt;
  return at ? now - Date.parse(at) <= voidAlertMs : true;
}

/** Tickets in arrival order (oldest first), one per order with items for the chosen station. */
export function buildTickets(input: BuildInput): Ticket[] {
  const byOrder = new Map<string, ItemRow[]>();
  for (const row of input.items) {
    if (row.sync !== 'synced' || row.status === 'served') continue;
    if (input.station !== null && row.station !== input.station) continue;
    const list = byOrder.get(row.orderId) ?? [];
    list.push(row);
    byOrder.set(row.orderId, list);
  }
  const tickets: Ticket[] = [];
  for (const o of input.orders) {
    const rows = byOrder.get(o.id);
    if (!rows) continue;
    const items = rows.sort(byLine).map(toTicketItem);
    const todo = items.filter((i) => i.status === 'queued' || i.status === 'cooking' || i.status === 'ready');
    const alerts = rows
      .filter((r) => !input.dismissed.has(r.id) && inWindow(r, input.now))
      .map(toTicketItem)
      .filter((i) => i.voidedAfterCooking);
    if (todo.length === 0 && alerts.length === 0) continue;
    const least = todo.reduce<ItemStatus | null>(
      (min, i) => (min === null || order[i.status] < order[min] ? i.status : min),
      null,
    );
    const cooking = todo.filter((i) => i.status !== 'ready');
    const timed = (cooking.length > 0 ? cooking : todo).map((i) => i.cookMinutes ?? 0);
    const table = o.tableId === null ? undefined : input.tables.get(o.tableId);
    tickets.push({
      orderId: o.id,
      ticketNumber: o.ticketNumber ?? null,
      tableId: o.tableId,
      tableLabel:
        o.tableId === null ? customerLabel(o) : (table?.label ?? (table ? `Table ${table.number}` : 'Table ?')),
      staffName: o.staffName,
      note: o.note,
      sentAt: o.createdAt ?? o.takenAt,
      items,
      state: (least as TicketState | null) ?? 'done',
      cookMinutes: Math.max(...timed, 0) || (input.defaultCookMinutes ?? 15),
      allergies: [
        ...(o.allergy ? [{ on: 'Whole order', ...o.allergy }] : []),
        ...rows
          .filter((r) => r.allergy && r.status !== 'voided')
          .sort(byLine)
          .map((r) => ({ on: `${r.quantity} × ${r.name}`, ...r.allergy! })),
      ],
      allergyAck: o.allergyAck ?? null,
      alerts,
      edited: items.some((i) => i.edit !== null && !i.voided),
    });
  }
  return tickets.sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.orderId.localeCompare(b.orderId));
}

/** The main board: tickets with something to cook, or an alert to see. */
export function onBoard(ticket: Ticket): boolean {
  return ticket.state === 'queued' || ticket.state === 'cooking' || ticket.alerts.length > 0;
}

/** The ready view: everything cooked, waiting for the pass. */
export function isReady(ticket: Ticket): boolean {
  return ticket.state === 'ready' && ticket.alerts.length === 0;
}

export function timerState(
  ageMs: number,
  cookMinutes: number,
  settings: Pick<KitchenSettings, 'nearPercent' | 'overduePercent'>,
): TimerState {
  const share = (ageMs / (cookMinutes * 60_000)) * 100;
  if (share > settings.overduePercent) return 'overdue';
  if (share >= settings.nearPercent) return 'near';
  return 'on-time';
}

export const timerText: Record<TimerState, string> = { 'on-time': 'On time', near: 'Near', overdue: 'Overdue' };

/** "7:05" style elapsed time, minutes:seconds (hours roll into minutes: a ticket is never that old). */
export function elapsed(ageMs: number): string {
  const seconds = Math.max(0, Math.floor(ageMs / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export interface AllDayCount {
  menuItemId: string;
  name: string;
  /** Still to do: queued plus cooking. */
  quantity: number;
  cooking: number;
}

/** Open quantity per dish across the tickets shown (ready and voided items are done). */
export function allDayCounts(tickets: readonly Ticket[]): AllDayCount[] {
  const counts = new Map<string, AllDayCount>();
  for (const ticket of tickets) {
    for (const item of ticket.items) {
      if (item.status !== 'queued' && item.status !== 'cooking') continue;
      const count = counts.get(item.menuItemId) ?? {
        menuItemId: item.menuItemId,
        name: item.name,
        quantity: 0,
        cooking: 0,
      };
      count.quantity += item.quantity;
      if (item.status === 'cooking') count.cooking += item.quantity;
      counts.set(item.menuItemId, count);
    }
  }
  return [...counts.values()].sort((a, b) => b.quantity - a.quantity || a.name.localeCompare(b.name));
}

/** The stations that have dishes, for the filter. */
export function stationsOf(items: readonly { station: string }[]): string[] {
  return [...new Set(items.map((i) => i.station))].sort((a, b) => a.localeCompare(b));
}

function forward(status: ItemStatus): StatusMove['to'] | null {
  const next = nextKitchenStatus(status);
  return next === 'queued' || next === 'cooking' || next === 'ready' ? next : null;
}

export function itemBump(item: TicketItem): StatusMove | null {
  const to = forward(item.status);
  return to ? { itemId: item.id, from: item.status, to } : null;
}

/** Bumping a ticket moves its least advanced items one step: queued → cooking, then cooking → ready. */
export function ticketBump(ticket: Ticket): StatusMove[] {
  if (ticket.state !== 'queued' && ticket.state !== 'cooking') return [];
  return ticket.items
    .filter((i) => i.status === ticket.state)
    .map(itemBump)
    .filter((m): m is StatusMove => m !== null);
}

/** Ready items back to cooking (a ticket bumped by mistake, seen in the ready view). */
export function ticketUnready(ticket: Ticket): StatusMove[] {
  return ticket.items
    .filter((i) => i.status === 'ready')
    .map((i) => ({ itemId: i.id, from: 'ready' as const, to: 'cooking' as const }));
}

/** Recall: the last bump undone, for the items still where that bump left them. */
export function recallMoves(last: LastBump, current: ReadonlyMap<string, ItemStatus>): StatusMove[] {
  return last.moves
    .filter((m) => current.get(m.itemId) === m.to && (m.from === 'queued' || m.from === 'cooking'))
    .map((m) => ({ itemId: m.itemId, from: m.to, to: m.from as 'queued' | 'cooking' }));
}

/** Orders that are on the board now and were not before: the new-ticket alert. */
export function newTickets(before: ReadonlySet<string> | null, now: readonly Ticket[]): string[] {
  if (before === null) return [];
  return now.filter((t) => !before.has(t.orderId)).map((t) => t.orderId);
}

/**
 * The new tickets, each replaced by its previous object when nothing in it changed: the
 * board memoises its cards, so a bump repaints the bumped ticket, not all sixty.
 */
export function keepUnchanged(previous: readonly Ticket[] | null, next: Ticket[]): Ticket[] {
  if (!previous) return next;
  const before = new Map(previous.map((t) => [t.orderId, t]));
  let same = previous.length === next.length;
  const kept = next.map((ticket, i) => {
    const old = before.get(ticket.orderId);
    const unchanged = old !== undefined && JSON.stringify(old) === JSON.stringify(ticket);
    if (!unchanged || previous[i] !== old) same = false;
    return unchanged ? old : ticket;
  });
  // Nothing changed at all: the same list, so what depends on it does not recompute either.
  return same ? (previous as Ticket[]) : kept;
}
