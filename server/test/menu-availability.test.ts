import { randomUUID } from 'node:crypto';
import type { ChitEvent } from '@chit/shared';
import { afterAll, describe, expect } from 'vitest';
import { appTest, type TestApp } from './harness.js';
import { SseClient } from './sse.js';

// The kitchen 86ing a dish: what the order routes and the event stream make of it.

let app: TestApp;
const it = appTest({ events: true });
it.beforeAll(({ app: started }) => {
  app = started;
});

const streams: SseClient[] = [];
afterAll(() => {
  for (const s of streams) s.close();
});

/** Opens `/api/events` as `api`'s device and waits for the `ready` frame. */
async function stream(api: TestApp['waiter']): Promise<SseClient> {
  const s = await SseClient.open(`${app.server.baseUrl}/api/events`, { authorization: `Bearer ${api.token}` });
  streams.push(s);
  await s.until(() => s.frames.some((f) => f.event === 'ready') || s.ended, 'the ready frame');
  return s;
}

/** The `n` events after the first `skip` (an unexpected extra one shifts them and fails the comparison). */
async function exactly(s: SseClient, skip: number, n: number): Promise<ChitEvent[]> {
  const events = await s.untilEvents(skip + n);
  return events.slice(skip, skip + n);
}

const summary = (events: readonly ChitEvent[]) =>
  events.map((e) => (e.type === 'menu.availability' ? `${e.type} ${e.data.menuItemId} ${e.data.available}` : e.type));

describe('PATCH /api/menu/items/:id/availability', () => {
  it('lets the kitchen 86 a dish: it cannot be ordered, the stream says so, and a retry is replayed', async () => {
    const s = await stream(app.waiter);
    const burger = app.fx.item('Burger');
    const key = randomUUID();
    const off = await app.kitchen.patch(`/api/menu/items/${burger.id}/availability`, { available: false }, key);
    expect(off.status).toBe(200);
    expect(off.body.item).toMatchObject({ id: burger.id, available: false, station: burger.station });
    const [event] = await s.untilEvents(1);
    expect(event).toMatchObject({ type: 'menu.availability', data: { menuItemId: burger.id, available: false } });

    const retry = await app.kitchen.patch(`/api/menu/items/${burger.id}/availability`, { available: false }, key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const refused = await app.waiter.post('/api/orders', app.fx.order(80));
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('menu_item_unavailable');
    const menu = await app.waiter.get('/api/menu');
    expect(menu.body.items.find((i: { id: string }) => i.id === burger.id).available).toBe(false);

    // Saying it again changes nothing, so it is no event; bringing it back is one.
    await app.kitchen.patch(`/api/menu/items/${burger.id}/availability`, { available: false });
    await app.kitchen.patch(`/api/menu/items/${burger.id}/availability`, { available: true });
    const events = await exactly(s, 0, 2);
    expect(summary(events)).toEqual([`menu.availability ${burger.id} false`, `menu.availability ${burger.id} true`]);
  });

  it('is for kitchen and manager devices, and answers 404 for unknown items and 400 for bad bodies', async () => {
    const burger = app.fx.item('Burger');
    expect((await app.waiter.patch(`/api/menu/items/${burger.id}/availability`, { available: false })).status).toBe(
      403,
    );
    expect((await app.manager.patch(`/api/menu/items/${burger.id}/availability`, { available: true })).status).toBe(
      200,
    );
    const unknown = await app.kitchen.patch(`/api/menu/items/${randomUUID()}/availability`, { available: false });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('menu_item_not_found');
    const bad = await app.kitchen.patch(`/api/menu/items/${burger.id}/availability`, { available: 'no' });
    expect(bad.status).toBe(400);
  });
});
