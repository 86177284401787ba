import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy, faultKinds, type FaultKind } from './proxy.js';
import { send } from './tablet.js';

// The chaos test is only as good as its faults: each must do to a request what its name says.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A server that records each request's body and when it arrived, and answers it back. */
async function recordingServer() {
  const seen: { body: string; at: number }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ body, at: performance.now() });
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ got: body, pad: 'x'.repeat(200) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { seen, port: (server.address() as AddressInfo).port };
}

async function proxyWith(fault: FaultKind | null, ports: number[]) {
  const rate = Object.fromEntries(faultKinds.map((k) => [k, k === fault ? 1 : 0])) as Record<FaultKind, number>;
  const proxy = new FaultProxy({ rate, lateMs: [300, 301], upstreams: () => ports, random: Math.random });
  const url = `http://127.0.0.1:${await proxy.listen()}`;
  cleanups.push(() => proxy.close());
  return { proxy, url };
}

const write = (n: number) => ({ method: 'POST' as const, path: '/api/orders', headers: {}, body: { n } });

describe('the chaos proxy', () => {
  it('passes a request and its answer through untouched when it injects nothing', async () => {
    const upstream = await recordingServer();
    const { url } = await proxyWith(null, [upstream.port]);
    const answer = await send(url, write(1), 'token', 'key-1', 2000);
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ got: '{"n":1}' });
  });

  it('drops a request before any server sees it', async () => {
    const upstream = await recordingServer();
    const { proxy, url } = await proxyWith('drop_request', [upstream.port]);
    expect((await send(url, write(1), 'token', 'key-1', 2000)).status).toBeUndefined();
    await proxy.settled();
    expect(upstream.seen).toHaveLength(0);
    expect(proxy.injected.drop_request).toBe(1);
  });

  it.each(['drop_answer', 'reset_mid_answer'] as const)(
    '%s: the server did the write, the tablet hears no whole answer',
    async (fault) => {
      const upstream = await recordingServer();
      const { proxy, url } = await proxyWith(fault, [upstream.port]);
      expect((await send(url, write(1), 'token', 'key-1', 2000)).status).toBeUndefined();
      await proxy.settled();
      expect(upstream.seen).toHaveLength(1);
    },
  );

  it('holds a late original until after the tablet gave up, then delivers it', async () => {
    const upstream = await recordingServer();
    const { proxy, url } = await proxyWith('late_original', [upstream.port]);
    const sentAt = performance.now();
    expect((await send(url, write(1), 'token', 'key-1', 100)).status).toBeUndefined();
    expect(upstream.seen).toHaveLength(0);
    await proxy.settled();
    expect(upstream.seen).toHaveLength(1);
    expect(upstream.seen[0]!.at - sentAt).toBeGreaterThanOrEqual(290);
  });

  it('sends a duplicated request to both instances', async () => {
    const a = await recordingServer();
    const b = await recordingServer();
    const { proxy, url } = await proxyWith('duplicate', [a.port, b.port]);
    expect((await send(url, write(1), 'token', 'key-1', 2000)).status).toBe(201);
    await proxy.settled();
    expect([a.seen.length, b.seen.length]).toEqual([1, 1]);
  });

  it('answers 502 for an instance that is down, as a load balancer does', async () => {
    const { url } = await proxyWith(null, [1]);
    expect((await send(url, write(1), 'token', 'key-1', 2000)).status).toBe(502);
  });
});
