import { z } from 'zod';
import { DayOrInstantInput } from './text.js';
import { OrderItem, OrderType, Customer } from './orders.js';

const Timestamp = z.iso.datetime({ offset: true });

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

export const ReportOrder = z.object({
  id: z.uuid(),
  type: OrderType,
  tableId: z.uuid().nullable(),
  tableNumber: z.number().int().nullable(),
  customer: Customer.nullable(),
  staffName: z.string(),
  deviceId: z.uuid(),
  deviceName: z.string(),
  createdAt: Timestamp,
  /** Every item, voided ones included (they are marked). */
  items: z.array(OrderItem),
  /** Sum over items that are not voided. */
  totalCents: z.number().int(),
  openItems: z.number().int(),
});
export type ReportOrder = z.infer<typeof ReportOrder>;

export const ReportTable = z.object({
  tableId: z.uuid(),
  number: z.number().int(),
  label: z.string(),
  area: z.string().nullable(),
  orders: z.number().int(),
  totalCents: z.number().int(),
  openItems: z.number().int(),
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

export const TodayReport = z.object({
  from: Timestamp,
  to: Timestamp,
  timezone: z.string(),
  totals: z.object({
    orders: z.number().int(),
    items: z.number().int(),
    totalCents: z.number().int(),
    voidedItems: z.number().int(),
    voidedCents: z.number().int(),
  }),
  orders: z.array(ReportOrder),
  tables: z.array(ReportTable),
  voids: z.array(ReportVoid),
  menuItems: z.array(ReportMenuItem),
});
export type TodayReport = z.infer<typeof TodayReport>;
