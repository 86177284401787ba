import { EventStreamReady } from '@chit/shared';
import { describe, expect } from 'vitest';
import { pruneEvents } from '../src/events/store.js';
import { pruneIdempotencyKeys } from '../src/http/idempotency.js';
import { appTest, type TestApp } from './harness.js';
import { SseClient } from './sse.js';

let app: TestApp;

const it = appTest({ events: true });

it.beforeAll(({ app: started }) => {
  app = started;
});

/** Appends `n` sequenced events made `daysAgo` days ago; returns the new head. */
async function eventsFrom(daysAgo: number, n: number): Promise<number> {
  const { rows } = await app.db.pool.query<{ head: number }>(
    `INSERT INTO events (position, type, payload, created_at)
     SELECT (SELECT coalesce(max(position), 0) FROM events) + g, 'tables.changed',
            jsonb_build_object('tableId', $3::uuid), now() - make_interval(days => $1)
       FROM generate_series(1, $2::int) g
     RETURNING position AS head`,
    [daysAgo, n, app.fx.table(1).id],
  );
  const head = Math.max(...rows.map((r) => r.head));
  const hub = app.server.events!.hub;
  hub.wake();
  while (hub.head < head) await new Promise((resolve) => setTimeout(resolve, 20));
  return head;
}

async function resume(after: number): Promise<{ s: SseClient; ready: EventStreamReady; id: string | undefined }> {
  const s = await SseClient.open(`${app.server.baseUrl}/api/events?after=${after}`, {
    authorization: `Bearer ${app.waiter.token}`,
  });
  await s.until(() => s.frames.some((f) => f.event === 'ready'), 'the ready frame');
  const frame = s.frames.find((f) => f.event === 'ready')!;
  return { s, ready: EventStreamReady.parse(JSON.parse(frame.data!)), id: frame.id };
}

describe('event log retention', () => {
  it('prunes events older than the retention, oldest first in small batches, never the newest', async () => {
    const oldHead = await eventsFrom(20, 23);
    const { rows: before } = await app.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events`);
    expect(await pruneEvents(app.db.pool, 14, 5)).toBe(oldHead - 1);
    const { rows } = await app.db.pool.query<{ position: number }>(`SELECT position FROM events ORDER BY position`);
    // Everything was old: only the head stays, so positions go on from it after a quiet spell.
    expect(rows.map((r) => r.position)).toEqual([oldHead]);
    expect(before[0]!.n).toBe(oldHead);

    const recentHead = await eventsFrom(1, 10);
    expect(await pruneEvents(app.db.pool, 14, 5)).toBe(1);
    const { rows: left } = await app.db.pool.query<{ position: number }>(
      `SELECT position FROM events ORDER BY position`,
    );
    expect(left.map((r) => r.position)).toEqual(Array.from({ length: 10 }, (_, i) => recentHead - 9 + i));
  });

  it('tells a device resuming from a pruned position to reset, and resumes one from a kept position', async () => {
    const head = app.server.events!.hub.head;
    const gone = await resume(3);
    expect(gone.ready).toEqual({ head, resumed: false, reset: 'expired' });
    // Its new position is the head: the reload covers everything before it.
    expect(gone.id).toBe(String(head));
    gone.s.close();

    const kept = await resume(head - 2);
    expect(kept.ready).toEqual({ head, resumed: true });
    const events = await kept.s.untilEvents(2);
    expect(events.map((e) => e.id)).toEqual([head - 1, head]);
    kept.s.close();
  });

  it('prunes idempotency keys past their retention in small batches, keeping the recent ones', async () => {
    const device = (await app.db.pool.query<{ id: string }>(`SELECT id FROM devices LIMIT 1`)).rows[0]!.id;
    await app.db.pool.query(
      `INSERT INTO idempotency_keys (device_id, key, request_hash, created_at)
       SELECT $1::uuid, 'old-' || g, '\\x00'::bytea, now() - interval '40 days' FROM generate_series(1, 12) g
       UNION ALL
       SELECT $1::uuid, 'new-' || g, '\\x00'::bytea, now() - interval '2 days' FROM generate_series(1, 3) g`,
      [device],
    );
    expect(await pruneIdempotencyKeys(app.db.pool, 30, 5)).toBe(12);
    const { rows } = await app.db.pool.query<{ key: string }>(
      `SELECT key FROM idempotency_keys WHERE device_id = $1 AND (key LIKE 'old-%' OR key LIKE 'new-%') ORDER BY key`,
      [device],
    );
    expect(rows.map((r) => r.key)).toEqual(['new-1', 'new-2', 'new-3']);
  });
});
