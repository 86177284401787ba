import { describe, expect, it } from 'vitest';
import { requestOf } from '../db/mutations/index.js';
import { exportOutbox, resendEntry } from '../db/outbox.js';
import { changeItem } from '../db/mutations/patchItem.js';
import { voidItem } from '../db/mutations/voidItem.js';
import { errorReply, FakeServer } from '../test/fake-server.js';
import { ids } from '../test/fixtures.js';
import {
  discardRefusedOrder,
  fireProbe,
  harnesses,
  orderExistsAfterLostAnswer,
  orderIdsSent,
} from '../test/harness.js';
import { inProcessLock } from './lock.js';

const setup = harnesses();

describe('the outbox', () => {
  it('shows a placed order at once, before any request is made', async () => {
    const h = await setup();
    const orderId = await h.order();
    expect(h.server.requests).toHaveLength(0);
    const items = await h.db.items.where('orderId').equals(orderId).toArray();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ sync: 'local', status: 'queued', name: 'Tomato soup' });
    expect(await h.db.outbox.count()).toBe(1);
    expect(await h.db.cart.count()).toBe(0);
  });

  it('sends writes in the order they were made, each with its own Idempotency-Key', async () => {
    const h = await setup();
    const a = await h.order(ids.table1);
    const b = await h.order(ids.table2);
    const c = await h.order(ids.table1);
    const report = await h.sender.kick();
    expect(report.sent).toBe(3);
    expect(orderIdsSent(h)).toEqual([a, b, c]);
    const keys = h.server.writes().map((r) => r.key);
    expect(new Set(keys).size).toBe(3);
    expect(await h.db.outbox.count()).toBe(0);
    const items = await h.db.items.toArray();
    expect(items.every((i) => i.sync === 'synced' && i.sentAt !== null)).toBe(true);
    expect(h.server.writes()[0]!.auth).toBe('Bearer test-token-abcdefghijkl');
  });

  it('retries a network failure with the same key, and keeps later writes behind it', async () => {
    const h = await setup();
    const a = await h.order();
    const b = await h.order();
    h.server.next(() => 'network');
    const first = await h.sender.kick();
    expect(first).toMatchObject({ sent: 0, stopped: 'away' });
    expect(orderIdsSent(h)).toEqual([a]);
    const waiting = await h.db.outbox.orderBy('seq').first();
    expect(waiting).toMatchObject({ state: 'pending', failures: 1, lastError: { code: 'network' } });
    // A probe is due: random 0.5 → half of the first 250 ms step.
    expect(h.timers.scheduled).toBe(125);

    h.clock.now += 125;
    await fireProbe(h);
    expect(orderIdsSent(h)).toEqual([a, a, b]);
    const [k1, k2] = h.server.writes().map((r) => r.key);
    expect(k2).toBe(k1);
    expect(await h.db.outbox.count()).toBe(0);
  });

  it.each([500, 502, 503, 408, 429])('retries after a %i answer', async (status) => {
    const h = await setup();
    await h.order();
    h.server.next(() => errorReply(status, status === 429 ? 'rate_limited' : 'internal_error', 'Try later.'));
    await h.sender.kick();
    expect(await h.db.outbox.toArray()).toMatchObject([{ state: 'pending', failures: 1 }]);
    h.clock.now += 60_000;
    await h.sender.kick(false);
    expect(h.server.writes()).toHaveLength(2);
    expect(await h.db.outbox.count()).toBe(0);
  });

  it('parks a write the server refuses for good, with its message, without blocking the writes behind it', async () => {
    const h = await setup();
    const refused = await h.order(ids.table1, ids.soup);
    const later = await h.order(ids.table2, ids.soup);
    h.server.next(() => errorReply(422, 'menu_item_unavailable', 'Tomato soup is sold out.'));
    const report = await h.sender.kick();
    expect(report).toMatchObject({ sent: 1, refused: 1, stopped: 'idle' });
    expect(orderIdsSent(h)).toEqual([refused, later]);

    const parked = await h.db.outbox.toArray();
    expect(parked).toMatchObject([
      {
        orderId: refused,
        state: 'refused',
        lastError: { status: 422, code: 'menu_item_unavailable', message: 'Tomato soup is sold out.' },
      },
    ]);
    const [item] = await h.db.items.where('orderId').equals(refused).toArray();
    expect(item).toMatchObject({ sync: 'local', problem: 'Tomato soup is sold out.' });
    // Nothing retries a refusal by itself.
    expect(h.timers.scheduled).toBeNull();
    await h.sender.kick();
    expect(h.server.writes()).toHaveLength(2);
  });

  it('lets a refused order be fixed and resent, or discarded with its items', async () => {
    const h = await setup();
    const orderId = await h.order(ids.table1, ids.soup, 2);
    h.server.next(() => errorReply(422, 'validation_failed', 'Quantity is wrong.'));
    await h.sender.kick();
    const [entry] = await h.db.outbox.toArray();
    const [item] = await h.db.items.where('orderId').equals(orderId).toArray();

    // Fixing the item edits the refused order itself (the server stored nothing), under a new key.
    expect(await changeItem(h.db, h.ctx, item!.id, { quantity: 3 }, 'Ana')).toEqual({ ok: true });
    const [fixed] = await h.db.outbox.toArray();
    expect(fixed!.idempotencyKey).not.toBe(entry!.idempotencyKey);
    expect((requestOf(fixed!.mutation).body as { items: { quantity: number }[] }).items[0]!.quantity).toBe(3);
    expect(fixed!.state).toBe('refused');

    await resendEntry(h.db, fixed!.seq!, h.clock.now, h.ctx.uuid());
    await h.sender.kick();
    expect(await h.db.outbox.count()).toBe(0);
    expect((h.server.writes()[1]!.body as { items: { quantity: number }[] }).items[0]!.quantity).toBe(3);

    const other = await h.order(ids.table2);
    h.server.next(() => errorReply(422, 'table_not_found', 'Table gone.'));
    await h.sender.kick();
    const [refused] = await h.db.outbox.toArray();
    await discardRefusedOrder(h, refused!.seq!, other);
  });

  it('resends a refused order as a new write, under a new key (the server keeps the refusal with the old one)', async () => {
    const h = await setup();
    await h.order();
    h.server.next(() => errorReply(422, 'menu_item_unavailable', 'Tomato soup is sold out.'));
    await h.sender.kick();
    const [refused] = await h.db.outbox.toArray();
    expect(refused!.state).toBe('refused');

    // The soup is back; the waiter taps "Resend" without changing anything.
    await resendEntry(h.db, refused!.seq!, h.clock.now, h.ctx.uuid());
    await h.sender.kick();
    const [first, second] = h.server.writes();
    expect(second!.body).toEqual(first!.body);
    expect(second!.key).not.toBe(first!.key);
    expect(await h.db.outbox.count()).toBe(0);
  });

  it('holds later writes for a refused order until it is resent', async () => {
    const h = await setup();
    const orderId = await h.order();
    const [item] = await h.db.items.where('orderId').equals(orderId).toArray();
    // The first try is lost on the way back, so the server may have it: the edit must go as its own write.
    h.server.next(() => 'network');
    await h.sender.kick();
    await changeItem(h.db, h.ctx, item!.id, { note: 'no salt' }, 'Ana');
    expect(await h.db.outbox.count()).toBe(2);

    h.server.next(() => errorReply(422, 'menu_item_unavailable', 'Sold out.'));
    h.clock.now += 60_000;
    const report = await h.sender.kick();
    expect(report).toMatchObject({ refused: 1, sent: 0, stopped: 'idle' });
    expect(h.server.writes().map((w) => w.method)).toEqual(['POST', 'POST']);

    const create = (await h.db.outbox.orderBy('seq').first())!;
    await resendEntry(h.db, create.seq!, h.clock.now, h.ctx.uuid());
    await h.sender.kick();
    expect(h.server.writes().map((w) => w.method)).toEqual(['POST', 'POST', 'POST', 'PATCH']);
    expect(await h.db.items.get(item!.id)).toMatchObject({ note: 'no salt', sync: 'synced', pendingWrites: 0 });
  });

  it('sends a write made while another is on the wire, after it and without another nudge', async () => {
    const h = await setup();
    const a = await h.order();
    const gate = h.server.hold();
    const drain = h.sender.kick();
    await gate.started;
    const [item] = await h.db.items.where('orderId').equals(a).toArray();
    // The create is on the wire: this edit cannot be folded into it.
    await changeItem(h.db, h.ctx, item!.id, { quantity: 4 }, 'Ana');
    const b = await h.order(ids.table2);
    void h.sender.kick();
    gate.release();
    await drain;
    await h.sender.whenIdle();
    expect(orderIdsSent(h)).toEqual([a, `/api/tables/${ids.table1}/items/${item!.id}`, b]);
    expect((h.server.writes()[0]!.body as { items: { quantity: number }[] }).items[0]!.quantity).toBe(1);
    expect(await h.db.items.get(item!.id)).toMatchObject({ quantity: 4, sync: 'synced' });
    expect(await h.db.outbox.count()).toBe(0);
  });

  it('never lets two tabs send at once, and sends each write once', async () => {
    const server = new FakeServer();
    const lock = inProcessLock();
    const tab1 = await setup({ server, lock });
    const tab2 = await setup({ server, lock, dbName: tab1.dbName, clock: tab1.clock, seed: false });
    const made = [await tab1.order(), await tab2.order(), await tab1.order(), await tab2.order()];
    await Promise.all([tab1.sender.kick(), tab2.sender.kick(), tab1.sender.kick(), tab2.sender.kick()]);
    expect(server.maxInFlight).toBe(1);
    expect(orderIdsSent(tab1)).toEqual(made);
    expect(await tab2.db.outbox.count()).toBe(0);
  });

  it('loses nothing across a reload, even one in the middle of a send', async () => {
    const h = await setup();
    const orderId = await h.order();
    const gate = h.server.hold();
    void h.sender.kick();
    await gate.started;
    // The tab dies with the request on the wire: the answer never arrives.
    h.sender.stop();
    h.db.close();

    const after = await setup({ dbName: h.dbName, server: h.server, clock: h.clock, seed: false });
    expect(await after.db.outbox.toArray()).toMatchObject([{ orderId, state: 'sending' }]);
    expect(await after.db.items.where('orderId').equals(orderId).count()).toBe(1);

    // The dead tab's request never answers; the next holder of the lock sends it again, same key.
    await after.sender.kick();
    expect(await after.db.outbox.count()).toBe(0);
    const keys = h.server.writes().map((r) => r.key);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('sends the device back to pairing on 401 and keeps the outbox', async () => {
    const h = await setup();
    await h.order();
    await h.order();
    h.server.next(() => errorReply(401, 'unauthorized', 'This device was revoked.'));
    const report = await h.sender.kick();
    expect(report.stopped).toBe('unauthorized');
    expect(h.unauthorized).toEqual(['This device was revoked.']);
    expect(await h.db.outbox.toArray()).toMatchObject([{ state: 'pending' }, { state: 'pending' }]);
    await h.sender.kick();
    expect(h.server.writes()).toHaveLength(1);
  });

  it('treats "order exists" after a lost answer as delivered when the server has the order', async () => {
    const h = await setup();
    const orderId = await h.order();
    await orderExistsAfterLostAnswer(h);
    expect(await h.db.outbox.count()).toBe(0);
    expect(await h.db.items.where('orderId').equals(orderId).first()).toMatchObject({ sync: 'synced' });
  });
});

describe('offline edits and voids', () => {
  it('folds edits and voids of a never-sent order into the order itself', async () => {
    const h = await setup();
    const orderId = await h.order(ids.table1, ids.soup, 1);
    const [soup] = await h.db.items.where('orderId').equals(orderId).toArray();
    await changeItem(h.db, h.ctx, soup!.id, { quantity: 2, note: 'hot' }, 'Ana');
    expect(await h.db.items.get(soup!.id)).toMatchObject({ quantity: 2, note: 'hot' });
    expect(await h.db.outbox.count()).toBe(1);

    await voidItem(h.db, h.ctx, soup!.id, 'changed mind', 'Ana');
    // The only item is gone, and with it the order: the kitchen never hears of it.
    expect(await h.db.outbox.count()).toBe(0);
    expect(await h.db.items.count()).toBe(0);
    await h.sender.kick();
    expect(h.server.writes()).toHaveLength(0);
  });

  it('does not even try while the browser knows it is offline, so a voided dish never reaches the kitchen', async () => {
    const h = await setup();
    h.network.up = false;
    const orderId = await h.order(ids.table1, ids.soup, 1);
    expect(await h.sender.kick()).toMatchObject({ stopped: 'offline', sent: 0 });
    expect(h.server.requests).toHaveLength(0);
    const [soup] = await h.db.items.where('orderId').equals(orderId).toArray();
    await voidItem(h.db, h.ctx, soup!.id, '', 'Ana');
    h.network.up = true;
    await h.sender.kick();
    expect(h.server.requests).toHaveLength(0);
    expect(await h.db.outbox.count()).toBe(0);
  });

  it('queues a void of a synced item and shows it voided at once', async () => {
    const h = await setup();
    const orderId = await h.order();
    await h.sender.kick();
    const [item] = await h.db.items.where('orderId').equals(orderId).toArray();
    h.server.next(() => 'network');
    await voidItem(h.db, h.ctx, item!.id, 'spilled', 'Ana');
    expect(await h.db.items.get(item!.id)).toMatchObject({ status: 'voided', pendingWrites: 1 });
    await h.sender.kick();
    expect(await h.db.items.get(item!.id)).toMatchObject({ status: 'voided', pendingWrites: 1 });
    h.clock.now += 60_000;
    await h.sender.kick(false);
    expect(h.server.writes().at(-1)).toMatchObject({ method: 'DELETE', body: { reason: 'spilled', staffName: 'Ana' } });
    expect(await h.db.items.get(item!.id)).toMatchObject({ status: 'voided', pendingWrites: 0 });
  });

  it('exports the unsynced writes as replayable requests', async () => {
    const h = await setup();
    const orderId = await h.order();
    const file = await exportOutbox(h.db, h.clock.now);
    expect(file).toMatchObject({
      format: 'chit-outbox/1',
      device: { id: ids.device, name: 'Tablet 1' },
      writes: [{ method: 'POST', path: '/api/orders', body: { id: orderId }, state: 'pending' }],
    });
    expect(file.writes[0]!.headers['Idempotency-Key']).toMatch(/.+/);
  });
});
