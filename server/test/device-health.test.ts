import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createMetrics, createMetricsServer, type Metrics } from '../src/metrics/metrics.js';
import { listedDevice, startTestApp, type Api, type TestApp } from './harness.js';

let app: TestApp;
let metrics: Metrics;
let metricsServer: Server;
let metricsUrl: string;

beforeAll(async () => {
  metrics = createMetrics({ defaults: false });
  app = await startTestApp({ metrics });
  metricsServer = createMetricsServer(metrics, createLogger('silent'));
  await new Promise<void>((resolve) => metricsServer.listen(0, '127.0.0.1', resolve));
  metricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`;
});

afterAll(async () => {
  await new Promise((resolve) => metricsServer.close(resolve));
  await app.close();
});

const outbox = (length: number, ageSeconds: number) => ({
  'Chit-Outbox-Length': String(length),
  'Chit-Outbox-Oldest-Age': String(ageSeconds),
});

const listed = (name: string) => listedDevice(app.manager, name);

async function scrape(): Promise<string> {
  return (await fetch(metricsUrl)).text();
}

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const read = (api: Api, headers: Record<string, string>) => api.request('GET', '/api/menu', { headers });

describe('device health', () => {
  it("shows a tablet's unsent writes from its order's headers, and flags them after 2 minutes", async () => {
    const order = await app.waiter.post('/api/orders', app.fx.order(7), undefined, outbox(3, 150));
    expect(order.status).toBe(201);
    const tablet = await listed('Tablet 1');
    expect(tablet.outbox).toMatchObject({ length: 3, oldestWaitSeconds: 150 });

    const text = await scrape();
    expect(sample(text, 'chit_devices_writes_stuck')).toBe(1);
    expect(text).toMatch(/chit_device_outbox_writes\{device_id="[^"]+",device="Tablet 1",role="waiter"\} 3/);
    expect(text).toMatch(/chit_device_outbox_oldest_write_seconds\{[^}]*device="Tablet 1"[^}]*\} 150/);
  });

  it('clears the flag on the next read once the outbox is empty, without waiting for the minute', async () => {
    expect((await read(app.waiter, outbox(0, 0))).status).toBe(200);
    const tablet = await listed('Tablet 1');
    expect(tablet.outbox).toMatchObject({ length: 0, oldestWaitSeconds: null });
    expect(sample(await scrape(), 'chit_devices_writes_stuck')).toBe(0);
  });

  it('records a read that reports new unsent writes at once, too', async () => {
    expect((await read(app.waiter, outbox(2, 200))).status).toBe(200);
    expect((await listed('Tablet 1')).outbox).toMatchObject({ length: 2, oldestWaitSeconds: 200 });
    await read(app.waiter, outbox(0, 0));
  });

  it('keeps the last report when a request carries none or a malformed one, and still answers', async () => {
    expect((await read(app.kitchen, outbox(4, 30))).status).toBe(200);
    expect((await read(app.kitchen, { 'Chit-Outbox-Length': 'lots', 'Chit-Outbox-Oldest-Age': '-1' })).status).toBe(
      200,
    );
    expect((await app.kitchen.get('/api/tables')).status).toBe(200);
    expect((await listed('Pass')).outbox).toMatchObject({ length: 4, oldestWaitSeconds: 30 });
  });

  it('counts a device not seen for 5 minutes', async () => {
    expect(sample(await scrape(), 'chit_devices_not_seen')).toBe(0);
    await app.db.pool.query(`UPDATE devices SET last_seen_at = now() - interval '6 minutes' WHERE name = 'Pass'`);
    const text = await scrape();
    expect(sample(text, 'chit_devices_not_seen')).toBe(1);
    expect(text).toMatch(/chit_device_last_seen_seconds\{[^}]*device="Pass"[^}]*\} 3[6-9]\d/);
  });

  it('says the database takes writes', async () => {
    expect(sample(await scrape(), 'chit_db_writable')).toBe(1);
  });
});
