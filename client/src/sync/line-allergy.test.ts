// Before Dexie loads: it picks up indexedDB when it loads.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { placeOrder } from '../db/mutations/createOrder.js';
import { addToCart } from '../db/writes.js';
import { ids } from '../test/fixtures.js';
import { harness, outboxRequests, type Harness } from '../test/harness.js';

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) {
    h.sender.stop();
    h.db.close();
  }
});

describe('an allergy on one dish (its sheet)', () => {
  it('keeps that dish a line of its own, shows it on the item at once and sends it with that line only', async () => {
    const h = await harness();
    open.push(h);
    const soup = { menuItemId: ids.soup, modifierOptionIds: [], quantity: 1, note: '' };
    await addToCart(h.db, h.ctx, ids.table1, soup);
    await addToCart(h.db, h.ctx, ids.table1, { ...soup, allergy: { allergens: ['Gluten'], note: 'coeliac' } });
    await addToCart(h.db, h.ctx, ids.table1, soup);
    // Two lines: the plain soups merged, the one with the allergy apart.
    expect((await h.db.cart.toArray()).map((l) => [l.quantity, l.allergy ?? null])).toEqual([
      [2, null],
      [1, { allergens: ['Gluten'], note: 'coeliac' }],
    ]);

    const placed = await placeOrder(h.db, h.ctx, { cartId: ids.table1, staffName: 'Ana' });
    expect(placed.ok).toBe(true);
    // On the tablet at once, as the server will store it.
    expect((await h.db.items.toArray()).map((i) => i.allergy ?? null)).toEqual([
      null,
      { allergens: ['gluten'], note: 'coeliac' },
    ]);
    const [request] = await outboxRequests(h.db);
    const items = (request!.body as { items: { quantity: number; allergy?: unknown }[] }).items;
    expect(items.map((i) => [i.quantity, i.allergy ?? null])).toEqual([
      [2, null],
      [1, { allergens: ['Gluten'], note: 'coeliac' }],
    ]);
  });
});
