import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.js';

let app: TestApp;
let clockNow = new Date();
const at = (iso: string) => {
  clockNow = new Date(iso);
};

const ids = { yesterday: randomUUID(), a: randomUUID(), b: randomUUID(), c: randomUUID() };
const items = {
  aBurger: randomUUID(),
  aCola: randomUUID(),
  bPizza: randomUUID(),
  bFries: randomUUID(),
  cBurger: randomUUID(),
};

beforeAll(async () => {
  // Berlin is UTC+1 in November: its "today" (the 20th) starts at 2026-11-19T23:00Z.
  app = await startTestApp({ clock: { now: () => clockNow }, config: { timezone: 'Europe/Berlin' } });
  const line = (id: string, name: string, quantity = 1, options: string[] = []) => ({
    id,
    menuItemId: app.fx.item(name).id,
    quantity,
    modifierOptionIds: options,
  });
  const t2 = app.fx.table(2).id;

  at('2026-11-19T22:30:00Z'); // 23:30 on the 19th in Berlin
  await app.waiter.post('/api/orders', {
    id: ids.yesterday,
    tableId: app.fx.table(1).id,
    items: [line(randomUUID(), 'Cola')],
  });

  at('2026-11-19T23:30:00Z'); // 00:30 on the 20th in Berlin
  await app.waiter.post('/api/orders', {
    id: ids.a,
    tableId: t2,
    staffName: 'Ana',
    items: [line(items.aBurger, 'Burger', 2), line(items.aCola, 'Cola')],
  });
  at('2026-11-19T23:42:00Z');
  await app.kitchen.patch(`/api/tables/${t2}/items/${items.aBurger}`, { status: 'ready' });

  at('2026-11-20T10:00:00Z');
  await app.waiter.post('/api/orders', {
    id: ids.b,
    tableId: t2,
    items: [line(items.bPizza, 'Margherita', 1, [app.fx.option('Margherita', 'Medium')]), line(items.bFries, 'Fries')],
  });
  at('2026-11-20T10:05:00Z');
  await app.kitchen.patch(`/api/tables/${t2}/items/${items.bFries}`, { status: 'cooking' });
  await app.waiter.delete(`/api/tables/${t2}/items/${items.bFries}`, { reason: 'wrong table', staffName: 'Ben' });

  at('2026-11-20T11:00:00Z');
  await app.waiter.post('/api/orders', {
    id: ids.c,
    type: 'takeaway',
    customer: { name: 'Mia' },
    items: [line(items.cBurger, 'Burger')],
  });
  at('2026-11-20T11:20:00Z');
  await app.kitchen.patch(`/api/orders/${ids.c}/items/${items.cBurger}`, { status: 'ready' });
  at('2026-11-20T12:00:00Z');
});

afterAll(() => app.close());

describe("today's report", () => {
  it('runs from local midnight in TIMEZONE to now, with totals per order and per table', async () => {
    const res = await app.manager.get('/api/reports/today');
    expect(res.status).toBe(200);
    const report = res.body;
    expect(report).toMatchObject({
      from: '2026-11-19T23:00:00.000Z',
      to: '2026-11-20T12:00:00.000Z',
      timezone: 'Europe/Berlin',
      totals: { orders: 3, items: 4, totalCents: 2 * 1350 + 350 + 1100 + 1350, voidedItems: 1, voidedCents: 450 },
    });
    expect(report.orders.map((o: any) => [o.id, o.type, o.tableNumber, o.totalCents, o.openItems])).toEqual([
      [ids.a, 'dine_in', 2, 3050, 2],
      [ids.b, 'dine_in', 2, 1100, 1],
      [ids.c, 'takeaway', null, 1350, 1],
    ]);
    expect(report.orders[0]).toMatchObject({ staffName: 'Ana', deviceName: 'Tablet 1', customer: null });
    // Lines of one order share their creation time; their order among themselves is not promised.
    expect(report.orders[1].items.map((i: any) => `${i.name} ${i.status}`).sort()).toEqual([
      'Fries voided',
      'Margherita queued',
    ]);
    expect(report.orders[2].customer).toEqual({ name: 'Mia', address: null, phone: null });
    expect(report.tables).toEqual([
      {
        tableId: app.fx.table(2).id,
        number: 2,
        label: 'Table 2',
        area: 'Inside',
        orders: 2,
        totalCents: 4150,
        openItems: 3,
      },
    ]);
  });

  it('lists voids with who and when, and the time from sent to ready per dish', async () => {
    const report = (await app.manager.get('/api/reports/today')).body;
    expect(report.voids).toEqual([
      {
        itemId: items.bFries,
        orderId: ids.b,
        tableNumber: 2,
        name: 'Fries',
        quantity: 1,
        unitPriceCents: 450,
        reason: 'wrong table',
        voidedAt: '2026-11-20T10:05:00.000Z',
        afterCookingStarted: true,
        voidedByDeviceId: expect.any(String),
        voidedByDeviceName: 'Tablet 1',
        voidedByStaffName: 'Ben',
      },
    ]);
    const byName = Object.fromEntries(report.menuItems.map((m: any) => [m.name, m]));
    // Burgers took 12 and 20 minutes: the mean is 16, the interpolated 90th percentile 19.2.
    expect(byName.Burger).toMatchObject({
      quantity: 3,
      totalCents: 3 * 1350,
      readyCount: 2,
      avgMinutesToReady: 16,
      p90MinutesToReady: 19.2,
    });
    expect(byName.Cola).toMatchObject({ quantity: 1, readyCount: 0, avgMinutesToReady: null, p90MinutesToReady: null });
    expect(byName.Fries).toMatchObject({ quantity: 0, totalCents: 0 });
  });

  it('sums sales per waiter (who took the order, on which tablet) and per local hour, voids left out', async () => {
    const report = (await app.manager.get('/api/reports/today')).body;
    expect(report.waiters).toEqual([
      { staffName: 'Ana', deviceId: expect.any(String), deviceName: 'Tablet 1', orders: 1, items: 2, totalCents: 3050 },
      // Orders sent without a staff name are the tablet's.
      { staffName: '', deviceId: expect.any(String), deviceName: 'Tablet 1', orders: 2, items: 2, totalCents: 2450 },
    ]);
    // Hours start at local (Berlin) hours; the quiet ones are left out.
    expect(report.hours).toEqual([
      { hour: '2026-11-19T23:00:00.000Z', orders: 1, items: 2, totalCents: 3050 },
      { hour: '2026-11-20T10:00:00.000Z', orders: 1, items: 1, totalCents: 1100 },
      { hour: '2026-11-20T11:00:00.000Z', orders: 1, items: 1, totalCents: 1350 },
    ]);
    const sum = (rows: { orders: number; totalCents: number }[]) =>
      rows.reduce((n, r) => [n[0]! + r.orders, n[1]! + r.totalCents], [0, 0]);
    expect(sum(report.waiters)).toEqual([report.totals.orders, report.totals.totalCents]);
    expect(sum(report.hours)).toEqual([report.totals.orders, report.totals.totalCents]);
  });

  it('has no sales per waiter or hour for a day without orders', async () => {
    const report = (await app.manager.get('/api/reports/today?from=2026-11-10&to=2026-11-10')).body;
    expect(report.waiters).toEqual([]);
    expect(report.hours).toEqual([]);
  });

  it('takes a period as local days or as instants', async () => {
    const day = (await app.manager.get('/api/reports/today?from=2026-11-19&to=2026-11-19')).body;
    expect([day.from, day.to]).toEqual(['2026-11-18T23:00:00.000Z', '2026-11-19T23:00:00.000Z']);
    expect(day.orders.map((o: any) => o.id)).toEqual([ids.yesterday]);
    const span = (await app.manager.get('/api/reports/today?from=2026-11-20T10:00:00Z&to=2026-11-20T10:30:00%2B00:00'))
      .body;
    expect(span.orders.map((o: any) => o.id)).toEqual([ids.b]);
    expect(span.voids).toHaveLength(1);
  });

  it('refuses a period that ends before it starts, or unknown parameters, and is for managers only', async () => {
    for (const query of ['from=2026-11-21&to=2026-11-20', 'from=yesterday', 'day=2026-11-20', 'from=2025-01-01']) {
      const res = await app.manager.get(`/api/reports/today?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await app.waiter.get('/api/reports/today')).status).toBe(403);
  });
});

describe("a busy day's report", () => {
  it('sums every order but lists them a page at a time, each page continuing where the last ended', async () => {
    const day = '2026-11-25';
    const placed: string[] = [];
    for (let n = 0; n < 120; n++) {
      at(`2026-11-25T${String(10 + Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00Z`);
      const order = app.fx.order(30 + (n % 5));
      placed.push(order.id);
      expect((await app.waiter.post('/api/orders', order)).status).toBe(201);
    }
    at('2026-11-26T09:00:00Z');
    const report = (await app.manager.get(`/api/reports/today?from=${day}&to=${day}`)).body;
    expect(report.totals.orders).toBe(120);
    expect(report.tables.reduce((sum: number, t: { orders: number }) => sum + t.orders, 0)).toBe(120);
    expect(report.orders).toHaveLength(50);
    const seen: string[] = report.orders.map((o: { id: string }) => o.id);
    let next: string | null = report.nextOrders;
    while (next !== null) {
      const page = await app.manager.get(`/api/reports/orders?from=${day}&to=${day}&after=${encodeURIComponent(next)}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.orders.map((o: { id: string }) => o.id));
      next = page.body.next;
    }
    expect(seen).toEqual(placed);
    const sorted = report.orders[0].items.map((i: { status: string }) => i.status);
    expect(sorted).toEqual(['queued', 'queued', 'queued']);
    expect(report.nextVoids).toBeNull();

    const bad = await app.manager.get(`/api/reports/orders?from=${day}&to=${day}&after=page-2`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });
});
