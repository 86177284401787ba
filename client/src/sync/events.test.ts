import { afterEach, describe, expect, it } from 'vitest';
import { getMeta, setMeta } from '../db/meta.js';
import { ids, soupOrder } from '../test/fixtures.js';
import { harness, ManualTimers, type Harness } from '../test/harness.js';
import { Api } from './api.js';
import { EventSubscriber, type EventsMode } from './events.js';
import { SseParser } from './sse.js';

describe('the event-stream parser', () => {
  it('splits messages across chunks, joins multi-line data, keeps the last id and skips comments', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\nid: 7\nevent: item.changed\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\r\n\r\ndata: one\ndata: two\n')).toEqual([
      { id: '7', event: 'item.changed', data: '{"a":1}' },
    ]);
    expect(parser.push('\n')).toEqual([{ id: '7', event: 'message', data: 'one\ntwo' }]);
  });
});

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) h.db.close();
});

function sse(body: string): Response {
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

describe('the event subscriber', () => {
  it('falls back to polling when the server has no event stream (404), and asks again later', async () => {
    const h = await harness();
    open.push(h);
    const timers = new ManualTimers();
    const modes: EventsMode[] = [];
    let calls = 0;
    const api = new Api({
      fetch: () => {
        calls += 1;
        return Promise.resolve(
          new Response(JSON.stringify({ error: { code: 'not_found', message: 'There is no GET /api/events.' } }), {
            status: 404,
          }),
        );
      },
    });
    api.setToken('t'.repeat(20));
    const events = new EventSubscriber({
      db: h.db,
      now: () => h.clock.now,
      api,
      timers,
      onMode: (m) => modes.push(m),
      unavailableRetryMs: 300_000,
    });
    events.start();
    await expect.poll(() => modes.at(-1)).toBe('unavailable');
    expect(calls).toBe(1);
    expect(timers.scheduled).toBe(300_000);
    events.stop();
  });

  it('applies events to the tablet and resumes from the last one with Last-Event-ID and the query token', async () => {
    const h = await harness();
    open.push(h);
    const order = soupOrder('70000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000002', {
      tableId: ids.table1,
    });
    const ready = { ...order.items[0]!, status: 'ready' as const, version: 3, readyAt: '2025-01-01T12:10:00.000Z' };
    const seen: { url: string; lastEventId: string | null; auth: string | null }[] = [];
    const replies = [
      sse(
        `id: 41\nevent: order.created\ndata: ${JSON.stringify({ id: 41, at: order.createdAt, type: 'order.created', data: { order } })}\n\n` +
          `id: 42\nevent: item.changed\ndata: ${JSON.stringify({ id: 42, at: order.createdAt, type: 'item.changed', data: { item: ready, changed: ['status'], previousStatus: 'cooking' } })}\n\n`,
      ),
      sse(''),
    ];
    const api = new Api({
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        seen.push({
          url: input as string,
          lastEventId: headers.get('Last-Event-ID'),
          auth: headers.get('Authorization'),
        });
        return Promise.resolve(replies.shift() ?? sse(''));
      },
    });
    api.setToken('token-abcdefghijklmnop');
    const timers = new ManualTimers();
    const events = new EventSubscriber({ db: h.db, now: () => h.clock.now, api, timers, random: () => 0 });
    events.start();
    await expect.poll(async () => (await h.db.items.get(ready.id))?.status).toBe('ready');
    expect(await getMeta(h.db, 'lastEventId')).toBe(42);
    // The stream ended: it reconnects after a short backoff, from where it stopped.
    await expect.poll(() => timers.scheduled).not.toBeNull();
    timers.fire();
    await expect.poll(() => seen.length).toBe(2);
    expect(seen[0]).toMatchObject({
      lastEventId: null,
      url: '/api/events?compact=1&access_token=token-abcdefghijklmnop',
    });
    expect(seen[1]!.lastEventId).toBe('42');
    events.stop();
  });

  it('told that its position was pruned (reset), the tablet reloads its state and resumes from the head', async () => {
    const h = await harness();
    open.push(h);
    await setMeta(h.db, 'lastEventId', 12);
    const seen: (string | null)[] = [];
    const replies = [
      sse(`retry: 2000\nid: 90000\nevent: ready\ndata: {"head":90000,"resumed":false,"reset":"expired"}\n\n`),
      sse(''),
    ];
    const api = new Api({
      fetch: (_input, init) => {
        seen.push(new Headers(init?.headers).get('Last-Event-ID'));
        return Promise.resolve(replies.shift() ?? sse(''));
      },
    });
    api.setToken('token-abcdefghijklmnop');
    const timers = new ManualTimers();
    const readies: unknown[] = [];
    // The app's engine reloads the open tables (or the kitchen's orders) on every ready that did not resume.
    const events = new EventSubscriber({
      db: h.db,
      now: () => h.clock.now,
      api,
      timers,
      random: () => 0,
      onReady: (r) => readies.push(r),
    });
    events.start();
    await expect.poll(() => readies).toEqual([{ head: 90000, resumed: false, reset: 'expired' }]);
    expect(await getMeta(h.db, 'lastEventId')).toBe(90000);
    await expect.poll(() => timers.scheduled).not.toBeNull();
    timers.fire();
    await expect.poll(() => seen.length).toBe(2);
    expect(seen).toEqual(['12', '90000']);
    events.stop();
  });
});
