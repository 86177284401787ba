import { z } from 'zod';
import { limits } from './http.js';

export const ItemStatus = z.enum(['queued', 'cooking', 'ready', 'served', 'voided']);
export type ItemStatus = z.infer<typeof ItemStatus>;

/**
 * Which state an item may move to from each state. Backward moves are the kitchen's
 * "recall" (a ticket bumped by mistake). `voided` is only reachable through DELETE.
 */
export const itemTransitions: Record<ItemStatus, readonly ItemStatus[]> = {
  queued: ['cooking', 'ready', 'voided'],
  cooking: ['ready', 'queued', 'voided'],
  ready: ['served', 'cooking', 'voided'],
  served: [],
  voided: [],
};

export function canTransition(from: ItemStatus, to: ItemStatus): boolean {
  return itemTransitions[from].includes(to);
}

/** The state a kitchen "bump" moves an item to, or null when the kitchen is done with it. */
export function nextKitchenStatus(status: ItemStatus): ItemStatus | null {
  switch (status) {
    case 'queued':
      return 'cooking';
    case 'cooking':
      return 'ready';
    case 'ready':
    case 'served':
    case 'voided':
      return null;
  }
}

const Note = z.string().trim().max(limits.maxNoteLength, `A note can be at most ${limits.maxNoteLength} characters.`);
const StaffName = z.string().trim().max(limits.maxStaffNameLength);
const Quantity = z
  .number()
  .int('Quantity must be a whole number.')
  .min(1, 'Quantity must be at least 1.')
  .max(limits.maxQuantity, `Quantity can be at most ${limits.maxQuantity}.`);
const Timestamp = z.iso.datetime({ offset: true });

export const CreateOrderItem = z.object({
  id: z.uuid(),
  menuItemId: z.uuid(),
  quantity: Quantity,
  modifierOptionIds: z.array(z.uuid()).max(limits.maxModifiersPerItem).default([]),
  note: Note.default(''),
});
export type CreateOrderItem = z.input<typeof CreateOrderItem>;

export const CreateOrderRequest = z
  .object({
    id: z.uuid(),
    tableId: z.uuid(),
    items: z
      .array(CreateOrderItem)
      .min(1, 'An order needs at least one item.')
      .max(limits.maxItemsPerOrder, `An order can have at most ${limits.maxItemsPerOrder} items.`),
    note: z.string().trim().max(limits.maxOrderNoteLength).default(''),
    staffName: StaffName.default(''),
    /** When the waiter pressed Send, by the tablet's clock (which may be wrong). */
    deviceTime: Timestamp.optional(),
  })
  .superRefine((order, ctx) => {
    const seen = new Set<string>();
    order.items.forEach((item, index) => {
      if (seen.has(item.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'id'],
          message: 'Item ids must be unique within an order.',
        });
      }
      seen.add(item.id);
    });
  });
export type CreateOrderRequest = z.input<typeof CreateOrderRequest>;
export type CreateOrderInput = z.output<typeof CreateOrderRequest>;

export const ChosenModifier = z.object({
  groupId: z.uuid(),
  groupName: z.string(),
  optionId: z.uuid(),
  name: z.string(),
  priceDeltaCents: z.number().int(),
});
export type ChosenModifier = z.infer<typeof ChosenModifier>;

export const OrderItem = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  tableId: z.uuid(),
  menuItemId: z.uuid(),
  name: z.string(),
  station: z.string(),
  /** Price of one unit, modifiers included, as it was when ordered. */
  unitPriceCents: z.number().int(),
  quantity: z.number().int(),
  modifiers: z.array(ChosenModifier),
  note: z.string(),
  cookMinutes: z.number().int().positive(),
  status: ItemStatus,
  /** Goes up by one with every change; send it back in If-Match. */
  version: z.number().int().positive(),
  deviceId: z.uuid(),
  staffName: z.string(),
  deviceTime: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  cookingAt: Timestamp.nullable(),
  readyAt: Timestamp.nullable(),
  servedAt: Timestamp.nullable(),
  voidedAt: Timestamp.nullable(),
  voidReason: z.string().nullable(),
  /** Device and staff name of the last change. */
  updatedByDeviceId: z.uuid(),
  updatedByStaffName: z.string(),
});
export type OrderItem = z.infer<typeof OrderItem>;

export const Order = z.object({
  id: z.uuid(),
  tableId: z.uuid(),
  note: z.string(),
  deviceId: z.uuid(),
  staffName: z.string(),
  deviceTime: Timestamp.nullable(),
  createdAt: Timestamp,
  items: z.array(OrderItem),
});
export type Order = z.infer<typeof Order>;

export const CreateOrderResponse = z.object({ order: Order });
export type CreateOrderResponse = z.infer<typeof CreateOrderResponse>;

export const TableItemsResponse = z.object({ items: z.array(OrderItem) });
export type TableItemsResponse = z.infer<typeof TableItemsResponse>;

/**
 * `GET /api/orders/open`: what the kitchen is working on — every order with an item still
 * queued, cooking or ready, or voided in the last `voidedWithinMinutes` after cooking
 * started (the board keeps flagging those), each with all its items.
 */
export const OpenOrdersQuery = z.object({
  station: z.string().trim().min(1).max(40).optional(),
  voidedWithinMinutes: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(15),
});
export type OpenOrdersQuery = z.input<typeof OpenOrdersQuery>;

export const OpenOrdersResponse = z.object({
  orders: z.array(Order),
  /**
   * The event log's position when this snapshot was read: stream from here
   * (`/api/events?after=`) to miss nothing. Events of changes already in the snapshot may
   * arrive again; apply them by item `version`.
   */
  eventPosition: z.number().int().min(0),
});
export type OpenOrdersResponse = z.infer<typeof OpenOrdersResponse>;

export const ItemResponse = z.object({ item: OrderItem });
export type ItemResponse = z.infer<typeof ItemResponse>;

export const PatchItemRequest = z
  .object({
    quantity: Quantity.optional(),
    note: Note.optional(),
    status: ItemStatus.exclude(['voided']).optional(),
    staffName: StaffName.optional(),
  })
  .strict()
  .refine((patch) => patch.quantity !== undefined || patch.note !== undefined || patch.status !== undefined, {
    message: 'Change at least one of quantity, note or status.',
  });
export type PatchItemRequest = z.input<typeof PatchItemRequest>;

export const VoidItemRequest = z
  .object({
    reason: z.string().trim().max(limits.maxNoteLength).optional(),
    staffName: StaffName.optional(),
  })
  .strict();
export type VoidItemRequest = z.input<typeof VoidItemRequest>;
