import { describe, expect, it } from 'vitest';
import { ids } from '../../test/fixtures.js';
import { harnesses, outboxRequests } from '../../test/harness.js';
import { addToCart } from '../writes.js';
import { placeOrder } from './createOrder.js';
import { changeItem } from './patchItem.js';

const setup = harnesses();

/** A small Margherita placed at table 1; answers its row id. */
async function smallPizza(h: Awaited<ReturnType<typeof setup>>): Promise<string> {
  await addToCart(h.db, h.ctx, ids.table1, {
    menuItemId: ids.pizza,
    modifierOptionIds: [ids.small],
    quantity: 1,
    note: '',
  });
  const placed = await placeOrder(h.db, h.ctx, { cartId: ids.table1, staffName: 'Ana' });
  if (!placed.ok || !placed.orderId) throw new Error('could not place the order');
  const [row] = await h.db.items.where('orderId').equals(placed.orderId).toArray();
  return row!.id;
}

describe("changing a queued item's size and toppings", () => {
  it('shows the new choices and price at once and sends them as modifierOptionIds', async () => {
    const h = await setup();
    const itemId = await smallPizza(h);
    await h.sender.kick();
    expect(await h.db.outbox.count()).toBe(0);

    const result = await changeItem(h.db, h.ctx, itemId, { modifierOptionIds: [ids.large, ids.mushroom] }, 'Ben');
    expect(result).toEqual({ ok: true });
    const row = await h.db.items.get(itemId);
    expect(row!.modifiers.map((m) => m.name)).toEqual(['Large', 'Mushroom']);
    expect(row!.unitPriceCents).toBe(1100 + 300 + 100);
    expect(row!.pendingWrites).toBe(1);
    const [write] = await outboxRequests(h.db);
    expect(write).toMatchObject({ kind: 'patchItem', method: 'PATCH' });
    expect(write!.body).toEqual({ modifierOptionIds: [ids.large, ids.mushroom], staffName: 'Ben' });

    await h.sender.kick();
    expect(await h.db.items.get(itemId)).toMatchObject({
      sync: 'synced',
      pendingWrites: 0,
      unitPriceCents: 1500,
      modifiers: [expect.objectContaining({ name: 'Large' }), expect.objectContaining({ name: 'Mushroom' })],
    });
  });

  it('folds new choices into an order the server has not seen yet', async () => {
    const h = await setup();
    const itemId = await smallPizza(h);
    expect(await changeItem(h.db, h.ctx, itemId, { modifierOptionIds: [ids.large] }, 'Ana')).toEqual({ ok: true });
    const writes = await outboxRequests(h.db);
    expect(writes).toHaveLength(1);
    expect((writes[0]!.body as { items: { modifierOptionIds: string[] }[] }).items[0]!.modifierOptionIds).toEqual([
      ids.large,
    ]);
    expect(await h.db.items.get(itemId)).toMatchObject({ unitPriceCents: 1400, modifiers: [{ name: 'Large' }] });
  });

  it('refuses new choices once the kitchen started the dish, saying to void and add a new line', async () => {
    const h = await setup();
    const itemId = await smallPizza(h);
    await h.sender.kick();
    await h.db.items.update(itemId, { status: 'cooking' });
    const result = await changeItem(h.db, h.ctx, itemId, { modifierOptionIds: [ids.large] }, 'Ana');
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/void it and add a new line/) });
    expect(await h.db.outbox.count()).toBe(0);
    // The same choices as it has are no change, so they are not refused.
    const row = await h.db.items.get(itemId);
    const same = row!.modifiers.map((m) => m.optionId);
    expect(await changeItem(h.db, h.ctx, itemId, { modifierOptionIds: same, note: 'crispy' }, 'Ana')).toEqual({
      ok: true,
    });
  });

  it('refuses choices the dish does not allow, with the menu sheet’s message', async () => {
    const h = await setup();
    const itemId = await smallPizza(h);
    await h.sender.kick();
    const result = await changeItem(h.db, h.ctx, itemId, { modifierOptionIds: [ids.small, ids.large] }, 'Ana');
    expect(result).toEqual({ ok: false, message: 'Choose at most 1 size for Margherita.' });
    expect(await h.db.outbox.count()).toBe(0);
  });
});
