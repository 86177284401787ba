import { isDeepStrictEqual } from 'node:util';
import { OrderResponse } from '@chit/shared';
import type { Pool } from '../src/db/pool.js';
import type { JournalWrite } from './journal.js';
import { safeJson, send } from './tablet.js';

/** A tablet's journal as read back from disk, with the device it wrote as. */
export interface TabletRecord {
  name: string;
  deviceId: string;
  token: string;
  writes: JournalWrite[];
}

export interface Verdict {
  intended: number;
  acknowledged: number;
  refused: number;
  storedOnce: number;
  /** Acknowledged (201) orders that are not stored, or that never reached the kitchen's event log. */
  lost: number;
  /** Orders stored or announced to the kitchen more than once, or stored without any tablet meaning them. */
  duplicated: number;
  /** Orders whose final answer was a refusal, yet stored. */
  refusedButStored: number;
  /** Orders with no final answer even after the drain. */
  unfinished: number;
  /** Stored orders whose items differ from what was sent and then changed (ids, dish, note, quantity, void). */
  wrongItems: number;
  changesAcknowledged: number;
  /** Acknowledged quantity changes or voids missing from the stored item. */
  changesMissing: number;
  /** Items whose version is not 1 + the number of acknowledged changes. */
  versionsOff: number;
  /** Orders as `GET /api/orders/:id` shows them that differ from the database's rows. */
  apiMismatches: number;
  replays: number;
  /** Replays (same key, same request) whose answer differs from the tablet's final answer. */
  replaysDiffering: number;
  /** Replays whose bytes differ although they mean the same JSON (the stored answer was re-serialised). */
  replayBytesDiffering: number;
  /** Orders carrying text PostgreSQL cannot store (NUL, lone surrogate): they must be refused. */
  hostile: number;
  /** Answers 500 (a bug by definition; an outage is a 503), over all attempts. */
  internalErrors: number;
  /** A few concrete cases, for the person reading a failed run. */
  examples: string[];
}

interface ItemRow {
  id: string;
  order_id: string;
  menu_item_id: string;
  quantity: number;
  note: string;
  status: string;
  version: number;
}

interface ExpectedItem {
  menuItemId: string;
  note: string;
  quantity: number;
  voided: boolean;
  version: number;
}

interface SentOrder {
  id: string;
  items: { id: string; menuItemId: string; quantity: number; note: string }[];
}

/**
 * Checks every tablet's journal against PostgreSQL and the API: what each tablet was told
 * is what the restaurant has, exactly once, and a retry of any answered write gets the
 * same answer again.
 */
export async function checkAgainstJournals(
  pool: Pool,
  tablets: TabletRecord[],
  apiBaseUrl: string,
  options: { apiSample: number; replaySample: number; random: () => number },
): Promise<Verdict> {
  const v: Verdict = {
    intended: 0,
    acknowledged: 0,
    refused: 0,
    storedOnce: 0,
    lost: 0,
    duplicated: 0,
    refusedButStored: 0,
    unfinished: 0,
    wrongItems: 0,
    changesAcknowledged: 0,
    changesMissing: 0,
    versionsOff: 0,
    apiMismatches: 0,
    replays: 0,
    replaysDiffering: 0,
    replayBytesDiffering: 0,
    hostile: 0,
    internalErrors: 0,
    examples: [],
  };
  const example = (text: string) => {
    if (v.examples.length < 8) v.examples.push(text);
  };
  const deviceIds = tablets.map((t) => t.deviceId);
  const storedOrders = new Set(
    (await pool.query<{ id: string }>(`SELECT id FROM orders WHERE device_id = ANY($1)`, [deviceIds])).rows.map(
      (r) => r.id,
    ),
  );
  const announced = new Map(
    (
      await pool.query<{ order_id: string; n: number }>(
        `SELECT order_id, count(*)::int AS n FROM events WHERE type = 'order.created' AND device_id = ANY($1) GROUP BY order_id`,
        [deviceIds],
      )
    ).rows.map((r) => [r.order_id, r.n]),
  );
  const itemsByOrder = new Map<string, ItemRow[]>();
  for (const row of (
    await pool.query<ItemRow>(
      `SELECT id, order_id, menu_item_id, quantity, note, status, version FROM order_items WHERE device_id = ANY($1)`,
      [deviceIds],
    )
  ).rows) {
    const list = itemsByOrder.get(row.order_id) ?? [];
    list.push(row);
    itemsByOrder.set(row.order_id, list);
  }

  const intendedOrders = new Set<string>();
  const expectedByOrder = new Map<string, Map<string, ExpectedItem>>();
  const acknowledgedOrders: { tablet: TabletRecord; orderId: string }[] = [];
  for (const tablet of tablets) {
    // Orders first, then the changes made to them, in the order the tablet made them.
    for (const write of tablet.writes) {
      v.internalErrors += write.statuses.filter((s) => s === 500).length;
      if (write.intent.kind !== 'order') continue;
      v.intended++;
      const order = write.intent.body as SentOrder;
      // eslint-disable-next-line no-control-regex -- NUL is what is looked for
      if (order.items.some((i) => /[\u0000\ud800-\udfff]/.test(i.note))) v.hostile++;
      intendedOrders.add(order.id);
      const status = write.final?.status;
      if (status === undefined) {
        v.unfinished++;
        example(`order ${order.id} of ${tablet.name} has no final answer`);
        continue;
      }
      if (status === 201) {
        v.acknowledged++;
        acknowledgedOrders.push({ tablet, orderId: order.id });
        expectedByOrder.set(
          order.id,
          new Map(
            order.items.map((i) => [
              i.id,
              { menuItemId: i.menuItemId, note: i.note, quantity: i.quantity, voided: false, version: 1 },
            ]),
          ),
        );
      } else {
        v.refused++;
        if (storedOrders.has(order.id)) {
          v.refusedButStored++;
          example(`order ${order.id} of ${tablet.name} was answered ${status} but is stored`);
        }
      }
    }
    for (const write of tablet.writes) {
      if (write.intent.kind === 'order' || write.final?.status !== 200) continue;
      v.changesAcknowledged++;
      const item = expectedByOrder.get(write.intent.orderId)?.get(write.intent.itemId!);
      if (!item) throw new Error(`a change to item ${write.intent.itemId} of an order that was never acknowledged`);
      item.version++;
      if (write.intent.kind === 'void') item.voided = true;
      else item.quantity = (write.intent.body as { quantity: number }).quantity;
    }
  }

  for (const [orderId, expected] of expectedByOrder) {
    const events = announced.get(orderId) ?? 0;
    if (!storedOrders.has(orderId) || events === 0) {
      v.lost++;
      example(`acknowledged order ${orderId} is ${storedOrders.has(orderId) ? 'not in the event log' : 'not stored'}`);
      continue;
    }
    if (events > 1) {
      v.duplicated++;
      example(`order ${orderId} reached the kitchen ${events} times`);
      continue;
    }
    const rows = itemsByOrder.get(orderId) ?? [];
    let right = rows.length === expected.size;
    for (const row of rows) {
      const want = expected.get(row.id);
      if (!want || want.menuItemId !== row.menu_item_id || want.note !== row.note) {
        right = false;
        continue;
      }
      if (want.quantity !== row.quantity || want.voided !== (row.status === 'voided')) {
        v.changesMissing++;
        right = false;
        example(
          `item ${row.id}: quantity ${row.quantity}, ${row.status}; the tablet was told ${want.quantity}${want.voided ? ', voided' : ''}`,
        );
      }
      if (want.version !== row.version) {
        v.versionsOff++;
        right = false;
        example(`item ${row.id} has version ${row.version}, expected ${want.version}`);
      }
    }
    if (right) v.storedOnce++;
    else v.wrongItems++;
  }
  for (const orderId of storedOrders) {
    if (!intendedOrders.has(orderId)) {
      v.duplicated++;
      example(`order ${orderId} is stored but no tablet meant it`);
    }
  }

  // Through the API, as a tablet or the kitchen would read them.
  for (const { tablet, orderId } of sample(acknowledgedOrders, options.apiSample, options.random)) {
    const res = await fetch(`${apiBaseUrl}/api/orders/${orderId}`, {
      headers: { authorization: `Bearer ${tablet.token}` },
    });
    const rows = itemsByOrder.get(orderId) ?? [];
    if (!res.ok) {
      v.apiMismatches++;
      example(`GET /api/orders/${orderId} answered ${res.status}`);
      continue;
    }
    const { order } = OrderResponse.parse(await res.json());
    const same =
      order.items.length === rows.length &&
      order.items.every((item) => {
        const row = rows.find((r) => r.id === item.id);
        return row && row.quantity === item.quantity && row.status === item.status && row.version === item.version;
      });
    if (!same) {
      v.apiMismatches++;
      example(`GET /api/orders/${orderId} differs from the database`);
    }
  }

  // Replays: the same key and request again, straight to an instance, after the fact.
  const answered = tablets.flatMap((tablet) =>
    tablet.writes.filter((w) => w.final !== undefined).map((write) => ({ tablet, write })),
  );
  for (const { tablet, write } of sample(answered, options.replaySample, options.random)) {
    const final = write.final!;
    const again = await send(apiBaseUrl, write.intent, tablet.token, write.intent.key, 10_000);
    v.replays++;
    if (again.status !== final.status || !isDeepStrictEqual(safeJson(again.body), safeJson(final.body))) {
      v.replaysDiffering++;
      example(
        `replay of ${write.intent.method} ${write.intent.path}: ${final.status} at first, ${again.status ?? 'no answer'} now`,
      );
    } else if (again.body !== final.body) {
      v.replayBytesDiffering++;
    }
  }
  return v;
}

function sample<T>(list: T[], n: number, random: () => number): T[] {
  if (list.length <= n) return list;
  const copy = [...list];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** The anomalies of a verdict, by name; empty when the promise held. */
export function anomaliesOf(v: Verdict): string[] {
  const counts: [string, number][] = [
    ['lost', v.lost],
    ['duplicated', v.duplicated],
    ['refused-but-stored', v.refusedButStored],
    ['unfinished', v.unfinished],
    ['wrong items', v.wrongItems],
    ['changes missing', v.changesMissing],
    ['versions off', v.versionsOff],
    ['API mismatches', v.apiMismatches],
    ['replays differing', v.replaysDiffering],
    ['replays differing in bytes', v.replayBytesDiffering],
    ['http 500s', v.internalErrors],
  ];
  return counts.filter(([, n]) => n > 0).map(([name, n]) => `${n} ${name}`);
}
