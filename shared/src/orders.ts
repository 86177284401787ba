import { z } from 'zod';
import { InstantInput, Text, Timestamp } from './text.js';
import { changesSomething, fromDevice, minutesUpToADay, StaffName } from './fields.js';
import { limits } from './http.js';
import { ModifierOption } from './menu.js';

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

const Note = Text.trim().max(limits.maxNoteLength, `A note can be at most ${limits.maxNoteLength} characters.`);
const Quantity = z
  .number()
  .int('Quantity must be a whole number.')
  .min(1, 'Quantity must be at least 1.')
  .max(limits.maxQuantity, `Quantity can be at most ${limits.maxQuantity}.`);

/**
 * An allergy the waiter flags on an order or one of its lines: allergens from the menu's
 * list (dishes carry `allergens`) and/or free text. The kitchen sees it in a banner and must
 * acknowledge it before the ticket's first bump.
 */
export const Allergy = z
  .object({
    allergens: z
      .array(
        Text.trim()
          .toLowerCase()
          .min(1, 'An allergen needs a name.')
          .max(limits.maxAllergenLength, `An allergen can be at most ${limits.maxAllergenLength} characters.`),
      )
      .max(limits.maxAllergens, `An allergy can name at most ${limits.maxAllergens} allergens.`)
      .default([])
      .refine((list) => new Set(list).size === list.length, 'Name each allergen once.'),
    note: Text.trim()
      .max(limits.maxAllergyNoteLength, `An allergy note can be at most ${limits.maxAllergyNoteLength} characters.`)
      .default(''),
  })
  .strict()
  .refine((a) => a.allergens.length > 0 || a.note.length > 0, {
    message: 'An allergy names an allergen or says what it is.',
  });
export type Allergy = z.infer<typeof Allergy>;
export type AllergyInput = z.input<typeof Allergy>;

/** Who acknowledged an order's allergy in the kitchen, and when (server time). */
export const AllergyAck = z.object({
  at: Timestamp,
  ...fromDevice,
  staffName: z.string(),
});
export type AllergyAck = z.infer<typeof AllergyAck>;

export const CreateOrderItem = z.object({
  id: z.uuid(),
  menuItemId: z.uuid(),
  quantity: Quantity,
  modifierOptionIds: z.array(z.uuid()).max(limits.maxModifiersPerItem).default([]),
  note: Note.default(''),
  /** This line's allergy (absent or null: none). */
  allergy: Allergy.nullish(),
});
export type CreateOrderItem = z.input<typeof CreateOrderItem>;

export const OrderType = z.enum(['dine_in', 'takeaway', 'delivery']);
export type OrderType = z.infer<typeof OrderType>;

const CustomerName = Text.trim()
  .min(1, "Give the customer's name.")
  .max(limits.maxStaffNameLength, `A name can be at most ${limits.maxStaffNameLength} characters.`);

/** Who a takeaway or delivery order is for. */
export const Customer = z.object({
  name: CustomerName,
  address: Text.trim()
    .min(1, 'Give the delivery address.')
    .max(limits.maxAddressLength, `An address can be at most ${limits.maxAddressLength} characters.`)
    .nullable(),
  phone: Text.trim()
    .regex(/^\+?[0-9][0-9 ()./-]{2,29}$/, 'Give a phone number of digits, spaces and + ( ) - . /')
    .nullable(),
});
export type Customer = z.infer<typeof Customer>;

const orderFields = {
  id: z.uuid(),
  items: z
    .array(CreateOrderItem)
    .min(1, 'An order needs at least one item.')
    .max(limits.maxItemsPerOrder, `An order can have at most ${limits.maxItemsPerOrder} items.`),
  note: Text.trim().max(limits.maxOrderNoteLength).default(''),
  /** An allergy of the whole party or order (absent or null: none). */
  allergy: Allergy.nullish(),
  staffName: StaffName.default(''),
  /** When the waiter pressed Send, by the tablet's clock (which may be wrong). */
  deviceTime: InstantInput.optional(),
};

/** Without `type`, an order is dine-in: requests from before order types stay valid. */
export const DineInOrderRequest = z.object({
  ...orderFields,
  type: z.literal('dine_in').default('dine_in'),
  tableId: z.uuid(),
});

/** Takeaway and delivery orders have no table; sending one is a mistake worth refusing. */
const NoTable = z.undefined({ error: 'A takeaway or delivery order has no table.' }).optional();

export const TakeawayOrderRequest = z.object({
  ...orderFields,
  type: z.literal('takeaway'),
  tableId: NoTable,
  customer: Customer.pick({ name: true }),
});

export const DeliveryOrderRequest = z.object({
  ...orderFields,
  type: z.literal('delivery'),
  tableId: NoTable,
  customer: Customer.extend({ address: Customer.shape.address.unwrap(), phone: Customer.shape.phone.unwrap() }),
});

export const CreateOrderRequest = z
  .discriminatedUnion('type', [DineInOrderRequest, TakeawayOrderRequest, DeliveryOrderRequest])
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
  /** As the option was when ordered. */
  ...ModifierOption.pick({ name: true, priceDeltaCents: true }).shape,
});
export type ChosenModifier = z.infer<typeof ChosenModifier>;

export const OrderItem = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  /** The order's table; null for takeaway and delivery. */
  tableId: z.uuid().nullable(),
  menuItemId: z.uuid(),
  name: z.string(),
  station: z.string(),
  /** Price of one unit, modifiers included, as it was when ordered. */
  unitPriceCents: z.number().int(),
  quantity: z.number().int(),
  modifiers: z.array(ChosenModifier),
  note: z.string(),
  cookMinutes: z.number().int().positive(),
  /** This line's allergy; absent or null when none. */
  allergy: Allergy.nullish(),
  /** 1-based position of the item in its order, as the waiter entered it: tickets list items in this order. */
  line: z.number().int().positive(),
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

/**
 * The short number a ticket is called by ("#42"): given by the server when it stores the
 * order, counted from 1 each business day (which starts at the server's
 * `BUSINESS_DAY_START`, e.g. 04:00). Unique within its business day.
 */
export const TicketNumber = z.number().int().positive();

export const Order = z.object({
  id: z.uuid(),
  /** Null only for orders stored before ticket numbers existed. */
  ticketNumber: TicketNumber.nullable(),
  type: OrderType,
  /** Null for takeaway and delivery. */
  tableId: z.uuid().nullable(),
  /** Null for dine-in; address and phone are null for takeaway. */
  customer: Customer.nullable(),
  note: z.string(),
  /** The order's own allergy; absent or null when none (its lines may still have one). */
  allergy: Allergy.nullish(),
  /** The kitchen's acknowledgement of the order's allergies (its own and its lines'); null until then. */
  allergyAck: AllergyAck.nullish(),
  deviceId: z.uuid(),
  staffName: z.string(),
  deviceTime: Timestamp.nullable(),
  createdAt: Timestamp,
  items: z.array(OrderItem),
});
export type Order = z.infer<typeof Order>;

/** Whether an order carries an allergy the kitchen must acknowledge: its own or a line's. */
export function hasAllergy(order: Pick<Order, 'allergy'> & { items: readonly Pick<OrderItem, 'allergy'>[] }): boolean {
  return Boolean(order.allergy) || order.items.some((i) => Boolean(i.allergy));
}

/** `POST /api/orders/:orderId/allergy-ack`: a cook has read the allergy banner. */
export const AllergyAckRequest = z.object({ staffName: StaffName.optional() }).strict();
export type AllergyAckRequest = z.input<typeof AllergyAckRequest>;

export const AllergyAckResponse = z.object({ orderId: z.uuid(), allergyAck: AllergyAck });
export type AllergyAckResponse = z.infer<typeof AllergyAckResponse>;

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
  station: Text.trim().min(1).max(40).optional(),
  voidedWithinMinutes: minutesUpToADay(z.coerce.number(), 0),
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

/** `GET /api/orders/:orderId`: the same shape as creating it. */
export const OrderResponse = CreateOrderResponse;
export type OrderResponse = z.infer<typeof OrderResponse>;

export const PatchItemRequest = z
  .object({
    quantity: Quantity.optional(),
    note: Note.optional(),
    status: ItemStatus.exclude(['voided']).optional(),
    /**
     * The item's new choices, all of them (sizes, toppings): replaces the current ones. Only
     * while the item is queued; once cooking started a different dish is a void and a new line.
     */
    modifierOptionIds: CreateOrderItem.shape.modifierOptionIds.unwrap().optional(),
    staffName: StaffName.optional(),
  })
  .strict()
  .refine(changesSomething, { message: 'Change at least one of quantity, note, status or modifierOptionIds.' });
export type PatchItemRequest = z.input<typeof PatchItemRequest>;

export const VoidItemRequest = z
  .object({
    reason: Text.trim().max(limits.maxNoteLength).optional(),
    staffName: StaffName.optional(),
  })
  .strict();
export type VoidItemRequest = z.input<typeof VoidItemRequest>;
