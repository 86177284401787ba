import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startTestApp, type ApiResponse, type TestApp } from './harness.js';
import { routesOf } from './routes.js';

interface Operation {
  responses: Record<string, { content: Record<string, { schema: object }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

let app: TestApp;
let doc: Document;
const ajv = new Ajv2020({ strict: false, validateFormats: false });

beforeAll(async () => {
  app = await startTestApp();
  const res = await fetch(`${app.server.baseUrl}/api/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Document;
});

afterAll(async () => {
  await app.close();
});

const openApiPath = (method: string, path: string) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`;

/** Checks an answer against the document's schema for its route and status (or `default` for errors). */
function conforms(method: string, route: string, res: ApiResponse): void {
  const operation = doc.paths[`/api${route.replace(/:(\w+)/g, '{$1}')}`]?.[method.toLowerCase()];
  expect(operation, `${method} ${route} is in the document`).toBeDefined();
  const answer = operation!.responses[String(res.status)] ?? operation!.responses.default!;
  const validate = ajv.compile(answer.content['application/json']!.schema);
  const valid = validate(res.body);
  expect(valid, `${method} ${route} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

describe('the API reference', () => {
  it('is an OpenAPI 3.1 document listing every route the app mounts', () => {
    expect(doc.openapi).toBe('3.1.0');
    const logger = createLogger('silent');
    // With the event stream, as main.ts mounts it.
    const express = createApp({
      pool: app.db.pool,
      clock: { now: () => new Date() },
      random: Math.random,
      config: { ...loadConfig({}), clientDist: '/nonexistent' },
      logger,
      events: { written: () => undefined } as never,
    });
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    const mounted = routesOf(express).filter((r) => !/ \/api\/(openapi\.json|docs)/.test(r));
    expect(mounted.length).toBeGreaterThan(30);
    const missing = mounted
      .map((r) => openApiPath(...(r.split(' ') as [string, string])))
      .filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
    expect(mounted.some((r) => r === 'GET /api/events')).toBe(true);
  });

  it('describes the answers the app really gives', async () => {
    const { waiter, kitchen, manager, fx } = app;
    const order = fx.order(11);
    const item = order.items[0]!;
    const tableId = order.tableId;
    const checks: [string, string, ApiResponse][] = [
      ['GET', '/health', await waiter.get('/api/health')],
      ['GET', '/me', await waiter.get('/api/me')],
      ['GET', '/menu', await waiter.get('/api/menu')],
      ['GET', '/tables', await waiter.get('/api/tables')],
      ['POST', '/orders', await waiter.post('/api/orders', order)],
      ['POST', '/orders', await waiter.post('/api/orders', { ...order, id: 'nope' })],
      ['GET', '/orders/open', await kitchen.get('/api/orders/open')],
      ['GET', '/orders/:orderId', await waiter.get(`/api/orders/${order.id}`)],
      ['GET', '/orders/:orderId', await waiter.get(`/api/orders/${randomUUID()}`)],
      ['GET', '/tables/:tableId/items', await waiter.get(`/api/tables/${tableId}/items`)],
      ['GET', '/tables/:tableId/items/:itemId', await waiter.get(`/api/tables/${tableId}/items/${item.id}`)],
      [
        'PATCH',
        '/orders/:orderId/items/:itemId',
        await kitchen.patch(`/api/orders/${order.id}/items/${item.id}`, { status: 'cooking' }),
      ],
      [
        'DELETE',
        '/tables/:tableId/items/:itemId',
        await waiter.delete(`/api/tables/${tableId}/items/${order.items[2]!.id}`, { reason: 'changed mind' }),
      ],
      [
        'PATCH',
        '/menu/items/:menuItemId/availability',
        await kitchen.patch(`/api/menu/items/${fx.item('Cola').id}/availability`, { available: false }),
      ],
      ['GET', '/devices', await manager.get('/api/devices')],
      ['POST', '/pairing-codes', await manager.post('/api/pairing-codes', { role: 'waiter' })],
      ['POST', '/tables', await manager.post('/api/tables', { number: 301, area: 'Bar' })],
      ['POST', '/menu/categories', await manager.post('/api/menu/categories', { name: 'Desserts' })],
      ['GET', '/reports/today', await manager.get('/api/reports/today')],
      ['GET', '/reports/today', await waiter.get('/api/reports/today')],
    ];
    const code = checks.find(([, route]) => route === '/pairing-codes')![2].body.code as string;
    checks.push([
      'POST',
      '/pair',
      await waiter.request('POST', '/api/pair', { body: { code, deviceName: 'New' }, key: null }),
    ]);
    for (const [method, route, res] of checks) {
      conforms(method, route, res);
    }
    // Both kinds of answer were seen: successes and errors.
    expect(checks.filter(([, , res]) => res.status >= 400).length).toBeGreaterThanOrEqual(3);
    expect(checks.filter(([, , res]) => res.status < 300).length).toBeGreaterThanOrEqual(15);
  });

  it('has a documentation page served from this origin only', async () => {
    const page = await fetch(`${app.server.baseUrl}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const source of sources) {
      expect(source.startsWith('/api/docs/')).toBe(true);
      expect((await fetch(`${app.server.baseUrl}${source}`)).status).toBe(200);
    }
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
