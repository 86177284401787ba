// Before Dexie loads: it picks up indexedDB when it loads.
import 'fake-indexeddb/auto';
import type { AllergyAck } from '@chit/shared';
import { describe, expect, it } from 'vitest';
import { getMeta } from '../db/meta.js';
import { applyMutation } from '../db/mutations/index.js';
import { errorReply } from '../test/fake-server.js';
import { ids } from '../test/fixtures.js';
import { harnesses, outboxRequests, type Harness } from '../test/harness.js';

const setup = harnesses();

/** An order the server has, as a board sees it before a cook reads its banner. */
async function sentOrder(h: Harness): Promise<string> {
  const orderId = await h.order();
  await h.sender.kick();
  expect(await h.db.outbox.count()).toBe(0);
  return orderId;
}

const ack = (h: Harness, orderId: string, staffName = 'Cook') =>
  applyMutation(h.db, { ...h.ctx, staffName }, 'ackAllergy', { orderId });

describe('a cook acknowledges an allergy (mutation ackAllergy)', () => {
  it('shows on the board at once and is sent once, with the cook’s name, to the order’s allergy-ack', async () => {
    const h = await setup();
    const orderId = await sentOrder(h);

    expect(await ack(h, orderId)).toEqual({ ok: true });
    expect((await h.db.orders.get(orderId))?.allergyAck).toEqual({
      at: new Date(h.clock.now).toISOString(),
      deviceId: ids.device,
      deviceName: 'Tablet 1',
      staffName: 'Cook',
    });
    // A second tap (or A) on the same banner queues nothing more.
    expect(await ack(h, orderId, 'Other cook')).toEqual({ ok: true });
    expect(await outboxRequests(h.db)).toEqual([
      expect.objectContaining({
        kind: 'ackAllergy',
        method: 'POST',
        path: `/api/orders/${orderId}/allergy-ack`,
        body: { staffName: 'Cook' },
      }),
    ]);

    // The server's acknowledgement is the one that stands (another board may have been first).
    const first: AllergyAck = {
      at: '2025-01-01T11:59:30.000Z',
      deviceId: '60000000-0000-4000-8000-000000000009',
      deviceName: 'Pass board',
      staffName: 'Ben',
    };
    h.server.next(
      () =>
        new Response(JSON.stringify({ orderId, allergyAck: first }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    await h.sender.kick();
    expect(await h.db.outbox.count()).toBe(0);
    expect((await h.db.orders.get(orderId))?.allergyAck).toEqual(first);
  });

  it('an order not on the board queues nothing and says so', async () => {
    const h = await setup();
    expect(await ack(h, '70000000-0000-4000-8000-0000000000ff')).toEqual({
      ok: false,
      message: 'That order is not on this board.',
    });
    expect(await h.db.outbox.count()).toBe(0);
  });

  it('a refusal drops it like a bump: the board shows why, reads the order again, and holds nothing back', async () => {
    const h = await setup();
    const orderId = await sentOrder(h);
    await ack(h, orderId);
    h.server.next(() => errorReply(422, 'allergy_not_flagged', 'This order has no allergy to acknowledge.'));
    await h.sender.kick();

    expect(await h.db.outbox.count()).toBe(0);
    expect((await getMeta(h.db, 'kitchenNotice'))?.message).toBe('This order has no allergy to acknowledge.');
    expect(h.server.requests.map((r) => `${r.method} ${r.path}`)).toContain(`GET /api/orders/${orderId}`);
  });
});
