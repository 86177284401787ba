import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createLogger } from '../src/logger.js';
import { appTest, startTestServer, type TestApp } from './harness.js';

// Static files under hostile preconditions and ranges: 4xx, never a 500 (docs/hardening.md).

let app: TestApp;

const it = appTest();

it.beforeAll(({ app: started }) => {
  app = started;
});

describe("the app's static files", () => {
  let dist: string;
  let errors: string[];
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    // A tiny stand-in for the client build: the server only needs the files to exist.
    dist = await mkdtemp(path.join(os.tmpdir(), 'chit-dist-'));
    await mkdir(path.join(dist, 'assets'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Chit</title>');
    await writeFile(path.join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    await writeFile(path.join(dist, 'assets', 'app-1234.js'), 'console.log(1);');
    errors = [];
    const logger = createLogger('warn', { write: (line: string) => void errors.push(line) });
    server = await startTestServer(app.db.pool, { logger, config: { clientDist: dist } });
  });

  afterAll(async () => {
    await server.close();
    await rm(dist, { recursive: true, force: true });
  });

  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${p}`, { headers: { accept: 'text/html', ...headers } });

  it("are served, with the SPA's routes falling back to index.html", async () => {
    for (const p of ['/', '/kitchen', '/sw.js', '/assets/app-1234.js']) expect((await get(p)).status, p).toBe(200);
    expect(await (await get('/kitchen')).text()).toContain('<title>Chit</title>');
    expect((await get('/missing.js')).status).toBe(404);
  });

  it('answer a precondition that does not hold with 412, not a 500', async () => {
    for (const p of ['/', '/kitchen', '/sw.js', '/assets/app-1234.js']) {
      for (const headers of <Record<string, string>[]>[
        { 'if-match': '"not-this-one"' },
        { 'if-unmodified-since': 'Sat, 01 Jan 2000 00:00:00 GMT' },
      ]) {
        const res = await get(p, headers);
        expect(res.status, `${p} ${JSON.stringify(headers)}`).toBe(412);
        expect(((await res.json()) as any).error.code).toBe('precondition_failed');
      }
    }
    expect(errors).toEqual([]);
  });

  it("answer a range past the end with 416 and the file's length, not a 500", async () => {
    for (const p of ['/', '/kitchen', '/sw.js']) {
      const res = await get(p, { range: 'bytes=99999-' });
      expect(res.status, p).toBe(416);
      expect(res.headers.get('content-range')).toMatch(/^bytes \*\/\d+$/);
      expect(((await res.json()) as any).error.code).toBe('range_not_satisfiable');
    }
    expect((await get('/sw.js', { range: 'bytes=0-3' })).status).toBe(206);
    expect(errors).toEqual([]);
  });
});
