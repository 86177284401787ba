import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.js';

// fetch() decompresses behind our back; node:http shows what really went over the wire.
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const script = `console.log(${JSON.stringify('chit '.repeat(2000))});\n`;
let dist: string;
let app: TestApp;

beforeAll(async () => {
  // A built app in miniature: what Vite writes, a script with its .br and .gz beside it.
  dist = await mkdtemp(path.join(os.tmpdir(), 'chit-dist-'));
  await mkdir(path.join(dist, 'assets'));
  await writeFile(path.join(dist, 'index.html'), `<!doctype html><title>Chit</title>${'<p>menu</p>'.repeat(200)}`);
  await writeFile(path.join(dist, 'assets', 'main-abc123.js'), script);
  await writeFile(path.join(dist, 'assets', 'main-abc123.js.br'), brotliCompressSync(script));
  await writeFile(path.join(dist, 'assets', 'main-abc123.js.gz'), gzipSync(script));
  app = await startTestApp({ config: { clientDist: dist } });
});

afterAll(async () => {
  await app.close();
  await rm(dist, { recursive: true, force: true });
});

describe('compression', () => {
  it('serves the app script precompressed with brotli to a browser that accepts it, cacheable for a year', async () => {
    const res = await rawGet(`${app.server.baseUrl}/assets/main-abc123.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
    expect(res.body.length).toBeLessThan(script.length / 10);
  });

  it('serves gzip to a browser without brotli, and the plain file to one that accepts neither', async () => {
    const gz = await rawGet(`${app.server.baseUrl}/assets/main-abc123.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);
    const plain = await rawGet(`${app.server.baseUrl}/assets/main-abc123.js`, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('compresses a JSON answer over 1 KB (the menu) but not a small one', async () => {
    const auth = { authorization: `Bearer ${app.waiter.token}`, 'accept-encoding': 'gzip' };
    const menu = await rawGet(`${app.server.baseUrl}/api/menu`, auth);
    expect(menu.status).toBe(200);
    expect(menu.headers['content-encoding']).toBe('gzip');
    const parsed = JSON.parse(gunzipSync(menu.body).toString()) as { items: unknown[] };
    expect(parsed.items.length).toBeGreaterThan(0);

    const health = await rawGet(`${app.server.baseUrl}/api/health`, { 'accept-encoding': 'gzip' });
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(health.body.toString())).toEqual({ ok: true });
  });
});
