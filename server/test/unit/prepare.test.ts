import { randomUUID } from 'node:crypto';
import { CreateOrderRequest } from '@chit/shared';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/http/errors.js';
import { prepareOrder, randomCookMinutes } from '../../src/orders/prepare.js';
import { actor, catalog, menuItem, thrown } from './fixtures.js';

const clock = { now: () => new Date('2026-11-30T12:00:00.000Z') };
const random = () => 0.5;

const size = {
  id: randomUUID(),
  name: 'Size',
  minChoices: 1,
  maxChoices: 1,
  options: [
    { id: randomUUID(), name: 'Small', priceDeltaCents: -200 },
    { id: randomUUID(), name: 'Large', priceDeltaCents: 300 },
  ],
};
const extras = {
  id: randomUUID(),
  name: 'Extras',
  minChoices: 0,
  maxChoices: 2,
  options: [{ id: randomUUID(), name: 'Bacon', priceDeltaCents: 150 }],
};

function dineIn(tableId: string, lines: { menuItemId: string; modifierOptionIds?: string[]; quantity?: number }[]) {
  return CreateOrderRequest.parse({
    id: randomUUID(),
    tableId,
    items: lines.map((line) => ({ id: randomUUID(), quantity: 1, ...line })),
  });
}

function refusal(fn: () => unknown): { status: number; code: string; message: string; paths: string[] } {
  const err = thrown(fn);
  if (!(err instanceof HttpError)) throw err;
  return {
    status: err.status,
    code: err.code,
    message: err.message,
    paths: (err.extra.details ?? []).map((d) => d.path),
  };
}

describe('preparing an order (no database)', () => {
  const table = randomUUID();
  const tables: [string, { number: number; archived: boolean }][] = [[table, { number: 7, archived: false }]];

  it('prices each line with its options and records the names and prices it was ordered at', () => {
    const burger = menuItem({ name: 'Burger', priceCents: 1200, modifierGroups: [size, extras] });
    const waiter = actor('waiter', 'Ana');
    const input = dineIn(table, [
      { menuItemId: burger.id, modifierOptionIds: [size.options[1]!.id, extras.options[0]!.id], quantity: 2 },
    ]);
    const order = prepareOrder(catalog([burger], tables), input, waiter, clock, random);
    expect(order).toMatchObject({ id: input.id, type: 'dine_in', tableId: table, customer: null, staffName: 'Ana' });
    expect(order.items).toHaveLength(1);
    expect(order.items[0]).toMatchObject({
      name: 'Burger',
      unitPriceCents: 1200 + 300 + 150,
      quantity: 2,
      line: 1,
      status: 'queued',
      version: 1,
      cookMinutes: 8,
      deviceId: waiter.device.id,
      createdAt: '2026-11-30T12:00:00.000Z',
    });
    expect(order.items[0]!.modifiers.map((m) => [m.groupName, m.name, m.priceDeltaCents])).toEqual([
      ['Size', 'Large', 300],
      ['Extras', 'Bacon', 150],
    ]);
  });

  it('gives a dish without a prep time a cook time of 5 to 15 minutes', () => {
    const soup = menuItem({ prepMinutes: null });
    const order = prepareOrder(
      catalog([soup], tables),
      dineIn(table, [{ menuItemId: soup.id }]),
      actor(),
      clock,
      () => 0,
    );
    expect(order.items[0]!.cookMinutes).toBe(5);
    expect(randomCookMinutes(() => 0.999)).toBe(15);
  });

  it('keeps a takeaway customer without address or phone and gives the order no table', () => {
    const soup = menuItem();
    const input = CreateOrderRequest.parse({
      id: randomUUID(),
      type: 'takeaway',
      customer: { name: 'Rui' },
      items: [{ id: randomUUID(), menuItemId: soup.id, quantity: 1 }],
    });
    const order = prepareOrder(catalog([soup]), input, actor(), clock, random);
    expect(order.tableId).toBeNull();
    expect(order.items[0]!.tableId).toBeNull();
    expect(order.customer).toEqual({ name: 'Rui', address: null, phone: null });
  });

  it('refuses an unknown table and a removed one', () => {
    const soup = menuItem();
    const removed = randomUUID();
    const c = catalog([soup], [...tables, [removed, { number: 9, archived: true }]]);
    expect(
      refusal(() => prepareOrder(c, dineIn(randomUUID(), [{ menuItemId: soup.id }]), actor(), clock, random)),
    ).toMatchObject({
      status: 422,
      code: 'table_not_found',
    });
    expect(
      refusal(() => prepareOrder(c, dineIn(removed, [{ menuItemId: soup.id }]), actor(), clock, random)),
    ).toMatchObject({
      code: 'table_not_found',
      message: 'Table 9 has been removed.',
    });
  });

  it('refuses the whole order for the first kind of problem, naming every line that has it', () => {
    const gone = menuItem({ name: 'Stew', archived: true });
    const off = menuItem({ name: 'Pie', available: false });
    const c = catalog([gone, off], tables);
    const unknown = randomUUID();
    const both = dineIn(table, [{ menuItemId: gone.id }, { menuItemId: unknown }, { menuItemId: off.id }]);
    expect(refusal(() => prepareOrder(c, both, actor(), clock, random))).toEqual({
      status: 422,
      code: 'menu_item_not_found',
      message: `Menu item ${unknown} is not on the menu.`,
      paths: ['items.1.menuItemId'],
    });
    const unavailable = dineIn(table, [{ menuItemId: gone.id }, { menuItemId: off.id }]);
    expect(refusal(() => prepareOrder(c, unavailable, actor(), clock, random))).toEqual({
      status: 422,
      code: 'menu_item_unavailable',
      message: 'Stew is no longer on the menu. Pie is not available right now.',
      paths: ['items.0.menuItemId', 'items.1.menuItemId'],
    });
  });

  it('refuses missing or unknown options, and a price below nothing', () => {
    const burger = menuItem({ name: 'Burger', priceCents: 100, modifierGroups: [size] });
    const c = catalog([burger], tables);
    expect(
      refusal(() => prepareOrder(c, dineIn(table, [{ menuItemId: burger.id }]), actor(), clock, random)),
    ).toMatchObject({
      code: 'modifier_choice_invalid',
      paths: ['items.0.modifierOptionIds'],
    });
    const small = dineIn(table, [{ menuItemId: burger.id, modifierOptionIds: [size.options[0]!.id] }]);
    expect(refusal(() => prepareOrder(c, small, actor(), clock, random))).toMatchObject({
      code: 'unit_price_negative',
      paths: ['items.0.modifierOptionIds'],
    });
  });
});
