/**
 * What to show where an order's ticket number goes: "#42" once the server has numbered it,
 * "not sent yet" while it is only on this device (the number comes with the server's
 * answer), "#—" for an order stored before ticket numbers existed.
 */
export function ticketNumberText(order: { ticketNumber?: number | null; sync?: 'local' | 'synced' }): string {
  if (order.sync === 'local') return 'not sent yet';
  const n = order.ticketNumber;
  return n === null || n === undefined ? '#—' : `#${n}`;
}
