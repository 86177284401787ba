import { mkdtempSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errorCodes } from '@chit/shared';
import fc from 'fast-check';
import { afterAll, describe, expect } from 'vitest';
import { createLogger } from '../src/logger.js';
import { appTest, type TestApp } from './harness.js';
import { createRouteContext, fillPath, routeCases, validBody, type RouteContext } from './routes.js';

/*
 * Property: no request of any shape gets a 5xx, from any caller, on any route (the event
 * stream and the app's static files included). Requests carry text with control
 * characters, NUL and lone surrogates, JSON nested shallow to very deep, and odd headers
 * (Content-Type, Accept, If-Match, Range, Authorization...). Some of them are valid and
 * change things: unlike fuzz.test.ts, this file does not check that nothing was written,
 * only that every answer is below 500, carries a known error code when it is an error,
 * and that nothing was logged as an error.
 */

const runs = Number(process.env.FUZZ_HOSTILE_RUNS ?? 40);
const seed = Number(process.env.FUZZ_SEED ?? 20261130);

let app: TestApp;
let context: RouteContext;
const errorLines: string[] = [];
// The app's built files: the folder is filled before the first test, the server reads it per request.
const dist = mkdtempSync(path.join(os.tmpdir(), 'chit-fuzz-dist-'));

const unlimited = { perMinute: 1e9, burst: 1e9 };
const it = appTest({
  config: { clientDist: dist, rateLimits: { writes: unlimited, pair: unlimited } },
  events: true,
  logger: createLogger('error', { write: (line: string) => void errorLines.push(line) }),
});

it.beforeAll(async ({ app: started }) => {
  app = started;
  await mkdir(path.join(dist, 'assets'));
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Chit</title>');
  await writeFile(path.join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(path.join(dist, 'manifest.webmanifest'), '{"name":"Chit"}');
  await writeFile(path.join(dist, 'assets', 'app-1234.js'), 'console.log("chit");');
  context = await createRouteContext(app.manager, app.waiter, app.fx);
});

afterAll(async () => {
  await rm(dist, { recursive: true, force: true });
});

/** Characters that break naive code: C0 and C1 controls, NUL, lone and paired surrogates, BOMs, separators. */
const hostileChar = fc.oneof(
  fc.constantFrom(
    '\u0000',
    '\uD800',
    '\uDBFF',
    '\uDC00',
    '\uDFFF',
    '\uD83D\uDE00',
    '\u007F',
    '\u0085',
    '\u2028',
    '\uFEFF',
    '\uFFFE',
    '\uFFFF',
    '\t',
    '\r\n',
  ),
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.string({ unit: 'grapheme-ascii', maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 2 }),
);
const hostileText = fc
  .tuple(
    fc.array(hostileChar, { maxLength: 8 }),
    // Most texts carry one of the characters PostgreSQL refuses somewhere in them.
    fc.constantFrom('\u0000', '\uD800', '\uDC00', '\uDBFF', ''),
    fc.array(hostileChar, { maxLength: 4 }),
  )
  .map(([head, bad, tail]) => [...head, bad, ...tail].join(''));

/** JSON nested `depth` levels, arrays and objects mixed. */
function nested(depth: number, objects: boolean): string {
  return objects ? '{"a":'.repeat(depth) + '0' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
}
const depth = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(100, 1_000, 6_000));

const token = (role: 'manager' | 'waiter') => app[role].token!;

/** Authorization headers as careless clients write them; some carry a real token. */
const authorization = fc.oneof(
  fc.constantFrom<(t: string) => string>(
    (t) => `bearer ${t}`,
    (t) => `BEARER   ${t}  `,
    (t) => `Bearer\t${t}`,
    (t) => `Bearer ${t} extra`,
    (t) => `Bearer "${t}"`,
    (t) => `Basic ${Buffer.from(`x:${t}`).toString('base64')}`,
    (t) => `Bearer ${t.slice(0, 10)}`,
    () => 'Bearer',
    () => 'Bearer ',
    () => '',
    () => 'Negotiate abc==',
  ),
  fc.string({ unit: 'grapheme-ascii', maxLength: 30 }).map((s) => () => `Bearer ${s}`),
);

/** Header name and value pairs that are odd but legal on the wire (no NUL, CR or LF). */
const oddHeader = fc.oneof(
  fc
    .constantFrom(
      'application/json; charset=utf-16',
      'application/json; charset=utf-32',
      'application/json; charset=latin1',
      'application/json; charset=""',
      'application/json;;;',
      'application/merge-patch+json',
      'application/json, text/plain',
      'text/json',
      '*/*',
      'multipart/form-data',
      '',
    )
    .map((v) => ['content-type', v] as const),
  fc
    .constantFrom('text/event-stream', 'application/xml', '*/*;q=0', 'text/html;q=abc', 'image/*', ',,,', '')
    .map((v) => ['accept', v] as const),
  fc
    .constantFrom('*', 'W/"1"', '"1"', '"99999999999999999999"', '1, 2', '"', 'W/', '-1', '1e3', 'null')
    .map((v) => ['if-match', v] as const),
  fc
    .constantFrom('bytes=0-0', 'bytes=99999-', 'bytes=5-1', 'bytes=-0', 'bytes=0-1,2-3', 'items=0-1', 'bytes=', '=')
    .map((v) => ['range', v] as const),
  fc
    .constantFrom('Sat, 01 Jan 2000 00:00:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', 'yesterday', '0')
    .map((v) => ['if-unmodified-since', v] as const),
  fc.constantFrom('*', '"abc"', 'W/"x"', ',').map((v) => ['if-none-match', v] as const),
  fc.constantFrom('-1', '1e20', '99999999999999999999', 'abc', ' 5 ').map((v) => ['last-event-id', v] as const),
  fc.constantFrom('"', '""', 'a'.repeat(300), 'ä', ' k ').map((v) => ['idempotency-key', v] as const),
  fc.constantFrom('gzip', 'br', 'identity, gzip', 'x-unknown').map((v) => ['content-encoding', v] as const),
  fc.constantFrom('1.0', '', 'é', 'x'.repeat(100)).map((v) => ['chit-app-version', v] as const),
  fc.constantFrom('true', 'false', 'TRUE', '', 'é', '1').map((v) => ['chit-storage-persisted', v] as const),
);

interface Attempt {
  method: string;
  path: string;
  body?: string | Uint8Array;
  headers: Record<string, string>;
}

/**
 * The body with new ids where the client makes them (orders and their items), so a valid
 * order is not simply refused as already stored. Called per attempt, through `withField`.
 */
function freshIds(body: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!body || !Array.isArray(body.items)) return body;
  return {
    ...body,
    id: crypto.randomUUID(),
    items: (body.items as Record<string, unknown>[]).map((item) => ({ ...item, id: crypto.randomUUID() })),
  };
}

/** The JSON text of `body` with one field (a known one, or a stranger) set to a value given as JSON text. */
function withField(body: Record<string, unknown> | undefined, key: string, json: string): string {
  const base = JSON.stringify({ ...freshIds(body), [key]: 0 });
  return base.replace(new RegExp(`"${key}":0([,}])`), `"${key}":${json}$1`);
}

/** Bytes that are not UTF-8 at all, inside an otherwise fine JSON string. */
function badUtf8(body: Record<string, unknown> | undefined, key: string): Uint8Array {
  const [head, tail] = withField(body, key, '"@"').split('@') as [string, string];
  return Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80, 0xc0, 0xaf]), Buffer.from(tail)]);
}

const textFieldNames = [
  'note',
  'staffName',
  'name',
  'description',
  'station',
  'label',
  'area',
  'reason',
  'deviceName',
  'code',
  'deviceTime',
];

const staticPaths = [
  '/',
  '/kitchen',
  '/manage',
  '/pair?code=ABCD',
  '/sw.js',
  '/index.html',
  '/manifest.webmanifest',
  '/assets/app-1234.js',
  '/missing.js',
  '/%',
  '/%00',
  '/%ED%A0%80',
  '/..%2f..%2fetc%2fpasswd',
];

/** Every request a route can get: its method or GET/HEAD, a body or query made hostile, odd headers, any caller. */
function attempts(method: string, routePath: string, query: string[]): fc.Arbitrary<Attempt> {
  const route = routeCases.find((r) => r.method === method && r.path === routePath);
  const valid = route ? freshIds(validBody(route, context)) : undefined;
  // The route's own fields, every text field name the API has, and a stranger.
  const keys = [...new Set([...Object.keys(valid ?? {}), ...textFieldNames, 'unexpected'])];
  const target = route ? fillPath(route.path, { ...context }) : `/api${routePath}`;
  // The text fields this route's schema takes (a plain word passes there), to fill all at once.
  const textKeys =
    route?.body && valid ? textFieldNames.filter((k) => route.body!.safeParse({ ...valid, [k]: 'Fuzz' }).success) : [];
  const body: fc.Arbitrary<string | Uint8Array | undefined> =
    method === 'GET' || method === 'HEAD'
      ? fc.constant(undefined)
      : fc.oneof(
          fc
            .tuple(fc.constantFrom(...keys), hostileText)
            .map(([key, text]) => withField(valid, key, JSON.stringify(text))),
          fc
            .tuple(fc.constantFrom(...keys), hostileText)
            .map(([key, text]) => withField(valid, key, JSON.stringify([{ deep: [text] }]))),
          fc
            .tuple(fc.constantFrom(...keys), depth, fc.boolean())
            .map(([key, d, o]) => withField(valid, key, nested(d, o))),
          fc.constantFrom(...keys).map((key) => badUtf8(valid, key)),
          fc.constant(null).map(() => JSON.stringify(freshIds(valid) ?? {})),
          fc
            .array(hostileText, { minLength: textKeys.length, maxLength: textKeys.length })
            .map((texts) =>
              JSON.stringify({ ...freshIds(valid), ...Object.fromEntries(textKeys.map((k, i) => [k, texts[i]])) }),
            ),
        );
  // A query parameter with hostile text: in a URL a lone surrogate can only come as raw
  // %-escaped bytes, so those are sent as such.
  const search = fc.oneof(
    fc.constant(''),
    fc
      .tuple(fc.constantFrom(...query, 'x', 'access_token', 'access%5Ftoken'), hostileText)
      .map(([name, text]) => `?${name}=${encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\u0000'))}`),
    fc.constantFrom(...query, 'x').map((name) => `?${name}=%ED%A0%80%00%FF`),
    fc.constantFrom('?from=0000-01-01', '?to=2026-02-30', '?after=-1', '?after=999999999999999999', '?station[]=a'),
  );
  return fc
    .record({
      method: route ? fc.constant(method) : fc.constantFrom('GET', 'HEAD'),
      body,
      search,
      caller: fc.constantFrom('manager', 'waiter', 'none', 'odd'),
      auth: authorization,
      odd: fc.array(oddHeader, { maxLength: 3 }),
    })
    .map(({ method: m, body: b, search: q, caller, auth, odd }) => {
      const headers: Record<string, string> = {};
      if (caller === 'manager' || caller === 'waiter') headers.authorization = `Bearer ${token(caller)}`;
      if (caller === 'odd') headers.authorization = auth(token('manager'));
      if (b !== undefined) {
        headers['content-type'] = 'application/json';
        headers['idempotency-key'] = crypto.randomUUID();
      }
      for (const [name, value] of odd) headers[name] = value;
      return { method: m, path: `${target}${q}`, ...(b !== undefined ? { body: b } : {}), headers };
    });
}

async function send(attempt: Attempt): Promise<{ status: number; text: string; type: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const res = await fetch(`${app.server.baseUrl}${attempt.path}`, {
      method: attempt.method,
      headers: attempt.headers,
      ...(attempt.body !== undefined ? { body: attempt.body } : {}),
      signal: controller.signal,
    });
    const type = res.headers.get('content-type') ?? '';
    // An event stream that opened never ends by itself: its status is all there is to check.
    const text = type.startsWith('text/event-stream') ? '' : await res.text();
    controller.abort();
    return { status: res.status, text, type };
  } finally {
    clearTimeout(timer);
  }
}

function check(attempt: Attempt, answer: { status: number; text: string; type: string }, logged: number): void {
  const what = `${attempt.method} ${attempt.path} ${JSON.stringify(attempt.headers)}: ${answer.text.slice(0, 300)}`;
  expect(answer.status, what).toBeLessThan(500);
  if (answer.status >= 400 && attempt.method !== 'HEAD' && answer.type.startsWith('application/json')) {
    expect(errorCodes, what).toContain((JSON.parse(answer.text) as { error?: { code?: string } }).error?.code);
  }
  // The logger writes synchronously: anything logged while this request ran is its doing.
  expect(errorLines.slice(logged), what).toEqual([]);
}

describe('hostile requests get no 5xx', () => {
  const targets: [method: string, path: string, query: string[]][] = [
    ...routeCases.map((r): [string, string, string[]] => [
      r.method,
      r.path,
      r.query && 'shape' in r.query ? Object.keys(r.query.shape as object) : [],
    ]),
    ['GET', '/events', ['after', 'station', 'mine', 'table', 'compact']],
  ];
  for (const [method, routePath, query] of targets) {
    it(`${method} /api${routePath}, from any caller`, async () => {
      await fc.assert(
        fc.asyncProperty(attempts(method, routePath, query), async (attempt) => {
          const logged = errorLines.length;
          check(attempt, await send(attempt), logged);
        }),
        { numRuns: runs, seed },
      );
    });
  }

  it("the static files and the app's own pages, with odd headers", async () => {
    const attempt = fc
      .record({
        method: fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS'),
        path: fc.constantFrom(...staticPaths),
        odd: fc.array(oddHeader, { minLength: 1, maxLength: 3 }),
        auth: fc.option(authorization, { nil: undefined }),
      })
      .map(({ method, path: p, odd, auth }): Attempt => {
        const headers: Record<string, string> = { accept: 'text/html' };
        if (auth) headers.authorization = auth(token('waiter'));
        for (const [name, value] of odd) headers[name] = value;
        return { method, path: p, headers };
      });
    await fc.assert(
      fc.asyncProperty(attempt, async (a) => {
        const logged = errorLines.length;
        check(a, await send(a), logged);
      }),
      { numRuns: runs * 5, seed },
    );
  });
});
