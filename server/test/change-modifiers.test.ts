import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import type { Api } from './harness.js';
import { type Fixtures, appTest, snapshotCounts, type TestDatabase } from './harness.js';

let db: TestDatabase;
let waiter: Api;
let kitchen: Api;
let fx: Fixtures;

const it = appTest();

it.beforeAll(({ app }) => {
  ({ db, waiter, kitchen, fx } = app);
});

/** Places the fixture order (a medium pizza with pepperoni first) and answers the pizza's path. */
async function pizzaOn(tableNumber: number): Promise<{ path: string; itemId: string }> {
  const order = fx.order(tableNumber);
  expect((await waiter.post('/api/orders', order)).status).toBe(201);
  const itemId = order.items[0]!.id;
  return { path: `/api/tables/${fx.table(tableNumber).id}/items/${itemId}`, itemId };
}

function priceOf(...options: string[]): number {
  const pizza = fx.item('Margherita');
  const deltas = pizza.modifierGroups.flatMap((g) => g.options).filter((o) => options.includes(o.name));
  return pizza.priceCents + deltas.reduce((sum, o) => sum + o.priceDeltaCents, 0);
}

describe("changing a queued item's size and toppings", () => {
  it('re-prices the item, bumps its version and tells the kitchen what it was', async () => {
    const { path, itemId } = await pizzaOn(40);
    const large = fx.option('Margherita', 'Large');
    const mushroom = fx.option('Margherita', 'Mushroom');
    const res = await waiter.patch(path, { modifierOptionIds: [large, mushroom], staffName: 'Ben' }, undefined, {
      'if-match': '"1"',
    });
    expect(res.status).toBe(200);
    expect(res.body.item).toMatchObject({
      version: 2,
      status: 'queued',
      unitPriceCents: priceOf('Large', 'Mushroom'),
      updatedByStaffName: 'Ben',
    });
    expect(res.body.item.modifiers.map((m: { name: string }) => m.name)).toEqual(['Large', 'Mushroom']);
    expect((await waiter.get(path)).body.item).toEqual(res.body.item);

    const { rows } = await db.pool.query(
      `SELECT payload FROM events WHERE type = 'item.changed' AND payload -> 'item' ->> 'id' = $1`,
      [itemId],
    );
    expect(rows).toHaveLength(1);
    const data = rows[0].payload;
    expect(data.changed).toEqual(['modifiers']);
    expect(data.item).toEqual(res.body.item);
    expect(data.previousModifiers.map((m: { name: string }) => m.name)).toEqual(['Medium', 'Pepperoni']);
  });

  it('changes choices together with quantity and note in one write', async () => {
    const { path } = await pizzaOn(41);
    const res = await waiter.patch(path, {
      quantity: 2,
      note: 'well done',
      modifierOptionIds: [fx.option('Margherita', 'Small')],
    });
    expect(res.status).toBe(200);
    expect(res.body.item).toMatchObject({
      quantity: 2,
      note: 'well done',
      version: 2,
      unitPriceCents: priceOf('Small'),
    });
  });

  it('refuses once the kitchen started cooking, saying to void and add a new line, and changes nothing', async () => {
    const { path } = await pizzaOn(42);
    expect((await kitchen.patch(path, { status: 'cooking' })).status).toBe(200);
    const before = await snapshotCounts(db.pool);
    const res = await waiter.patch(path, { modifierOptionIds: [fx.option('Margherita', 'Large')] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('item_already_cooking');
    expect(res.body.error.message).toMatch(/Void it and add a new line/);
    expect(await snapshotCounts(db.pool)).toEqual(before);
    const item = (await waiter.get(path)).body.item;
    expect(item).toMatchObject({ status: 'cooking', version: 2, unitPriceCents: priceOf('Medium', 'Pepperoni') });
    // The same choices again are no change, so they are not refused.
    const same = await waiter.patch(path, {
      modifierOptionIds: item.modifiers.map((m: { optionId: string }) => m.optionId),
    });
    expect(same.status).toBe(200);
    expect(same.body.item.version).toBe(2);
  });

  it('refuses choices the dish does not allow or does not have, with a message per problem', async () => {
    const { path } = await pizzaOn(43);
    const before = await snapshotCounts(db.pool);
    const twoSizes = await waiter.patch(path, {
      modifierOptionIds: [fx.option('Margherita', 'Small'), fx.option('Margherita', 'Large')],
    });
    expect(twoSizes.status).toBe(422);
    expect(twoSizes.body.error.code).toBe('modifier_choice_invalid');
    expect(twoSizes.body.error.message).toMatch(/at most 1 size/);
    const noSize = await waiter.patch(path, { modifierOptionIds: [] });
    expect(noSize.status).toBe(422);
    expect(noSize.body.error.code).toBe('modifier_choice_invalid');
    const otherDish = await waiter.patch(path, {
      modifierOptionIds: [fx.option('Margherita', 'Medium'), randomUUID()],
    });
    expect(otherDish.status).toBe(422);
    expect(otherDish.body.error.code).toBe('modifier_choice_invalid');
    const notUuid = await waiter.patch(path, { modifierOptionIds: ['large'] });
    expect(notUuid.status).toBe(400);
    expect(await snapshotCounts(db.pool)).toEqual(before);
    expect((await waiter.get(path)).body.item.version).toBe(1);
  });

  it('refuses new choices for a dish that is 86ed', async () => {
    const { path } = await pizzaOn(44);
    const pizza = fx.item('Margherita');
    expect((await kitchen.patch(`/api/menu/items/${pizza.id}/availability`, { available: false })).status).toBe(200);
    try {
      const res = await waiter.patch(path, { modifierOptionIds: [fx.option('Margherita', 'Large')] });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('menu_item_unavailable');
    } finally {
      await kitchen.patch(`/api/menu/items/${pizza.id}/availability`, { available: true });
    }
  });

  it('does not let the kitchen change choices', async () => {
    const { path } = await pizzaOn(45);
    const res = await kitchen.patch(path, { modifierOptionIds: [fx.option('Margherita', 'Large')] });
    expect(res.status).toBe(403);
  });

  it('a replay with the same Idempotency-Key answers the first answer and changes nothing more', async () => {
    const { path } = await pizzaOn(46);
    const key = randomUUID();
    const body = { modifierOptionIds: [fx.option('Margherita', 'Large'), fx.option('Margherita', 'Extra cheese')] };
    const first = await waiter.patch(path, body, key);
    expect(first.status).toBe(200);
    const after = await snapshotCounts(db.pool);
    const replay = await waiter.patch(path, body, key);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(await snapshotCounts(db.pool)).toEqual(after);
    expect((await waiter.get(path)).body.item.version).toBe(2);
  });
});
