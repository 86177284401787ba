import { z } from 'zod';
import { Order, OrderItem } from './orders.js';

/**
 * What `GET /api/events` streams. `id` is the event's position in the log: it only
 * grows, and a client that reconnects with `Last-Event-ID: <id>` gets every later event
 * exactly once.
 */
const base = {
  id: z.number().int().positive(),
  at: z.iso.datetime({ offset: true }),
};

export const OrderCreatedEvent = z.object({
  ...base,
  type: z.literal('order.created'),
  data: z.object({ order: Order }),
});

export const ItemChangedEvent = z.object({
  ...base,
  type: z.literal('item.changed'),
  data: z.object({
    item: OrderItem,
    /** Which fields the change touched, e.g. ['status'] or ['quantity', 'note']. */
    changed: z.array(z.enum(['status', 'quantity', 'note'])),
    previousStatus: z.string(),
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

export const ChitEvent = z.discriminatedUnion('type', [
  OrderCreatedEvent,
  ItemChangedEvent,
  ItemVoidedEvent,
  MenuAvailabilityEvent,
  MenuChangedEvent,
  TablesChangedEvent,
]);
export type ChitEvent = z.infer<typeof ChitEvent>;
export type ChitEventType = ChitEvent['type'];
