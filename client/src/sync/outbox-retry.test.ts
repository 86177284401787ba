import { describe, expect, it } from 'vitest';
import { exportOutbox, resendEntry } from '../db/outbox.js';
import { changeItem } from '../db/mutations/patchItem.js';
import { errorReply } from '../test/fake-server.js';
import { ids } from '../test/fixtures.js';
import { discardRefusedOrder, fireProbe, harnesses, orderIdsSent, outboxRequests } from '../test/harness.js';
import { backoffDelay, defaultBackoff, parseRetryAfter } from './backoff.js';
import { verdictOf } from './outbox.js';

const setup = harnesses();

describe('the outbox, when the server fails', () => {
  it('retries a 409 "still running" rather than treating it as a refusal', async () => {
    const h = await setup();
    await h.order();
    h.server.next(() => errorReply(409, 'idempotency_key_in_use', 'Still processing.', { 'Retry-After': '1' }));
    await h.sender.kick();
    expect(await h.db.outbox.toArray()).toMatchObject([{ state: 'pending', notBefore: h.clock.now + 1000 }]);
    h.clock.now += 1000;
    await h.sender.kick();
    expect(await h.db.outbox.count()).toBe(0);
  });

  it('while the server is away, asks GET /api/health instead of resending, and sends the moment it answers', async () => {
    const h = await setup();
    const a = await h.order(ids.table1);
    const b = await h.order(ids.table2);
    h.server.next(() => 'network');
    expect(await h.sender.kick()).toMatchObject({ stopped: 'away' });
    // The server stays down for a dozen probes: the write is not resent meanwhile, and
    // the probes never come further apart than 1.5 s (full jitter: 0.75 s with random 0.5).
    for (let i = 0; i < 12; i += 1) {
      h.server.next(() => (i % 2 ? errorReply(503, 'unavailable', 'Starting.') : 'network'));
      h.clock.now += h.timers.scheduled!;
      await fireProbe(h);
      expect(h.timers.scheduled).toBeLessThanOrEqual(750);
    }
    expect(h.server.writes()).toHaveLength(1);
    expect(h.server.requests.filter((r) => r.path === '/api/health')).toHaveLength(12);
    // It answers: everything goes at once, in order, without waiting out any backoff.
    h.clock.now += h.timers.scheduled!;
    await fireProbe(h);
    expect(orderIdsSent(h)).toEqual([a, a, b]);
    expect(await h.db.outbox.count()).toBe(0);
    expect(h.timers.scheduled).toBeNull();
  });

  it('treats 502, 503 and 504 as the server being away, not as a fault of the write', async () => {
    const h = await setup();
    await h.order();
    for (const status of [502, 503, 504]) {
      h.server.next(() => errorReply(status, 'unavailable', 'Try later.'));
      expect(await h.sender.kick()).toMatchObject({ stopped: 'away' });
    }
    const [entry] = await h.db.outbox.toArray();
    expect(entry).toMatchObject({ state: 'pending', failures: 3 });
    expect(entry!.serverErrors ?? 0).toBe(0);
  });

  it('sets aside a write the server fails every time, lets other orders go, and keeps trying it slowly', async () => {
    const h = await setup();
    const a = await h.order(ids.table1);
    const isA = (r: { path: string; body: unknown; method: string }) =>
      (r.method === 'POST' && (r.body as { id?: string } | null)?.id === a) || r.path.includes('/items/');
    const failA = () =>
      h.server.next((r) =>
        isA(r)
          ? errorReply(500, 'internal_error', 'invalid byte sequence for encoding "UTF8": 0x00')
          : h.server.defaultReply(r),
      );
    failA();
    await h.sender.kick();
    // A later change of the same order, and another order, wait behind it for now.
    const [item] = await h.db.items.where('orderId').equals(a).toArray();
    await changeItem(h.db, h.ctx, item!.id, { quantity: 2 }, 'Ana');
    const b = await h.order(ids.table2);
    // Quick retries (full jitter up to 2 s) until the tenth server error.
    for (let i = 2; i <= 10; i += 1) {
      expect(h.timers.scheduled).toBeLessThanOrEqual(1000);
      failA();
      h.clock.now += h.timers.scheduled!;
      h.timers.fire();
      await h.sender.whenIdle();
      if (i < 10) expect(orderIdsSent(h)).not.toContain(b);
    }
    // Stuck: the other order went, the change of the stuck order still waits behind it.
    expect(orderIdsSent(h).filter((id) => id === b)).toHaveLength(1);
    const [stuck, change] = await outboxRequests(h.db);
    expect(stuck).toMatchObject({
      orderId: a,
      state: 'pending',
      serverErrors: 10,
      stuckSince: h.clock.now,
      lastError: { status: 500, message: expect.stringContaining('0x00') },
    });
    expect(change).toMatchObject({ orderId: a, kind: 'patchItem', attempts: 0 });
    expect((await exportOutbox(h.db, h.clock.now)).writes[0]).toMatchObject({ stuckSince: expect.any(String) });

    // A fresh chance (a new write) does not hammer it; its slow retry (15–30 s) does.
    await h.sender.kick();
    expect(h.server.writes().filter(isA)).toHaveLength(10);
    expect(h.timers.scheduled).toBe(22_500);
    h.clock.now += 22_500;
    h.timers.fire();
    await h.sender.whenIdle();
    // The server is fixed: it goes, and the change behind it follows.
    expect(h.server.writes().filter(isA)).toHaveLength(12);
    expect(await h.db.outbox.count()).toBe(0);
  });

  it('calls a write stuck after two minutes of server errors, however few the tries', async () => {
    const h = await setup();
    await h.order();
    for (const [i, step] of [0, 60_000, 61_000].entries()) {
      h.clock.now += step;
      h.server.next(() => errorReply(500, 'internal_error', 'Boom.'));
      await h.sender.kick(false);
      const [entry] = await h.db.outbox.toArray();
      expect(entry!.stuckSince != null).toBe(i === 2);
    }
  });

  it('lets the waiter try a stuck write now, or discard it', async () => {
    const h = await setup();
    const a = await h.order(ids.table1);
    const [entry] = await h.db.outbox.toArray();
    await h.db.outbox.update(entry!.seq, {
      serverErrors: 10,
      stuckSince: h.clock.now,
      nextAttemptAt: h.clock.now + 30_000,
    });
    await h.sender.kick();
    expect(h.server.writes()).toHaveLength(0);
    const keyBefore = entry!.idempotencyKey;
    await resendEntry(h.db, entry!.seq!, h.clock.now, h.ctx.uuid());
    // "Try now" on a stuck write keeps its key: the server never gave it a final answer.
    expect((await h.db.outbox.get(entry!.seq))!.idempotencyKey).toBe(keyBefore);
    h.server.next(() => errorReply(500, 'internal_error', 'Still broken.'));
    await h.sender.kick();
    expect(orderIdsSent(h)).toEqual([a]);
    expect(await h.db.outbox.toArray()).toMatchObject([{ serverErrors: 11, stuckSince: expect.any(Number) }]);
    await discardRefusedOrder(h, entry!.seq!, a);
  });

  it('honours Retry-After even when a fresh chance comes sooner', async () => {
    const h = await setup();
    await h.order();
    const start = h.clock.now;
    h.server.next(() => errorReply(429, 'rate_limited', 'Slow down.', { 'Retry-After': '20' }));
    await h.sender.kick();
    expect(h.timers.scheduled).toBe(20_000);

    h.clock.now = start + 5_000;
    await h.order(); // a new write is a fresh chance, but the server asked for 20 s
    await h.sender.kick();
    expect(h.server.writes()).toHaveLength(1);

    h.clock.now = start + 20_000;
    await h.sender.kick(false);
    expect(h.server.writes()).toHaveLength(3);
    expect(await h.db.outbox.count()).toBe(0);
  });
});

describe('retry policy', () => {
  it('backs off exponentially with jitter, capped at 30 s', () => {
    for (let failures = 1; failures <= 12; failures += 1) {
      const step = Math.min(30_000, 1000 * 2 ** (failures - 1));
      expect(backoffDelay(failures, () => 0)).toBe(step / 2);
      expect(backoffDelay(failures, () => 0.999999)).toBeLessThanOrEqual(step);
      expect(backoffDelay(failures, () => 0.999999)).toBeGreaterThan(step * 0.99);
    }
    expect(backoffDelay(50, () => 1)).toBe(defaultBackoff.capMs);
  });

  it('reads Retry-After as seconds or a date, and bounds it', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('99999', now)).toBe(defaultBackoff.maxRetryAfterMs);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('classifies answers', () => {
    const http = (status: number, code = 'x') =>
      ({ kind: 'http', status, error: { status, code, message: '' }, retryAfter: null }) as const;
    expect(verdictOf({ kind: 'network', message: 'offline' })).toBe('retry');
    expect(verdictOf(http(503))).toBe('retry');
    expect(verdictOf(http(409, 'idempotency_key_in_use'))).toBe('retry');
    expect(verdictOf(http(409, 'illegal_transition'))).toBe('refused');
    expect(verdictOf(http(422, 'menu_item_unavailable'))).toBe('refused');
    expect(verdictOf(http(404, 'item_not_found'))).toBe('refused');
    expect(verdictOf(http(401))).toBe('unauthorized');
  });
});
