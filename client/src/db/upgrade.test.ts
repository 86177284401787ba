import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { ids } from '../test/fixtures.js';
import { harness, uniqueDbName, type Harness } from '../test/harness.js';
import { resendEntry } from './outbox.js';
import type { LegacyOutboxEntry } from './upgrade.js';

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) {
    h.sender.stop();
    h.db.close();
  }
});

const dineIn = '70000000-0000-4000-8000-00000000d001';
const takeaway = '70000000-0000-4000-8000-00000000d002';
const soup = '70000000-0000-4000-8000-00000000d003';
const pizza = '70000000-0000-4000-8000-00000000d004';
const at = Date.parse('2025-01-01T11:59:00.000Z');
let n = 0;
const uuid = () => `80000000-0000-4000-8000-${String((n += 1)).padStart(12, '0')}`;

/** An entry as version 2 stored it: the request itself. */
function legacy(
  fields: Omit<
    LegacyOutboxEntry,
    | 'id'
    | 'idempotencyKey'
    | 'createdAt'
    | 'attempts'
    | 'failures'
    | 'nextAttemptAt'
    | 'notBefore'
    | 'lastError'
    | 'lastAttemptAt'
    | 'state'
  > &
    Partial<LegacyOutboxEntry>,
): LegacyOutboxEntry {
  return {
    id: uuid(),
    idempotencyKey: uuid(),
    state: 'pending',
    createdAt: at,
    attempts: 0,
    failures: 0,
    nextAttemptAt: 0,
    notBefore: 0,
    lastError: null,
    lastAttemptAt: null,
    ...fields,
  };
}

/** A change the old app stored for one of the dine-in order's lines. */
function itemWrite(
  kind: 'patchItem' | 'bumpItem' | 'voidItem',
  itemId: string,
  body: Record<string, unknown>,
): LegacyOutboxEntry {
  const method = kind === 'voidItem' ? 'DELETE' : 'PATCH';
  return legacy({
    kind,
    method,
    path: `/api/tables/${ids.table1}/items/${itemId}`,
    orderId: dineIn,
    tableId: ids.table1,
    itemId,
    body,
  });
}

/** One write of each kind the old app made, waiting, and a refused takeaway order. */
const writes: LegacyOutboxEntry[] = [
  legacy({
    kind: 'createOrder',
    method: 'POST',
    path: '/api/orders',
    orderId: dineIn,
    tableId: ids.table1,
    itemId: null,
    body: {
      id: dineIn,
      type: 'dine_in',
      tableId: ids.table1,
      items: [
        { id: soup, menuItemId: ids.soup, quantity: 1, modifierOptionIds: [], note: '' },
        { id: pizza, menuItemId: ids.pizza, quantity: 1, modifierOptionIds: [ids.small], note: '' },
      ],
      note: '',
      staffName: 'Ana',
      deviceTime: '2025-01-01T11:59:00.000Z',
    },
  }),
  itemWrite('patchItem', soup, { quantity: 2, note: 'hot', staffName: 'Ana' }),
  itemWrite('bumpItem', soup, { status: 'cooking', staffName: 'Cook' }),
  itemWrite('voidItem', pizza, { staffName: 'Ana', reason: 'changed their mind' }),
  legacy({
    kind: 'setAvailability',
    method: 'PATCH',
    path: `/api/menu/items/${ids.pizza}/availability`,
    orderId: `menu:${ids.pizza}`,
    tableId: '',
    itemId: null,
    body: { available: false },
  }),
  legacy({
    kind: 'clearTable',
    method: 'POST',
    path: `/api/tables/${ids.table2}/clear`,
    orderId: `table:${ids.table2}`,
    tableId: ids.table2,
    itemId: null,
    body: { staffName: 'Ana' },
  }),
  legacy({
    kind: 'createOrder',
    method: 'POST',
    path: '/api/orders',
    orderId: takeaway,
    tableId: '',
    itemId: null,
    state: 'refused',
    attempts: 1,
    lastError: { status: 422, code: 'menu_item_unavailable', message: 'Tomato soup is sold out.' },
    body: {
      id: takeaway,
      type: 'takeaway',
      customer: { name: 'Mia' },
      items: [{ id: uuid(), menuItemId: ids.soup, quantity: 1, modifierOptionIds: [], note: '' }],
      note: '',
      staffName: 'Ana',
      deviceTime: '2025-01-01T11:59:00.000Z',
    },
  }),
];

/** A tablet as version 2 of the app left it, with these writes in its outbox. */
async function versionTwoTablet(name: string): Promise<void> {
  const db = new Dexie(name);
  db.version(2).stores({
    meta: 'key',
    menu: 'key',
    diningTables: 'id, number',
    orders: 'id, tableId, type',
    items: 'id, tableId, orderId, status',
    outbox: '++seq, &id, orderId, itemId, state',
    cart: 'id, cartId',
    drafts: 'id, createdAt',
  });
  await db.open();
  await db.table('outbox').bulkAdd(writes);
  db.close();
}

const wire = (w: { method: string; path: string; body: unknown }, key: string | null) => [
  w.method,
  w.path,
  key,
  w.body,
];

describe('the upgrade to named mutations (Dexie version 3)', () => {
  it('keeps every waiting and refused write of the old shape, and sends each exactly once', async () => {
    const name = uniqueDbName();
    await versionTwoTablet(name);
    const h = await harness({ dbName: name });
    open.push(h);
    expect(h.db.verno).toBe(3);
    expect(await h.db.outbox.count()).toBe(writes.length);

    await h.sender.kick();
    const waiting = writes.filter((w) => w.state === 'pending');
    expect(h.server.writes().map((w) => wire(w, w.key))).toEqual(waiting.map((w) => wire(w, w.idempotencyKey)));
    // The refused order stays, with its reason, until the waiter resends it.
    const [refused, ...rest] = await h.db.outbox.toArray();
    expect(rest).toEqual([]);
    expect(refused).toMatchObject({ state: 'refused', lastError: { code: 'menu_item_unavailable' } });

    await resendEntry(h.db, refused!.seq!, h.clock.now, h.ctx.uuid());
    await h.sender.kick();
    const [again] = h.server.writes().slice(waiting.length);
    expect(h.server.writes()).toHaveLength(writes.length);
    expect([again!.method, again!.path, again!.body]).toEqual(['POST', '/api/orders', writes.at(-1)!.body]);
    expect(await h.db.outbox.count()).toBe(0);
  });
});
