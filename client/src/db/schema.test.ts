import 'fake-indexeddb/auto';
import { Dexie, liveQuery } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { ids } from '../test/fixtures.js';
import { harness, outboxRequests, uniqueDbName, type Harness } from '../test/harness.js';
import { takeawayOverview } from './hooks.js';
import { placeOrder } from './mutations/createOrder.js';
import { versionOneStores } from './schema.js';
import { addToCart, saveDraft } from './writes.js';

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) {
    h.sender.stop();
    h.db.close();
  }
});

const mia = { name: 'Mia', address: null, phone: null };
const order = '70000000-0000-4000-8000-00000000c001';
const soup = '70000000-0000-4000-8000-00000000c002';

/** A tablet as version 1 of the app left it: an order still in the outbox, an edit behind it, a cart. */
async function versionOneTablet(name: string): Promise<void> {
  const db = new Dexie(name);
  db.version(1).stores(versionOneStores);
  await db.open();
  await db.table('orders').add({
    id: order,
    tableId: ids.table1,
    note: '',
    staffName: 'Ana',
    takenAt: '2025-01-01T11:59:00.000Z',
    createdAt: null,
    sync: 'local',
    mine: true,
  });
  await db.table('items').add({
    id: soup,
    orderId: order,
    tableId: ids.table1,
    menuItemId: ids.soup,
    name: 'Tomato soup',
    station: 'kitchen',
    unitPriceCents: 650,
    quantity: 2,
    modifiers: [],
    note: '',
    cookMinutes: null,
    line: 1,
    status: 'queued',
    sync: 'local',
    takenAt: '2025-01-01T11:59:00.000Z',
    sentAt: null,
    cookingAt: null,
    readyAt: null,
    servedAt: null,
    server: null,
    pendingWrites: 2,
    problem: null,
  });
  const entry = {
    state: 'pending',
    createdAt: Date.parse('2025-01-01T11:59:00.000Z'),
    attempts: 1,
    failures: 1,
    nextAttemptAt: 0,
    notBefore: 0,
    lastError: { status: 0, code: 'network', message: 'Failed to fetch' },
    lastAttemptAt: Date.parse('2025-01-01T11:59:01.000Z'),
    orderId: order,
    tableId: ids.table1,
  };
  await db.table('outbox').bulkAdd([
    {
      ...entry,
      id: '80000000-0000-4000-8000-000000000001',
      idempotencyKey: '80000000-0000-4000-8000-000000000002',
      kind: 'createOrder',
      method: 'POST',
      path: '/api/orders',
      body: {
        id: order,
        tableId: ids.table1,
        items: [{ id: soup, menuItemId: ids.soup, quantity: 2, modifierOptionIds: [], note: '' }],
        note: '',
        staffName: 'Ana',
        deviceTime: '2025-01-01T11:59:00.000Z',
      },
      itemId: null,
    },
    {
      ...entry,
      id: '80000000-0000-4000-8000-000000000003',
      idempotencyKey: '80000000-0000-4000-8000-000000000004',
      kind: 'patchItem',
      method: 'PATCH',
      path: `/api/tables/${ids.table1}/items/${soup}`,
      body: { note: 'hot', staffName: 'Ana' },
      itemId: soup,
      attempts: 0,
    },
  ]);
  await db.table('cart').add({
    id: '80000000-0000-4000-8000-000000000005',
    tableId: ids.table2,
    menuItemId: ids.soup,
    modifierOptionIds: [],
    quantity: 1,
    note: '',
    addedAt: 1,
  });
  db.close();
}

describe('the upgrade to order types (Dexie version 2)', () => {
  it('keeps every write waiting in the outbox, byte for byte, and sends it once afterwards', async () => {
    const name = uniqueDbName();
    await versionOneTablet(name);
    const before = await (async () => {
      const raw = new Dexie(name);
      await raw.open();
      const rows = await raw.table('outbox').toArray();
      raw.close();
      return rows;
    })();

    const h = await harness({ dbName: name });
    open.push(h);
    // Version 3 then turns each stored request into its mutation (see upgrade.test.ts): what
    // goes over the wire stays byte for byte.
    expect(h.db.verno).toBe(3);
    const wire = ({ seq, method, path, body, idempotencyKey, state, attempts }: (typeof before)[number]) => ({
      seq,
      method,
      path,
      body,
      idempotencyKey,
      state,
      attempts,
    });
    expect((await outboxRequests(h.db)).map(wire)).toEqual(before.map(wire));
    expect(await h.db.orders.get(order)).toMatchObject({ type: 'dine_in', tableId: ids.table1, customer: null });

    await h.sender.kick();
    expect(h.server.writes().map((w) => [w.method, w.path, w.key])).toEqual([
      ['POST', '/api/orders', '80000000-0000-4000-8000-000000000002'],
      ['PATCH', `/api/tables/${ids.table1}/items/${soup}`, '80000000-0000-4000-8000-000000000004'],
    ]);
    expect(await h.db.outbox.count()).toBe(0);
    expect(await h.db.items.get(soup)).toMatchObject({ sync: 'synced', note: 'hot', pendingWrites: 0 });
  });

  it("keeps a table's cart as that table's", async () => {
    const name = uniqueDbName();
    await versionOneTablet(name);
    const h = await harness({ dbName: name });
    open.push(h);
    expect(await h.db.cart.toArray()).toEqual([expect.objectContaining({ cartId: ids.table2, quantity: 1 })]);
    expect(await h.db.cart.toArray()).toEqual([expect.not.objectContaining({ tableId: expect.anything() })]);

    // The same dish again merges into the old line, and Send orders it at table 2.
    await addToCart(h.db, h.ctx, ids.table2, { menuItemId: ids.soup, modifierOptionIds: [], quantity: 1, note: '' });
    const placed = await placeOrder(h.db, h.ctx, { cartId: ids.table2, staffName: 'Ana' });
    expect(placed.ok).toBe(true);
    expect(await h.db.items.where('orderId').equals(placed.orderId!).toArray()).toEqual([
      expect.objectContaining({ tableId: ids.table2, quantity: 2 }),
    ]);
  });
});

describe('live views', () => {
  it('a list watched again after a draft was sent does not show the draft', async () => {
    const h = await harness();
    open.push(h);
    const watch = () =>
      new Promise<string[]>((resolve) => {
        const sub = liveQuery(() => takeawayOverview(h.db)).subscribe((list) => {
          resolve(list.map((s) => `${s.order.customer?.name} ${s.state}`));
          setTimeout(() => sub.unsubscribe(), 0);
        });
      });
    expect(await watch()).toEqual([]);
    // The tables screen is left; the draft is made and sent on other screens.
    const draftId = await saveDraft(h.db, h.ctx, { type: 'takeaway', customer: mia });
    await addToCart(h.db, h.ctx, draftId, { menuItemId: ids.soup, modifierOptionIds: [], quantity: 1, note: '' });
    expect((await placeOrder(h.db, h.ctx, { cartId: draftId, staffName: 'Ana' })).ok).toBe(true);
    expect(await watch()).toEqual(['Mia local']);
  });
});
