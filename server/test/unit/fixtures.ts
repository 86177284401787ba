import { randomUUID } from 'node:crypto';
import type { Device, MenuItem, OrderItem } from '@chit/shared';
import type { Actor } from '../../src/actor.js';
import type { Catalog } from '../../src/orders/catalog.js';

// Plain values for the unit tier: no database, no server.

export function actor(role: Device['role'] = 'waiter', staffName = 'Ana'): Actor {
  return {
    device: {
      id: randomUUID(),
      name: `${role} tablet`,
      role,
      createdAt: '2026-11-30T10:00:00.000Z',
      lastSeenAt: null,
      revokedAt: null,
      appVersion: null,
    },
    staffName,
  };
}

export function menuItem(fields: Partial<MenuItem & { archived: boolean }> = {}): MenuItem & { archived: boolean } {
  return {
    id: randomUUID(),
    categoryId: randomUUID(),
    name: 'Soup',
    description: '',
    priceCents: 650,
    prepMinutes: 8,
    station: 'kitchen',
    available: true,
    allergens: [],
    modifierGroups: [],
    archived: false,
    ...fields,
  };
}

export function catalog(
  items: (MenuItem & { archived: boolean })[],
  tables: [string, { number: number; archived: boolean }][] = [],
): Catalog {
  return { version: 1, menuItems: new Map(items.map((i) => [i.id, i])), tables: new Map(tables) };
}

export function orderItem(fields: Partial<OrderItem> = {}): OrderItem {
  const by = randomUUID();
  return {
    id: randomUUID(),
    orderId: randomUUID(),
    tableId: randomUUID(),
    menuItemId: randomUUID(),
    name: 'Soup',
    station: 'kitchen',
    unitPriceCents: 650,
    quantity: 1,
    modifiers: [],
    note: '',
    cookMinutes: 8,
    line: 1,
    status: 'queued',
    version: 1,
    deviceId: by,
    staffName: 'Ana',
    deviceTime: null,
    createdAt: '2026-11-30T12:00:00.000Z',
    updatedAt: '2026-11-30T12:00:00.000Z',
    cookingAt: null,
    readyAt: null,
    servedAt: null,
    voidedAt: null,
    voidReason: null,
    updatedByDeviceId: by,
    updatedByStaffName: 'Ana',
    ...fields,
  };
}

/** The error `fn` throws, to assert on its code and details. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected it to throw');
}
