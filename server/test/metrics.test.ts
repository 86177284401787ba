import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createMetrics, createMetricsServer, type Metrics } from '../src/metrics/metrics.js';
import { appTest, type TestApp } from './harness.js';
import { SseClient } from './sse.js';

let app: TestApp;
const metrics: Metrics = createMetrics();
let metricsServer: Server;
let metricsUrl: string;

const it = appTest({ events: true, metrics });

it.beforeAll(async ({ app: started }) => {
  app = started;
  metricsServer = createMetricsServer(metrics, createLogger('silent'));
  await new Promise<void>((resolve) => metricsServer.listen(0, '127.0.0.1', resolve));
  metricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`;
});

afterAll(async () => {
  await new Promise((resolve) => metricsServer.close(resolve));
});

/** Scrapes the endpoint as Prometheus would and returns `name{labels} value` lines as a map. */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

function value(samples: Map<string, number>, name: string): number {
  return samples.get(name) ?? 0;
}

describe('the Prometheus endpoint', () => {
  it('counts an order once, and its retry as a replay', async () => {
    const before = await scrape();
    const order = app.fx.order(3);
    const key = randomUUID();
    expect((await app.waiter.post('/api/orders', order, key)).status).toBe(201);
    const retry = await app.waiter.post('/api/orders', order, key);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');

    const after = await scrape();
    expect(value(after, 'chit_orders_created_total') - value(before, 'chit_orders_created_total')).toBe(1);
    const replays = 'chit_idempotent_replays_total{route="/api/orders"}';
    expect(value(after, replays) - value(before, replays)).toBe(1);
    const created = 'chit_http_request_duration_seconds_count{method="POST",route="/api/orders",status="201"}';
    expect(value(after, created) - value(before, created)).toBe(2);
  });

  it('labels requests with the route pattern, not the ids in the path', async () => {
    const order = app.fx.order(4);
    await app.waiter.post('/api/orders', order);
    await app.waiter.get(`/api/orders/${order.id}`);
    await app.waiter.get(`/api/orders/${randomUUID()}`);
    const samples = await scrape();
    expect(
      value(
        samples,
        'chit_http_request_duration_seconds_count{method="GET",route="/api/orders/:orderId",status="200"}',
      ),
    ).toBe(1);
    expect(
      value(
        samples,
        'chit_http_request_duration_seconds_count{method="GET",route="/api/orders/:orderId",status="404"}',
      ),
    ).toBe(1);
    expect([...samples.keys()].some((name) => name.includes(order.id))).toBe(false);
    expect(
      value(
        samples,
        'chit_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/orders/:orderId",status="200"}',
      ),
    ).toBe(1);
  });

  it('counts refusals by their error code', async () => {
    const before = await scrape();
    await app.waiter.post('/api/orders', { ...app.fx.order(5), tableId: 'not-a-table' });
    await app.waiter.get('/api/no-such-route');
    await app.waiter.post('/api/orders', app.fx.order(5), null);
    const after = await scrape();
    const diff = (name: string) => value(after, name) - value(before, name);
    expect(diff('chit_refusals_total{code="validation_failed",status="400"}')).toBe(1);
    expect(diff('chit_refusals_total{code="not_found",status="404"}')).toBe(1);
    expect(diff('chit_refusals_total{code="idempotency_key_missing",status="400"}')).toBe(1);
    expect(diff('chit_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}')).toBe(1);
  });

  it('shows open event streams and how late their events were sent', async () => {
    const stream = await SseClient.open(`${app.server.baseUrl}/api/events`, {
      authorization: `Bearer ${app.waiter.token}`,
    });
    try {
      await stream.until(() => stream.frames.some((f) => f.event === 'ready'), 'the ready frame');
      expect(value(await scrape(), 'chit_event_streams_open')).toBe(1);
      const before = await scrape();
      const order = app.fx.order(6);
      const sentAt = Date.now();
      await app.waiter.post('/api/orders', order);
      await stream.until(() => stream.frames.some((f) => f.data?.includes(order.id) === true), 'the new order');
      const waited = (Date.now() - sentAt) / 1000;
      const after = await scrape();
      const diff = (name: string) => value(after, name) - value(before, name);
      expect(diff('chit_event_lag_seconds_count')).toBeGreaterThan(0);
      // The lag recorded is the event's own: no more than this test waited for it (not a
      // timing target: a loaded machine may take a second or more).
      const lag = diff('chit_event_lag_seconds_sum') / diff('chit_event_lag_seconds_count');
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThanOrEqual(waited + 0.05);
    } finally {
      stream.close();
    }
    await expect.poll(async () => value(await scrape(), 'chit_event_streams_open')).toBe(0);
  });

  it('shows the database pool in use', async () => {
    const samples = await scrape();
    expect(samples.has('chit_db_pool_connections{pool="app",state="total"}')).toBe(true);
    expect(value(samples, 'chit_db_pool_connections{pool="app",state="total"}')).toBeGreaterThanOrEqual(
      value(samples, 'chit_db_pool_connections{pool="app",state="idle"}'),
    );
    expect(samples.has('chit_db_pool_connections{pool="app",state="waiting"}')).toBe(true);
    // And the process itself (prom-client's defaults).
    expect(samples.has('chit_process_resident_memory_bytes')).toBe(true);
  });
});
