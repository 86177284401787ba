import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, describe, expect } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { errorHandler } from '../src/http/errors.js';
import { createServer } from '../src/http/server.js';
import { requestTimeout } from '../src/http/timeout.js';
import { createLogger } from '../src/logger.js';
import { writeLocalCertificates } from '../src/tls/certs.js';
import { Api, deviceApi, snapshotCounts, startTestServer, appTest, type TestServer } from './harness.js';

const it = appTest();

describe('security headers', () => {
  it('send a CSP that lets the app, its service worker and manifest run from this origin only', async ({ app }) => {
    const res = await fetch(`${app.server.baseUrl}/api/health`, { headers: { origin: 'https://evil.example' } });
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "worker-src 'self'",
      "manifest-src 'self'",
      "connect-src 'self'",
      "img-src 'self' data:",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    // Over plain http the app must not be sent to an https port.
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    // Same origin only: no CORS answer, even to a preflight.
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${app.server.baseUrl}/api/orders`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuse bodies over 64 KB with 413', async ({ app }) => {
    const res = await app.waiter.request('POST', '/api/orders', {
      rawBody: JSON.stringify({ note: 'x'.repeat(70_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });
});

describe('rate limits', () => {
  let limited: TestServer;
  let other: TestServer;

  it.beforeAll(async ({ app }) => {
    const rateLimits = { writes: { burst: 3, perMinute: 1 }, pair: { burst: 2, perMinute: 1 } };
    // Two instances on one database, as behind a load balancer.
    limited = await startTestServer(app.db.pool, { config: { rateLimits } });
    other = await startTestServer(app.db.pool, { config: { rateLimits } });
  });
  afterAll(async () => {
    await limited.close();
    await other.close();
  });

  it('refuse a device past its burst with 429 and Retry-After, counted across instances', async ({ app }) => {
    const tablet = await deviceApi(app.db.pool, limited.baseUrl, 'waiter', 'Busy tablet');
    const sameTabletElsewhere = new Api(other.baseUrl, tablet.token);
    expect((await tablet.post('/api/orders', app.fx.order(60))).status).toBe(201);
    expect((await sameTabletElsewhere.post('/api/orders', app.fx.order(61))).status).toBe(201);
    expect((await tablet.post('/api/orders', app.fx.order(62))).status).toBe(201);
    const before = await snapshotCounts(app.db.pool);
    const refused = await sameTabletElsewhere.post('/api/orders', app.fx.order(63));
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
    // Reads go on, and other devices have their own bucket.
    expect((await tablet.get('/api/menu')).status).toBe(200);
    const colleague = await deviceApi(app.db.pool, limited.baseUrl, 'waiter', 'Other tablet');
    expect((await colleague.post('/api/orders', app.fx.order(64))).status).toBe(201);
  });

  it('gives a waiting device its tokens back as time passes', async ({ app }) => {
    const tablet = await deviceApi(app.db.pool, limited.baseUrl, 'waiter', 'Patient tablet');
    const { rows } = await app.db.pool.query(`SELECT id FROM devices WHERE name = 'Patient tablet'`);
    // As if its bucket had been emptied two minutes ago: two tokens have come back since.
    await app.db.pool.query(
      `INSERT INTO rate_limit_buckets (key, tokens, updated_at, allowed) VALUES ($1, 0, now() - interval '2 minutes', false)`,
      [`write:${rows[0].id}`],
    );
    expect((await tablet.post('/api/orders', app.fx.order(65))).status).toBe(201);
    expect((await tablet.post('/api/orders', app.fx.order(66))).status).toBe(201);
    expect((await tablet.post('/api/orders', app.fx.order(67))).status).toBe(429);
  });

  it('limit pairing attempts per address, whatever the code', async () => {
    const anonymous = new Api(limited.baseUrl);
    const attempt = () => anonymous.post('/api/pair', { code: 'AAAA-BBBB', deviceName: 'Guess' });
    expect((await attempt()).status).toBe(400);
    expect((await attempt()).status).toBe(400);
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('request timeouts', () => {
  it('answer 503 request_timeout when a write is stuck, and the retry with its key gets the outcome', async ({
    app,
  }) => {
    const slow = await startTestServer(app.db.pool, { config: { requestTimeoutMs: 200 } });
    try {
      const tablet = new Api(slow.baseUrl, app.waiter.token);
      const order = app.fx.order(70);
      await tablet.post('/api/orders', order);
      const itemPath = `/api/tables/${app.fx.table(70).id}/items/${order.items[0]!.id}`;
      const blocker = await app.db.pool.connect();
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM order_items WHERE id = $1 FOR UPDATE`, [order.items[0]!.id]);
      const key = randomUUID();
      const stuck = await tablet.patch(itemPath, { note: 'well done' }, key);
      expect(stuck.status).toBe(503);
      expect(stuck.body.error.code).toBe('request_timeout');
      expect(stuck.headers.get('retry-after')).toBe('1');
      await blocker.query('ROLLBACK');
      blocker.release();
      // The write went through once the lock was free; the retry is told so, not run twice.
      let retry = await tablet.patch(itemPath, { note: 'well done' }, key);
      for (let i = 0; i < 20 && retry.status === 409; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        retry = await tablet.patch(itemPath, { note: 'well done' }, key);
      }
      expect(retry.status).toBe(200);
      expect(retry.body.item).toMatchObject({ note: 'well done', version: 2 });
    } finally {
      await slow.close();
    }
  });

  it('leave the event stream alone', async () => {
    const app = express();
    app.use(requestTimeout(50, (req) => req.path === '/api/events'));
    const slowly = (_req: express.Request, res: express.Response) => {
      setTimeout(() => res.headersSent || res.json({ ok: true }), 150);
    };
    app.get('/api/events', slowly);
    app.get('/api/menu', slowly);
    app.use(errorHandler(createLogger('silent')));
    const listening = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/api/events`)).status).toBe(200);
      const timedOut = await fetch(`${base}/api/menu`);
      expect(timedOut.status).toBe(503);
      expect(((await timedOut.json()) as any).error.code).toBe('request_timeout');
    } finally {
      listening.closeAllConnections();
      listening.close();
    }
  });
});

describe('HTTPS', () => {
  it('serves the app over TLS with a certificate from the local CA', async ({ app }) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chit-certs-'));
    try {
      const files = await writeLocalCertificates({
        dir,
        dnsNames: ['localhost', 'chit.local'],
        ipAddresses: ['127.0.0.1'],
      });
      expect(files.caCreated).toBe(true);
      const config = {
        ...loadConfig({}),
        clientDist: '/nonexistent',
        tls: { certFile: files.certFile, keyFile: files.keyFile },
      };
      const tlsApp = createApp({
        pool: app.db.pool,
        clock: { now: () => new Date() },
        random: Math.random,
        config,
        logger: createLogger('silent'),
      });
      const tlsServer = await createServer(tlsApp, config);
      await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
      const port = (tlsServer.address() as AddressInfo).port;
      const ca = await import('node:fs/promises').then((fs) => fs.readFile(files.caCertFile));
      const get = (options: https.RequestOptions) =>
        new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
          https
            .get({ host: '127.0.0.1', port, path: '/api/health', ...options }, (res) => {
              let body = '';
              res.on('data', (chunk: Buffer) => (body += chunk.toString()));
              res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
            })
            .on('error', reject);
        });
      try {
        const ok = await get({ ca, servername: 'localhost' });
        expect(ok.status).toBe(200);
        expect(JSON.parse(ok.body)).toEqual({ ok: true });
        expect(String(ok.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
        expect(ok.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        // By IP address as well (tablets often use it), and refused by a client that does not trust the CA.
        expect((await get({ ca })).status).toBe(200);
        await expect(get({})).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
        // A second run keeps the CA, so tablets that trust it need nothing new.
        const again = await writeLocalCertificates({ dir, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
        expect(again.caCreated).toBe(false);
      } finally {
        tlsServer.closeAllConnections();
        await new Promise((resolve) => tlsServer.close(resolve));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
