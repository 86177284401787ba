import type { Customer, OrderType } from '@chit/shared';

const typeName: Record<OrderType, string> = { dine_in: 'Dine-in', takeaway: 'Takeaway', delivery: 'Delivery' };

/** What staff call an order without a table, on every screen: "Takeaway · Mia", "Delivery · Jon". */
export function customerLabel(order: { type: OrderType; customer: Pick<Customer, 'name'> | null }): string {
  return `${typeName[order.type]} · ${order.customer?.name ?? '?'}`;
}
