import 'fake-indexeddb/auto';
import type { Order } from '@chit/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { ids, serverItem, testUuid } from '../test/fixtures.js';
import { harness, type Harness } from '../test/harness.js';
import { mergeOrder, mergeTableItems } from './cache.js';

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) {
    h.sender.stop();
    h.db.close();
  }
});

function anOrder(): Order {
  const id = testUuid();
  return {
    id,
    ticketNumber: 7,
    type: 'dine_in',
    tableId: ids.table1,
    customer: null,
    note: '',
    deviceId: ids.device,
    staffName: 'Ben',
    deviceTime: null,
    createdAt: '2025-01-01T12:00:00.000Z',
    items: [serverItem({ id: testUuid(), orderId: id, tableId: ids.table1 })],
  };
}

describe("a table's item list", () => {
  it('asked for before an order of this tablet was answered does not void that order', async () => {
    const h = await harness();
    open.push(h);
    const order = anOrder();
    const askedAt = h.clock.now;
    h.clock.now += 1;
    // The order's answer arrives while the list, read before the order committed, is on its way.
    await mergeOrder(h.db, order, h.clock.now);
    await mergeTableItems(h.db, ids.table1, [], askedAt, h.clock.now);
    expect((await h.db.items.get(order.items[0]!.id))?.status).toBe('queued');
  });

  it('asked for after this tablet knew the item, and without it, means it was voided elsewhere', async () => {
    const h = await harness();
    open.push(h);
    const order = anOrder();
    await mergeOrder(h.db, order, h.clock.now);
    h.clock.now += 1;
    await mergeTableItems(h.db, ids.table1, [], h.clock.now, h.clock.now);
    expect((await h.db.items.get(order.items[0]!.id))?.status).toBe('voided');
  });
});
