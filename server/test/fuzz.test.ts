import { errorCodes } from '@chit/shared';
import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect } from 'vitest';
import type { Pool } from '../src/db/pool.js';
import { Api, appTest, type TestApp } from './harness.js';
import {
  createRouteContext,
  fillPath,
  paramsOf,
  routeCases,
  validBody,
  type RouteCase,
  type RouteContext,
} from './routes.js';

/*
 * Property: whatever malformed body, header or path parameter a client sends to any route,
 * the answer is a 4xx with a known error code (never a 5xx), and nothing is written.
 */

const runs = Number(process.env.FUZZ_RUNS ?? 100);

let app: TestApp;
let context: RouteContext;

// Limits out of the way: the fuzz sends thousands of writes from one device.
const unlimited = { perMinute: 1e9, burst: 1e9 };
const it = appTest({ config: { rateLimits: { writes: unlimited, pair: unlimited } } });

it.beforeAll(async ({ app: started }) => {
  app = started;
  context = await createRouteContext(app.manager, app.waiter, app.fx);
});

/** Everything a write could change, as counts and content hashes. */
async function snapshot(pool: Pool): Promise<Record<string, unknown>> {
  const { rows } = await pool.query(`
    SELECT (SELECT count(*) FROM orders)::int AS orders,
           (SELECT md5(coalesce(string_agg(i::text, ',' ORDER BY id), '')) FROM order_items i) AS order_items,
           (SELECT count(*) FROM events)::int AS events,
           (SELECT count(*) FROM idempotency_keys WHERE response_status < 400)::int AS idempotency_keys,
           (SELECT md5(coalesce(string_agg(c::text, ',' ORDER BY id), '')) FROM categories c) AS categories,
           (SELECT md5(coalesce(string_agg(m::text, ',' ORDER BY id), '')) FROM menu_items m) AS menu_items,
           (SELECT md5(coalesce(string_agg(g::text, ',' ORDER BY id), '')) FROM modifier_groups g) AS groups,
           (SELECT md5(coalesce(string_agg(o::text, ',' ORDER BY id), '')) FROM modifier_options o) AS options,
           (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY id), '')) FROM dining_tables t) AS tables,
           (SELECT md5(coalesce(string_agg(id || role || coalesce(revoked_at::text, ''), ',' ORDER BY id), ''))
              FROM devices) AS devices,
           (SELECT count(*) FROM pairing_codes)::int AS pairing_codes`);
  return rows[0];
}

interface Attempt {
  path: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  query?: string;
}

const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 40 });
// Not '', '.' or '..': URL normalisation would turn those into another, valid route.
const junkSegment = fc.oneof(
  printable.map((s) => encodeURIComponent(s)).filter((s) => !/^(?:\.|%2e){0,2}$/i.test(s)),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', 'null', '1', '-1', '00000000-0000-0000-0000-000000000000'),
  fc.uuid(),
);
const badKey = fc.oneof(
  fc.constant(''),
  // A space inside the key (not at its ends, which are trimmed) makes it invalid.
  fc.tuple(printable, printable).map(([a, b]) => `${a}k k${b}`),
  fc.integer({ min: 256, max: 400 }).map((n) => 'k'.repeat(n)),
);

/** A body the route's schema refuses: random JSON, or its valid body with one field broken. */
function badBodies(route: RouteCase, valid: Record<string, unknown> | undefined): fc.Arbitrary<Attempt> {
  const schema = route.body;
  if (!schema) return fc.constant({ path: '' }).filter(() => false);
  const refused = (value: unknown) => !schema.safeParse(value === undefined && route.bodyOptional ? {} : value).success;
  const broken = valid
    ? fc
        .tuple(fc.constantFrom(...Object.keys(valid), 'unexpected'), fc.jsonValue({ maxDepth: 2 }))
        .map(([key, value]) => ({ ...valid, [key]: value }))
    : fc.jsonValue({ maxDepth: 2 });
  return fc
    .oneof(fc.jsonValue({ maxDepth: 3 }), broken)
    .filter(refused)
    .map((body) => ({ path: fillPath(route.path, { ...context }), body }));
}

/** A body that would be fine, sent with a broken header or path parameter instead. */
/** The query's own parameters (plus a stranger), so some generated queries can be invalid. */
function queryKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? [...Object.keys(schema.shape), 'x'] : ['x'];
}

function badFrames(route: RouteCase, valid: Record<string, unknown> | undefined): fc.Arbitrary<Attempt> {
  const path = fillPath(route.path, { ...context });
  const frames: fc.Arbitrary<Attempt>[] = [
    printable.map((token) => ({ path, body: valid, headers: { authorization: `Bearer ${token}` } })),
  ];
  const params = paramsOf(route.path);
  if (params.length > 0) {
    frames.push(
      fc.tuple(fc.constantFrom(...params), junkSegment).map(([param, junk]) => ({
        path: fillPath(route.path, { ...context, [param]: junk }),
        body: valid,
      })),
    );
  }
  if (route.method !== 'GET') {
    frames.push(badKey.map((key) => ({ path, body: valid, headers: { 'idempotency-key': key } })));
    frames.push(
      fc
        .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/json')
        .map((type) => ({ path, rawBody: JSON.stringify(valid ?? {}), headers: { 'content-type': type } })),
    );
    frames.push(
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 60 }).map((raw) => ({
        path,
        rawBody: `{${raw}`,
      })),
    );
  }
  if (route.ifMatch) {
    frames.push(
      printable
        .filter((v) => !/^\s*(?:W\/)?"?\d{1,9}"?\s*$/.test(v))
        .map((v) => ({ path, body: valid, headers: { 'if-match': v } })),
    );
  }
  if (route.query) {
    frames.push(
      fc
        .dictionary(fc.constantFrom(...queryKeys(route.query)), printable, { minKeys: 1, maxKeys: 2 })
        .filter((q) => !route.query!.safeParse(q).success)
        .map((q) => ({ path, query: new URLSearchParams(q).toString() })),
    );
  }
  return fc.oneof(...frames);
}

describe('malformed requests to every route', () => {
  for (const route of routeCases) {
    it(`${route.method} /api${route.path}: 4xx with an error code, nothing written`, async () => {
      const valid = validBody(route, context);
      // Health and "who am I" read nothing a client sends but the token.
      const arbitrary = route.body
        ? fc.oneof(badBodies(route, valid), badFrames(route, valid))
        : badFrames(route, valid);
      const before = await snapshot(app.db.pool);
      await fc.assert(
        fc.asyncProperty(arbitrary, async (attempt) => {
          // A broken Authorization header replaces the token (the Api class would add its own).
          const anonymous = route.roles === 'public' || attempt.headers?.authorization !== undefined;
          const api = anonymous ? new Api(app.server.baseUrl) : app.manager;
          const res = await api.request(
            route.method,
            attempt.query ? `${attempt.path}?${attempt.query}` : attempt.path,
            {
              body: attempt.rawBody === undefined ? attempt.body : undefined,
              rawBody: attempt.rawBody,
              headers: attempt.headers,
            },
          );
          if (route.readsNothing) {
            // Routes without input answer whatever comes.
            expect(res.status).toBeLessThan(500);
            return;
          }
          expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
          expect(errorCodes).toContain(res.body?.error?.code);
          expect(await snapshot(app.db.pool)).toEqual(before);
        }),
        { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? 20261120) },
      );
    });
  }
});
