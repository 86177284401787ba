import { describe, expect } from 'vitest';
import { appTest, type TestApp } from './harness.js';
import { SseClient } from './sse.js';

let app: TestApp;

const it = appTest({ events: true });

it.beforeAll(({ app: started }) => {
  app = started;
});

/** The position the log has reached once everything written so far is sequenced. */
async function sequencedHead(): Promise<number> {
  for (;;) {
    const { rows } = await app.db.pool.query<{ waiting: number; head: number }>(
      `SELECT count(*) FILTER (WHERE position IS NULL)::int AS waiting, coalesce(max(position), 0) AS head FROM events`,
    );
    if (rows[0]!.waiting === 0) return rows[0]!.head;
    app.server.events!.sequencer.kick();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a stream resumed far behind', () => {
  it('catches up on 100,000 events, each once and in order, then goes on live', async () => {
    const behind = 100_000;
    expect((await app.waiter.post('/api/orders', app.fx.order(5))).status).toBe(201);
    const cursor = await sequencedHead();
    // A dining room's evening of new orders, copied from a real one (about 1.5 KB each).
    await app.db.pool.query(
      `INSERT INTO events (position, type, table_id, order_id, device_id, payload, created_at)
       SELECT e.position + g, e.type, e.table_id, e.order_id, e.device_id, e.payload, e.created_at
         FROM events e, generate_series(1, $2::int) g
        WHERE e.position = $1`,
      [cursor, behind],
    );
    // They happened before the tablet comes back: this instance has read past them.
    const hub = app.server.events!.hub;
    hub.wake();
    while (hub.head < cursor + behind) await new Promise((resolve) => setTimeout(resolve, 20));

    const started = performance.now();
    // As the app asks for it: new orders compact.
    const s = await SseClient.open(`${app.server.baseUrl}/api/events?after=${cursor}&compact=1`, {
      authorization: `Bearer ${app.waiter.token}`,
    });
    await s.untilEvents(behind, 300_000);
    const seconds = (performance.now() - started) / 1000;
    const events = s.events;
    expect(s.ended).toBe(false);
    expect(events).toHaveLength(behind);
    expect(events.every((e, i) => e.id === cursor + 1 + i)).toBe(true);
    const bytes = s.frames.reduce((sum, f) => sum + (f.data?.length ?? 0), 0);
    console.log(
      `resume ${behind.toLocaleString('en')} events behind: ${seconds.toFixed(1)} s, ` +
        `${(behind / seconds).toFixed(0)} events/s, ${(bytes / 2 ** 20).toFixed(0)} MB`,
    );

    // Still live after the catch-up.
    const next = app.fx.order(6);
    await app.waiter.post('/api/orders', next);
    const [live] = (await s.untilEvents(behind + 1, 30_000)).slice(behind);
    expect(live).toMatchObject({ id: cursor + behind + 1, type: 'order.created' });
    s.close();
  }, 400_000);
});
