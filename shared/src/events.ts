import { z } from 'zod';
import { AllergyAckResponse, ChosenModifier, Order, OrderItem } from './orders.js';
import { TableCleared } from './tables.js';
import { Timestamp } from './text.js';

/**
 * What `GET /api/events` streams. `id` is the event's position in the log: it only
 * grows, and a client that reconnects with `Last-Event-ID: <id>` gets every later event
 * exactly once.
 */
const base = {
  id: z.number().int().positive(),
  at: Timestamp,
};

/** The fields of a new order's item whose values follow from the order itself. */
const impliedFields = {
  orderId: true,
  tableId: true,
  status: true,
  version: true,
  deviceId: true,
  staffName: true,
  deviceTime: true,
  createdAt: true,
  updatedAt: true,
  cookingAt: true,
  readyAt: true,
  servedAt: true,
  voidedAt: true,
  voidReason: true,
  updatedByDeviceId: true,
  updatedByStaffName: true,
} as const;

/** A new item's fields that follow from its order: queued, version 1, made with the order. */
export function impliedItemFields(
  order: Pick<Order, 'id' | 'tableId' | 'deviceId' | 'staffName' | 'deviceTime' | 'createdAt'>,
): Pick<OrderItem, keyof typeof impliedFields> {
  return {
    orderId: order.id,
    tableId: order.tableId,
    status: 'queued',
    version: 1,
    deviceId: order.deviceId,
    staffName: order.staffName,
    deviceTime: order.deviceTime,
    createdAt: order.createdAt,
    updatedAt: order.createdAt,
    cookingAt: null,
    readyAt: null,
    servedAt: null,
    voidedAt: null,
    voidReason: null,
    updatedByDeviceId: order.deviceId,
    updatedByStaffName: order.staffName,
  };
}

/** A new order whose items may leave out any field whose value follows from the order. */
const CompactOrder = Order.extend({ items: z.array(OrderItem.partial(impliedFields)) });
export type CompactOrder = z.infer<typeof CompactOrder>;

/**
 * The order as a stream sends it to clients that ask for `compact` (docs/events.md): each
 * item without the fields that equal what follows from the order, about half the bytes.
 * Exact: `expandOrder(compactOrder(order))` is `order`, whatever the items hold.
 */
export function compactOrder(order: Order): CompactOrder {
  const implied: Record<string, unknown> = impliedItemFields(order);
  return {
    ...order,
    items: order.items.map((item) => {
      const kept: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(item)) {
        if (!(key in implied) || implied[key] !== value) kept[key] = value;
      }
      return kept as CompactOrder['items'][number];
    }),
  };
}

export function expandOrder(order: CompactOrder): Order {
  const implied = impliedItemFields(order);
  return { ...order, items: order.items.map((item) => ({ ...implied, ...item })) };
}

export const OrderCreatedEvent = z.object({
  ...base,
  type: z.literal('order.created'),
  // Full or compact on the wire, always the full order once parsed.
  data: z.object({ order: CompactOrder.transform(expandOrder) }),
});

export const ItemChangedEvent = z.object({
  ...base,
  type: z.literal('item.changed'),
  data: z.object({
    item: OrderItem,
    /** Which fields the change touched, e.g. ['status'] or ['quantity', 'note']. */
    changed: z.array(z.enum(['status', 'quantity', 'note', 'modifiers'])),
    previousStatus: z.string(),
    /** The choices before a modifier change (only when `changed` includes 'modifiers'): "was Medium". */
    previousModifiers: z.array(ChosenModifier).optional(),
  }),
});

export const ItemVoidedEvent = z.object({
  ...base,
  type: z.literal('item.voided'),
  data: z.object({
    item: OrderItem,
    /** The kitchen had already started it: the board must make noise. */
    afterCookingStarted: z.boolean(),
  }),
});

/** A cook acknowledged the order's allergy banner: every board shows who and when. */
export const AllergyAcknowledgedEvent = z.object({
  ...base,
  type: z.literal('order.allergy_acknowledged'),
  /** `stations`: of the order's items, so a station's board hears it too. */
  data: AllergyAckResponse.extend({ stations: z.array(z.string()) }),
});

export const MenuAvailabilityEvent = z.object({
  ...base,
  type: z.literal('menu.availability'),
  data: z.object({ menuItemId: z.uuid(), available: z.boolean() }),
});

/**
 * A manager edited the menu (names, prices, modifiers, categories, items added or taken
 * off): reload `GET /api/menu`. Availability changes come as `menu.availability` as well.
 */
export const MenuChangedEvent = z.object({
  ...base,
  type: z.literal('menu.changed'),
  data: z.object({
    menuItemId: z.uuid().nullable(),
    categoryId: z.uuid().nullable(),
  }),
});

/** A manager added, renamed, moved or removed a table: reload `GET /api/tables`. */
export const TablesChangedEvent = z.object({
  ...base,
  type: z.literal('tables.changed'),
  data: z.object({ tableId: z.uuid() }),
});

/** The party at a table left: items served at or before `clearedAt` leave the table's list. */
export const TableClearedEvent = z.object({
  ...base,
  type: z.literal('table.cleared'),
  data: TableCleared,
});

export const ChitEvent = z.discriminatedUnion('type', [
  OrderCreatedEvent,
  ItemChangedEvent,
  ItemVoidedEvent,
  AllergyAcknowledgedEvent,
  MenuAvailabilityEvent,
  MenuChangedEvent,
  TablesChangedEvent,
  TableClearedEvent,
]);
export type ChitEvent = z.infer<typeof ChitEvent>;
export type ChitEventType = ChitEvent['type'];

// Without zod, in plain.ts: the client reads it before it loads the schemas.
export { eventStream } from './plain.js';

/**
 * `event: ready`, sent once at the start of a stream. `resumed: false` means the stream
 * starts from "now" (no cursor, or a cursor this log never reached, e.g. after a restore):
 * load current state over the REST routes and apply later events on top. It then carries
 * `id: <head>` so a reconnect resumes from there.
 */
export const EventStreamReady = z.object({
  head: z.number().int().nonnegative(),
  resumed: z.boolean(),
  /**
   * Why a stream with a cursor did not resume: `expired`, the events after it were pruned
   * (older than the server's retention); `unknown`, the log never reached it. Either way the
   * device reloads its state. Absent when there was no cursor.
   */
  reset: z.enum(['expired', 'unknown']).optional(),
});
export type EventStreamReady = z.infer<typeof EventStreamReady>;
