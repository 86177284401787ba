import { afterEach, describe, expect, it } from 'vitest';
import { applyEvent, mergeTableItems } from '../db/cache.js';
import { clearTable } from '../db/mutations/clearTable.js';
import { ids } from '../test/fixtures.js';
import { harness, outboxRequests, type Harness } from '../test/harness.js';

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) {
    h.sender.stop();
    h.db.close();
  }
});

/** Two orders at table 1, both on the server; the first one's dish served at 12:30. */
async function servedAndComing(): Promise<{ h: Harness; served: string; coming: string }> {
  const h = await harness();
  open.push(h);
  const first = await h.order(ids.table1);
  const second = await h.order(ids.table1);
  await h.sender.kick();
  const served = (await h.db.items.where('orderId').equals(first).first())!.id;
  const coming = (await h.db.items.where('orderId').equals(second).first())!.id;
  const item = h.server.items.get(served)!;
  h.server.items.set(served, { ...item, status: 'served', servedAt: '2025-01-01T12:30:00.000Z', version: 2 });
  await readTable(h);
  expect((await h.db.items.get(served))?.status).toBe('served');
  return { h, served, coming };
}

async function readTable(h: Harness): Promise<void> {
  h.clock.now += 1; // a read asked for after what came before it
  const sentAt = h.clock.now;
  const list = await h.api.tableItems(ids.table1);
  if (list.kind !== 'ok') throw new Error('the list read failed');
  await mergeTableItems(h.db, ids.table1, list.data.items, sentAt, h.clock.now);
}

const tableItems = async (h: Harness) =>
  (await h.db.items.where('tableId').equals(ids.table1).toArray()).map((i) => [i.id, i.status]);

describe('clearing a table', () => {
  it('offline, the served dishes leave the table at once and the clear reaches the server when back online', async () => {
    const { h, coming } = await servedAndComing();
    h.network.up = false;
    h.clock.now = Date.parse('2025-01-01T13:00:00Z');
    expect(await clearTable(h.db, h.ctx, ids.table1, 'Ana')).toEqual({ ok: true });
    expect(await tableItems(h)).toEqual([[coming, 'queued']]);
    expect(await outboxRequests(h.db)).toMatchObject([{ kind: 'clearTable', state: 'pending' }]);
    expect(await h.sender.kick()).toMatchObject({ sent: 0, stopped: 'offline' });

    h.network.up = true;
    h.server.now = () => '2025-01-01T13:05:00.000Z';
    expect(await h.sender.kick()).toMatchObject({ sent: 1 });
    const sent = h.server.writes().at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', path: `/api/tables/${ids.table1}/clear`, body: { staffName: 'Ana' } });
    expect(sent.key).toBeTruthy();
    expect(await h.db.outbox.count()).toBe(0);

    // Reading the table again brings back neither the served dish nor a "voided" ghost of it.
    await readTable(h);
    expect(await tableItems(h)).toEqual([[coming, 'queued']]);
  });

  it('on another tablet: its event takes the served dishes off this one, and the dishes still coming stay', async () => {
    const { h, coming } = await servedAndComing();
    await applyEvent(
      h.db,
      {
        id: 7,
        at: '2025-01-01T13:00:00.000Z',
        type: 'table.cleared',
        data: { tableId: ids.table1, clearedAt: '2025-01-01T13:00:00.000Z' },
      },
      h.clock.now,
    );
    expect(await tableItems(h)).toEqual([[coming, 'queued']]);
  });

  it('on another tablet, learnt from a list read without the event: served dishes go, they are not shown as voided', async () => {
    const { h, served, coming } = await servedAndComing();
    h.server.clears.set(ids.table1, '2025-01-01T13:00:00.000Z');
    await readTable(h);
    expect(await h.db.items.get(served)).toBeUndefined();
    expect(await tableItems(h)).toEqual([[coming, 'queued']]);
  });
});
