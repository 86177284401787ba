import type { Role } from '@chit/shared';
import { describe, expect } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { Api, appTest, deviceApi, type TestApp } from './harness.js';
import { allows, createRouteContext, fillPath, routeCases, routesOf, type RouteContext } from './routes.js';

let app: TestApp;
let apis: Record<Role | 'none' | 'revoked', Api>;
let context: RouteContext;

const it = appTest();

it.beforeAll(async ({ app: started }) => {
  app = started;
  const { db, server, manager, waiter, kitchen, fx } = app;
  const revoked = await deviceApi(db.pool, server.baseUrl, 'manager', 'Revoked manager');
  const revokedId = (await revoked.get('/api/me')).body.device.id;
  await manager.delete(`/api/devices/${revokedId}`);
  apis = { manager, waiter, kitchen, none: new Api(server.baseUrl), revoked };
  context = await createRouteContext(manager, waiter, fx);
});

describe('the route table', () => {
  it('lists every route the app serves', () => {
    const served = createApp({
      pool: app.db.pool,
      clock: { now: () => new Date() },
      random: Math.random,
      config: { ...loadConfig({}), clientDist: '/nonexistent' },
      logger: createLogger('silent'),
    });
    const listed = routeCases.map((r) => `${r.method} /api${r.path}`).sort();
    expect(routesOf(served)).toEqual(listed);
  });
});

describe('the role matrix', () => {
  const who = ['waiter', 'kitchen', 'manager', 'none', 'revoked'] as const;
  for (const route of routeCases) {
    it(`${route.method} /api${route.path}`, async () => {
      for (const role of who) {
        // No write accepts this body: a device that passes the role check is stopped by
        // validation (400), so nothing changes between rows of the matrix.
        const res = await apis[role].request(route.method, fillPath(route.path, { ...context }), {
          body: route.method === 'GET' ? undefined : { unexpected: true },
        });
        const expected = role === 'revoked' ? route.roles === 'public' : allows(route, role);
        if (expected) {
          expect([401, 403], `${role} should pass`).not.toContain(res.status);
        } else if (role === 'none' || role === 'revoked') {
          expect(res.status, role).toBe(401);
          expect(res.body.error.code).toBe('unauthorized');
        } else {
          expect(res.status, role).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
        }
      }
    });
  }
});
