import { describe, expect, it } from 'vitest';
import { ChitEvent, compactOrder, expandOrder } from './events.js';
import type { Order, OrderItem } from './orders.js';

const at = '2026-11-22T19:30:00.000Z';
const head = {
  id: '10000000-0000-4000-8000-000000000001',
  ticketNumber: 3,
  type: 'dine_in' as const,
  tableId: '20000000-0000-4000-8000-000000000002',
  customer: null,
  note: 'birthday',
  deviceId: '30000000-0000-4000-8000-000000000003',
  staffName: 'Ana',
  deviceTime: '2026-11-22T19:29:58.000Z',
  createdAt: at,
};

/** What a line says of its own: none of it follows from the order. */
const burger = {
  menuItemId: '50000000-0000-4000-8000-000000000005',
  name: 'Burger',
  station: 'grill',
  unitPriceCents: 1350,
  quantity: 2,
  modifiers: [],
  note: 'no pickles',
  cookMinutes: 10,
};

function item(line: number, changes: Partial<OrderItem> = {}): OrderItem {
  return {
    id: `40000000-0000-4000-8000-00000000000${line}`,
    orderId: head.id,
    tableId: head.tableId,
    ...burger,
    line,
    status: 'queued',
    version: 1,
    deviceId: head.deviceId,
    staffName: head.staffName,
    deviceTime: head.deviceTime,
    createdAt: at,
    updatedAt: at,
    cookingAt: null,
    readyAt: null,
    servedAt: null,
    voidedAt: null,
    voidReason: null,
    updatedByDeviceId: head.deviceId,
    updatedByStaffName: head.staffName,
    ...changes,
  };
}

const order: Order = { ...head, items: [item(1), item(2, { quantity: 1, note: '' })] };

describe('compact orders on the event stream', () => {
  it('leave out what follows from the order, and come back whole', () => {
    const compact = compactOrder(order);
    expect(compact.items[0]).toEqual({ id: order.items[0]!.id, ...burger, line: 1 });
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(order).length / 2);
    expect(expandOrder(compact)).toEqual(order);
  });

  it('keep every field that differs from what the order implies', () => {
    const odd: Order = {
      ...order,
      items: [item(1, { status: 'cooking', version: 3, cookingAt: at, updatedByStaffName: 'Chef', tableId: null })],
    };
    const compact = compactOrder(odd);
    expect(compact.items[0]).toMatchObject({ status: 'cooking', version: 3, cookingAt: at, tableId: null });
    expect(expandOrder(compact)).toEqual(odd);
  });

  it('parse to the same event whether the order came full or compact', () => {
    const event = { id: 7, at, type: 'order.created', data: { order } };
    const full = ChitEvent.parse(event);
    const compact = ChitEvent.parse(JSON.parse(JSON.stringify({ ...event, data: { order: compactOrder(order) } })));
    expect(compact).toEqual(full);
    expect(full).toEqual(event);
  });
});
