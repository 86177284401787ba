import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, vi } from 'vitest';
import { createLogger } from '../src/logger.js';
import { Api, snapshotCounts, appTest, startTestServer, type TestApp } from './harness.js';
import { SseClient } from './sse.js';

/*
 * Input a careless client or a hostile network sends, which PostgreSQL or the stack would
 * choke on: each is refused with a 4xx naming what is wrong, and changes nothing.
 */

let app: TestApp;

const it = appTest();

it.beforeAll(({ app: started }) => {
  app = started;
});

const nul = 'ab\u0000cd';
const lowAlone = 'ab\uDC00cd';
const highAlone = 'fries \uD83D';

type Send = (bad: string) => Promise<{ status: number; body: any }>;

/** Every text field a client can send, by the path its `details` must name. */
function textFields(): [field: string, send: Send][] {
  const order = () => app.fx.order();
  const itemPath = () => `/api/orders/${context.orderId}/items/${context.itemId}`;
  /** A new dish, valid but for the fields given. */
  const addSoup = (fields: Record<string, unknown>) =>
    app.manager.post('/api/menu/items', {
      categoryId: app.fx.menu.categories[0]!.id,
      name: 'Soup',
      priceCents: 500,
      station: 'cold',
      ...fields,
    });
  return [
    ['note', (bad) => app.waiter.post('/api/orders', { ...order(), note: bad })],
    [
      'items.0.note',
      (bad) => {
        const o = order();
        return app.waiter.post('/api/orders', { ...o, items: [{ ...o.items[1], note: bad }] });
      },
    ],
    ['staffName', (bad) => app.waiter.post('/api/orders', { ...order(), staffName: bad })],
    [
      'customer.name',
      (bad) => {
        const { tableId: _, ...o } = order();
        return app.waiter.post('/api/orders', { ...o, type: 'takeaway', customer: { name: bad } });
      },
    ],
    [
      'customer.address',
      (bad) => {
        const { tableId: _, ...o } = order();
        const customer = { name: 'Ana', address: bad, phone: '+49 30 1234' };
        return app.waiter.post('/api/orders', { ...o, type: 'delivery', customer });
      },
    ],
    ['note', (bad) => app.waiter.patch(itemPath(), { note: bad }, undefined, { 'if-match': '1' })],
    ['reason', (bad) => app.waiter.delete(itemPath(), { reason: bad }, undefined, { 'if-match': '1' })],
    ['deviceName', (bad) => new Api(app.manager.baseUrl).post('/api/pair', { code: 'ABCD-EFGH', deviceName: bad })],
    ['name', (bad) => app.manager.post('/api/menu/categories', { name: bad })],
    ['staffName', (bad) => app.manager.post('/api/menu/categories', { name: 'Soups', staffName: bad })],
    ['description', (bad) => addSoup({ description: bad })],
    ['station', (bad) => addSoup({ station: bad })],
    ['allergens.0', (bad) => addSoup({ allergens: [bad] })],
    [
      'modifierGroups.0.options.0.name',
      (bad) => addSoup({ modifierGroups: [{ name: 'Bread', minChoices: 0, maxChoices: 1, options: [{ name: bad }] }] }),
    ],
    ['label', (bad) => app.manager.post('/api/tables', { number: 700, label: bad })],
    ['area', (bad) => app.manager.post('/api/tables', { number: 701, area: bad })],
    // A URL cannot carry a lone surrogate (its %-escapes decode to U+FFFD), only a NUL.
    [
      'station',
      (bad) =>
        app.waiter.get(`/api/orders/open?station=${encodeURIComponent(bad.replace(/[\uD800-\uDFFF]/g, '\u0000'))}`),
    ],
  ];
}

let context: { orderId: string; itemId: string };

beforeAll(async () => {
  const order = app.fx.order(3);
  await app.waiter.post('/api/orders', order);
  context = { orderId: order.id, itemId: order.items[0]!.id };
});

describe('text PostgreSQL cannot store', () => {
  for (const [label, bad] of [
    ['a NUL character', nul],
    ['a lone low surrogate', lowAlone],
    ['a lone high surrogate', highAlone],
  ] as const) {
    it(`is refused with 400 naming the field when it has ${label}, in every text field`, async () => {
      const before = await snapshotCounts(app.db.pool);
      for (const [field, send] of textFields()) {
        const res = await send(bad);
        expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(res.body.error.details).toContainEqual({ path: field, message: expect.stringMatching(/NUL|surrogate/) });
      }
      expect(await snapshotCounts(app.db.pool)).toEqual(before);
    });
  }

  it('still lets whole emoji and other characters through', async () => {
    const order = { ...app.fx.order(), note: 'birthday 🎂, no nuts', staffName: 'Zoë' };
    const res = await app.waiter.post('/api/orders', order);
    expect(res.status).toBe(201);
    expect(res.body.order.note).toBe('birthday 🎂, no nuts');
  });
});

describe('dates outside the years 2000 to 2100', () => {
  it('are refused as an order time with a message naming the years', async () => {
    for (const deviceTime of ['0000-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '2101-01-01T00:00:00Z']) {
      const res = await app.waiter.post('/api/orders', { ...app.fx.order(), deviceTime });
      expect(res.status, deviceTime).toBe(400);
      expect(res.body.error.details).toEqual([
        { path: 'deviceTime', message: expect.stringContaining('between the years 2000 and 2100') },
      ]);
    }
  });

  it('are refused as report bounds, as days or instants', async () => {
    for (const query of ['from=0000-01-01', 'to=0000-01-01T00:00:00Z', 'from=2026-01-01&to=9999-12-31']) {
      const res = await app.manager.get(`/api/reports/today?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain('between the years 2000 and 2100');
    }
  });

  it('leave a valid report period alone', async () => {
    const res = await app.manager.get('/api/reports/today?from=2026-01-01&to=2026-01-02T12:00:00Z');
    expect(res.status).toBe(200);
  });
});

describe('deeply nested JSON', () => {
  it('is refused with 400 body_too_deep before anything reads it, even in a field nobody knows', async () => {
    const before = await snapshotCounts(app.db.pool);
    const deep = '['.repeat(6000) + ']'.repeat(6000);
    const rawBody = JSON.stringify({ ...app.fx.order(), extra: 0 }).replace('0}', `${deep}}`);
    expect(rawBody.length).toBeGreaterThan(12_000);
    const res = await app.waiter.request('POST', '/api/orders', { rawBody });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('body_too_deep');
    // Objects count as much as arrays; brackets inside strings do not count.
    const objects = '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
    expect((await app.waiter.request('POST', '/api/orders', { rawBody: objects })).body.error.code).toBe(
      'body_too_deep',
    );
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
  });

  it('lets ordinary nesting and brackets inside strings through', async () => {
    const order = { ...app.fx.order(), note: '[[[[{{{{'.repeat(40), extra: JSON.parse('[[[[[[[[[[1]]]]]]]]]]') };
    const res = await app.waiter.post('/api/orders', order);
    expect(res.status).toBe(201);
  });
});

describe('authorization headers', () => {
  it('take the Bearer scheme in any case', async () => {
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const res = await new Api(app.waiter.baseUrl).request('GET', '/api/me', {
        headers: { authorization: `${scheme} ${app.waiter.token}` },
      });
      expect(res.status, scheme).toBe(200);
    }
    const basic = await new Api(app.waiter.baseUrl).request('GET', '/api/me', {
      headers: { authorization: `Basic ${app.waiter.token}` },
    });
    expect(basic.status).toBe(401);
  });
});

describe('the event stream', () => {
  it('answers HEAD at once, without opening a stream', async () => {
    const server = await startTestServer(app.db.pool, { events: { databaseUrl: app.db.url } });
    try {
      const res = await fetch(`${server.baseUrl}/api/events`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${app.waiter.token}` },
        signal: AbortSignal.timeout(5_000),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      expect(server.events!.hub.streams).toBe(0);
      const anonymous = await fetch(`${server.baseUrl}/api/events`, {
        method: 'HEAD',
        signal: AbortSignal.timeout(5_000),
      });
      expect(anonymous.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('keeps a token out of the log however its parameter name is %-encoded', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const server = await startTestServer(app.db.pool, { logger, events: { databaseUrl: app.db.url } });
    try {
      const token = app.waiter.token!;
      for (const name of ['access%5Ftoken', 'access%5ftoken', '%61ccess_token']) {
        const s = await SseClient.open(`${server.baseUrl}/api/events?mine=1&${name}=${token}`);
        await s.until(() => s.frames.some((f) => f.event === 'ready') || s.ended, 'the ready frame');
        expect(s.status, name).toBe(200);
        s.close();
      }
      await fetch(`${server.baseUrl}/api/menu?access%5Ftoken=${token}&x=1`);
      await fetch(`${server.baseUrl}/api/menu?access_token%5B%5D=${token}`);
      await until(() => lines.filter((l) => l.includes('"url"')).length >= 5);
      expect(lines.join('\n')).toContain('access%5Ftoken=[Redacted]');
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await server.close();
    }
  });
});

async function until(check: () => boolean): Promise<void> {
  await vi.waitFor(
    () => {
      if (!check()) throw new Error('timed out');
    },
    { timeout: 5_000, interval: 10 },
  );
}

describe('prices', () => {
  async function dish(priceCents: number, deltas: number[]) {
    const res = await app.manager.post('/api/menu/items', {
      categoryId: app.fx.menu.categories[0]!.id,
      name: `Dish ${priceCents} ${deltas.join(' ')}`,
      priceCents,
      station: 'grill',
      modifierGroups: [
        {
          name: 'Extras',
          minChoices: 0,
          maxChoices: deltas.length,
          options: deltas.map((priceDeltaCents, i) => ({ name: `Extra ${i}`, priceDeltaCents })),
        },
      ],
    });
    expect(res.status).toBe(201);
    return res.body.item as { id: string; modifierGroups: { options: { id: string }[] }[] };
  }

  const line = (item: Awaited<ReturnType<typeof dish>>, quantity: number) => ({
    id: randomUUID(),
    menuItemId: item.id,
    quantity,
    modifierOptionIds: item.modifierGroups[0]!.options.map((o) => o.id),
  });

  it('add up in the report past 2^31 cents', async () => {
    const before = (await app.manager.get('/api/reports/today')).body.totals.totalCents as number;
    const item = await dish(10_000_000, [10_000_000, 10_000_000]);
    const order = { id: randomUUID(), tableId: app.fx.table(5).id, items: [line(item, 99), line(item, 99)] };
    expect((await app.waiter.post('/api/orders', order)).status).toBe(201);
    const lineCents = 30_000_000 * 99;
    expect(lineCents).toBeGreaterThan(2 ** 31);
    const report = await app.manager.get('/api/reports/today');
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.totals.totalCents).toBe(before + 2 * lineCents);
    expect(report.body.menuItems.find((m: any) => m.menuItemId === item.id).totalCents).toBe(2 * lineCents);
  });

  it('never go below zero through options: such a line is refused with 422 unit_price_negative', async () => {
    const item = await dish(100, [-500]);
    const before = await snapshotCounts(app.db.pool);
    const res = await app.waiter.post('/api/orders', {
      id: randomUUID(),
      tableId: app.fx.table(6).id,
      items: [line(item, 1)],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unit_price_negative');
    expect(res.body.error.details).toEqual([
      { path: 'items.0.modifierOptionIds', message: expect.stringContaining('less than nothing') },
    ]);
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
    // Down to exactly nothing is fine (a free side with a discount option).
    const free = await dish(500, [-500]);
    expect(
      (await app.waiter.post('/api/orders', { id: randomUUID(), tableId: app.fx.table(6).id, items: [line(free, 1)] }))
        .status,
    ).toBe(201);
  });
});
