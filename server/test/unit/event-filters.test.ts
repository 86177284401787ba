import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isEmpty, matches, toFrame, type EventFilter } from '../../src/events/frames.js';
import type { StoredEvent } from '../../src/events/store.js';
import { pendingText, type Subscriber } from '../../src/events/stream.js';
import { orderItem } from './fixtures.js';

const table = randomUUID();
const otherTable = randomUUID();
const tablet = randomUUID();

function stored(fields: Partial<StoredEvent>): StoredEvent {
  return {
    position: 1,
    type: 'item.changed',
    table_id: table,
    order_id: randomUUID(),
    item_id: randomUUID(),
    station: 'grill',
    device_id: tablet,
    payload: {},
    created_at: '2026-11-30T12:00:00.000Z',
    ...fields,
  };
}

function orderCreated(position: number, stations: string[]): StoredEvent {
  const items = stations.map((station) => orderItem({ station, tableId: table, deviceId: tablet }));
  return stored({
    position,
    type: 'order.created',
    station: null,
    payload: {
      order: {
        id: items[0]!.orderId,
        type: 'dine_in',
        tableId: table,
        customer: null,
        note: '',
        deviceId: tablet,
        staffName: 'Ana',
        deviceTime: null,
        createdAt: '2026-11-30T12:00:00.000Z',
        items,
      },
    },
  });
}

describe("the event stream's filters (no database)", () => {
  it('sends a station the orders with at least one of its dishes, and its items', () => {
    const mixed = toFrame(orderCreated(1, ['grill', 'bar']));
    const barOnly = toFrame(orderCreated(2, ['bar']));
    const grill: EventFilter = { station: 'grill' };
    expect(mixed.stations).toEqual(['grill', 'bar']);
    expect(matches(grill, mixed)).toBe(true);
    expect(matches(grill, barOnly)).toBe(false);
    expect(matches(grill, toFrame(stored({ station: 'grill' })))).toBe(true);
    expect(matches(grill, toFrame(stored({ station: 'fryer' })))).toBe(false);
  });

  it("sends a tablet following a table or a device only that table's or device's events", () => {
    const frame = toFrame(stored({}));
    expect(matches({ tableId: table }, frame)).toBe(true);
    expect(matches({ tableId: otherTable }, frame)).toBe(false);
    expect(matches({ deviceId: tablet }, frame)).toBe(true);
    expect(matches({ deviceId: randomUUID() }, frame)).toBe(false);
  });

  it('sends every device menu and table changes, and a clear to everyone showing that table', () => {
    for (const type of ['menu.availability', 'menu.changed', 'tables.changed'] as const) {
      const frame = toFrame(stored({ type, table_id: null, device_id: randomUUID(), station: null }));
      expect(matches({ tableId: otherTable, deviceId: randomUUID() }, frame), type).toBe(true);
    }
    const cleared = toFrame(stored({ type: 'table.cleared', device_id: randomUUID(), station: null }));
    expect(matches({ tableId: table, deviceId: tablet }, cleared)).toBe(true);
    expect(matches({ tableId: otherTable }, cleared)).toBe(false);
    expect(matches({ deviceId: tablet }, cleared)).toBe(true);
  });

  it('serialises each event once, with its position as the id, and a compact form for new orders only', () => {
    const created = toFrame(orderCreated(7, ['grill']));
    expect(created.text.startsWith('id: 7\ndata: {')).toBe(true);
    expect(created.text.endsWith('\n\n')).toBe(true);
    expect(created.compactText).not.toBe(created.text);
    const changed = toFrame(stored({ position: 8 }));
    expect(changed.compactText).toBe(changed.text);
    expect(isEmpty({})).toBe(true);
    expect(isEmpty({ station: 'grill' })).toBe(false);
  });

  it('never sends a stream an event twice, and moves past the events it does not want', () => {
    const frames = [1, 2, 3].map((position) =>
      toFrame(stored({ position, station: position === 2 ? 'bar' : 'grill' })),
    );
    const sub = { filter: { station: 'grill' }, sent: 1, compact: false } as Subscriber;
    const { text, last } = pendingText(sub, frames);
    expect(last).toBe(3);
    expect(text).toBe(frames[2]!.text);
    expect(pendingText({ ...sub, sent: 3 }, frames)).toEqual({ text: '', last: 3 });
  });
});
