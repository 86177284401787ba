import { z } from 'zod';
import { DayOrInstantInput, Timestamp } from './text.js';
import { fromDevice } from './fields.js';
import { OrderItem, OrderType, Customer, TicketNumber } from './orders.js';

/**
 * `GET /api/reports/today?from=&to=`. Without them: from local midnight to now. A day as
 * `from` means its start, as `to` its end (the next midnight), in the server's TIMEZONE;
 * times are exact instants.
 */
export const ReportQuery = z
  .object({
    from: DayOrInstantInput.optional(),
    to: DayOrInstantInput.optional(),
  })
  .strict();
export type ReportQuery = z.input<typeof ReportQuery>;

/**
 * Where a page of a report's detail (orders, voids) goes on: opaque to clients, given back
 * as `after`. It is the last row's time and id, so a page is one index range scan however
 * far into the period it is.
 */
export const ReportCursor = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[0-9a-f-]{36}$/, 'must be a `next` of a report page');

/** `GET /api/reports/orders` and `/api/reports/voids`: the next page of the period's detail. */
export const ReportPageQuery = z
  .object({
    from: DayOrInstantInput.optional(),
    to: DayOrInstantInput.optional(),
    after: ReportCursor.optional(),
  })
  .strict();
export type ReportPageQuery = z.input<typeof ReportPageQuery>;

/** How many orders (and voids) a report page holds. */
export const reportPageSize = { orders: 50, voids: 100 } as const;

/** What an order, or a table's orders, came to: the sum over items not voided, and how many are still open (neither served nor voided). */
const orderSums = {
  totalCents: z.number().int(),
  openItems: z.number().int(),
};

export const ReportOrder = z.object({
  id: z.uuid(),
  /** The ticket's number within its business day; null for orders from before numbering. */
  ticketNumber: TicketNumber.nullable(),
  type: OrderType,
  tableId: z.uuid().nullable(),
  tableNumber: z.number().int().nullable(),
  customer: Customer.nullable(),
  staffName: z.string(),
  ...fromDevice,
  createdAt: Timestamp,
  /** Every item, voided ones included (they are marked). */
  items: z.array(OrderItem),
  ...orderSums,
});
export type ReportOrder = z.infer<typeof ReportOrder>;

export const ReportTable = z.object({
  tableId: z.uuid(),
  number: z.number().int(),
  label: z.string(),
  area: z.string().nullable(),
  orders: z.number().int(),
  ...orderSums,
});
export type ReportTable = z.infer<typeof ReportTable>;

export const ReportVoid = z.object({
  itemId: z.uuid(),
  orderId: z.uuid(),
  tableNumber: z.number().int().nullable(),
  name: z.string(),
  quantity: z.number().int(),
  unitPriceCents: z.number().int(),
  reason: z.string().nullable(),
  voidedAt: Timestamp,
  /** Whether the kitchen had started it. */
  afterCookingStarted: z.boolean(),
  voidedByDeviceId: z.uuid(),
  voidedByDeviceName: z.string(),
  voidedByStaffName: z.string(),
});
export type ReportVoid = z.infer<typeof ReportVoid>;

/** What a period sold: its orders, their lines not voided, and their sum. */
const salesFields = {
  orders: z.number().int(),
  items: z.number().int(),
  totalCents: z.number().int(),
};

export const ReportMenuItem = z.object({
  menuItemId: z.uuid(),
  name: z.string(),
  quantity: z.number().int(),
  totalCents: z.number().int(),
  /** Items of this dish that reached ready, and their minutes from sent to ready. */
  readyCount: z.number().int(),
  avgMinutesToReady: z.number().nullable(),
  p90MinutesToReady: z.number().nullable(),
});
export type ReportMenuItem = z.infer<typeof ReportMenuItem>;

/** Sales taken by one waiter (the staff name an order was taken under, on its device). */
export const ReportWaiter = z.object({
  /** As the waiter gave it on the tablet; '' when nobody said. */
  staffName: z.string(),
  ...fromDevice,
  ...salesFields,
});
export type ReportWaiter = z.infer<typeof ReportWaiter>;

/** Sales in one hour of the period (local time in the server's TIMEZONE), hours with none left out. */
export const ReportHour = z.object({
  /** The hour's start, an instant. */
  hour: Timestamp,
  ...salesFields,
});
export type ReportHour = z.infer<typeof ReportHour>;

export const TodayReport = z.object({
  from: Timestamp,
  to: Timestamp,
  timezone: z.string(),
  totals: z.object({
    ...salesFields,
    voidedItems: z.number().int(),
    voidedCents: z.number().int(),
  }),
  /** The period's first orders (a page); `nextOrders` continues them (`GET /api/reports/orders`). */
  orders: z.array(ReportOrder),
  nextOrders: ReportCursor.nullable(),
  tables: z.array(ReportTable),
  /** The period's first voids (a page); `nextVoids` continues them (`GET /api/reports/voids`). */
  voids: z.array(ReportVoid),
  nextVoids: ReportCursor.nullable(),
  menuItems: z.array(ReportMenuItem),
  /** Sales per waiter, the largest first. (No payment state: billing is not part of Chit yet.) */
  waiters: z.array(ReportWaiter),
  /** Sales per hour, in time order. */
  hours: z.array(ReportHour),
});
export type TodayReport = z.infer<typeof TodayReport>;

export const ReportOrdersPage = z.object({ orders: z.array(ReportOrder), next: ReportCursor.nullable() });
export type ReportOrdersPage = z.infer<typeof ReportOrdersPage>;

export const ReportVoidsPage = z.object({ voids: z.array(ReportVoid), next: ReportCursor.nullable() });
export type ReportVoidsPage = z.infer<typeof ReportVoidsPage>;
