// @vitest-environment happy-dom
import { afterEach, expect, it } from 'vitest';
import { errorReply } from '../test/fake-server.js';
import { ids } from '../test/fixtures.js';
import { harness, type Harness } from '../test/harness.js';
import { SyncEngine } from './engine.js';

const open: { h: Harness; engine: SyncEngine }[] = [];
afterEach(() => {
  for (const { h, engine } of open.splice(0)) {
    engine.stop();
    h.sender.stop();
    h.db.close();
  }
});

async function started(): Promise<{ h: Harness; engine: SyncEngine }> {
  const h = await harness();
  const engine = new SyncEngine(h.db, h.ctx, { api: h.api, lock: h.lock });
  open.push({ h, engine });
  await engine.start();
  await engine.whenIdle();
  return { h, engine };
}

it('says "server unreachable", not "no network", when the network is up but the server does not answer', async () => {
  const { h, engine } = await started();
  await h.order();
  h.server.healthy = false;
  h.server.next(() => errorReply(503, 'unavailable', 'Restarting.'));
  await engine.kick();
  expect(engine.getStatus()).toMatchObject({ online: false, connection: 'unreachable' });
  window.dispatchEvent(new Event('offline'));
  expect(engine.getStatus().connection).toBe('no-network');
});

it('sends what waits as soon as any read is answered again, without waiting for its retry', async () => {
  const { h, engine } = await started();
  const orderId = await h.order();
  // The server is away for writes and its health check; the retry is a probe away.
  h.server.healthy = false;
  h.server.next(() => 'network');
  await engine.kick();
  expect(await h.db.outbox.count()).toBe(1);
  expect(engine.getStatus().connection).toBe('unreachable');

  // A screen's read gets an answer: that is the server back.
  await engine.refreshTable(ids.table1);
  await expect.poll(() => h.db.outbox.count()).toBe(0);
  expect(h.server.writes().map((w) => (w.body as { id: string }).id)).toEqual([orderId, orderId]);
  expect(engine.getStatus().connection).toBe('online');
});

it('tells the screen and the outbox panel when the tablet cannot save a write, instead of failing silently', async () => {
  const { h, engine } = await started();
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  try {
    h.db.close();
    const result = await engine.mutate('clearTable', { tableId: ids.table1 });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('could not save') });
    expect(engine.getStatus().failure).toMatchObject({ what: 'saving a clearTable' });
    expect(errors).toHaveLength(1);
  } finally {
    console.error = original;
  }
});
