/**
 * The live event stream under load (pnpm --filter @chit/server run bench:events):
 *
 * 1. latency: 50 SSE clients, orders posted at a fixed 200/s for 10 s; the time from each
 *    POST's response to each client's receipt of its order.created (p50/p99/max), and the
 *    events each client missed or got twice;
 * 2. throughput: POST /api/orders at full speed (autocannon, 64 connections), alternately
 *    with live fan-out (the 50 clients connected, EVENTS_LIVE=true) and without it (no
 *    clients, EVENTS_LIVE=false), and the ratio of the two.
 *
 * The server is a separate process (so the load generator does not share its event loop)
 * on a fresh embedded PostgreSQL; on two noisy cores, compare the figures of one run.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import autocannon from 'autocannon';
import { createDevice } from '../src/devices/store.js';
import { freshDatabase, median, orderFactory, percentile, postAtRate, startServer } from './lib.js';

const clients = Number(process.env.BENCH_CLIENTS ?? 50);
const ratePerSecond = Number(process.env.BENCH_RATE ?? 200);
const latencySeconds = Number(process.env.BENCH_SECONDS ?? 10);
const throughputSeconds = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

/** A lean SSE client: no frame is kept, each event id and data go to `onEvent`. */
function connectStream(
  url: string,
  token: string,
  onEvent: (id: number, data: string, at: number) => void,
): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      let id = -1;
      let data = '';
      let named = false;
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let from = 0;
        let nl: number;
        while ((nl = buffer.indexOf('\n', from)) >= 0) {
          const line = buffer.slice(from, nl);
          from = nl + 1;
          if (line === '') {
            if (data && !named) onEvent(id, data, performance.now());
            data = '';
            named = false;
            if (!ready) {
              ready = true;
              resolve(() => req.destroy());
            }
          } else if (line.startsWith('id: ')) id = Number(line.slice(4));
          else if (line.startsWith('data: ')) data = line.slice(6);
          else if (line.startsWith('event: ')) named = true;
        }
        buffer = buffer.slice(from);
      });
    });
    let ready = false;
    req.on('error', (err) => {
      if (!ready) reject(err);
    });
  });
}

/**
 * A stream that only counts the bytes it receives, for the throughput runs: the 50 clients
 * share the two cores with the server they measure (real tablets bring their own CPU), so
 * they cost as little as a client can. A plain TCP connection reading every byte the
 * server sends, without an HTTP parser on top.
 */
function connectCounter(baseUrl: string, token: string, count: (bytes: number) => void): Promise<() => void> {
  const { hostname, port, host } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`GET ${streamPath} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    });
    socket.once('data', (head: Buffer) => {
      if (!head.toString('latin1').startsWith('HTTP/1.1 200')) return reject(new Error('the stream was refused'));
      resolve(() => socket.destroy());
    });
    socket.on('data', (chunk: Buffer) => count(chunk.length));
    socket.on('error', reject);
  });
}

/** As the app asks for it: new orders compact (docs/events.md). */
const streamPath = '/api/events?compact=1';

const orderIdPattern = /"type":"order\.created","data":\{"order":\{"id":"([0-9a-f-]{36})"/;

async function ordersPerSecond(baseUrl: string, nextToken: () => string, makeOrder: () => object, seconds: number) {
  const result = await autocannon({
    url: `${baseUrl}/api/orders`,
    connections: 64,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify(makeOrder()),
          headers: { ...req.headers, authorization: `Bearer ${nextToken()}`, 'idempotency-key': randomUUID() },
        }),
      },
    ],
  });
  const ok = result['2xx'];
  if (result.non2xx > 0 || result.errors > 0) {
    console.log(`  (${result.non2xx} non-2xx answers, ${result.errors} errors)`);
  }
  return ok / (result.duration || seconds);
}

async function main(): Promise<void> {
  const db = await freshDatabase();
  try {
    const { token: kitchenToken } = await createDevice(db.pool, 'Bench kitchen', 'kitchen');
    let server = await startServer(db.url, { EVENTS_LIVE: 'true' });
    const factory = await orderFactory(db.pool, server.baseUrl);
    const makeOrder = () => factory.order();

    // --- 1. Latency at a fixed rate --------------------------------------------------
    const responseAt = new Map<string, number>();
    const early = new Map<string, number[]>();
    const latencies: number[] = [];
    const received = Array.from({ length: clients }, () => new Map<string, number>());
    const ids = Array.from({ length: clients }, () => [] as number[]);
    let measuring = true;
    const closers = await Promise.all(
      received.map((seen, c) =>
        connectStream(`${server.baseUrl}${streamPath}`, kitchenToken, (id, data, at) => {
          if (!measuring) return;
          ids[c]!.push(id);
          // A regex, not JSON.parse: 50 clients parsing every event would take the CPU the server is measured on.
          const orderId = orderIdPattern.exec(data)?.[1];
          if (orderId === undefined) return;
          seen.set(orderId, (seen.get(orderId) ?? 0) + 1);
          const sent = responseAt.get(orderId);
          if (sent === undefined) early.set(orderId, [...(early.get(orderId) ?? []), at]);
          else latencies.push(Math.max(0, at - sent));
        }),
      ),
    );

    const posted: string[] = [];
    const total = ratePerSecond * latencySeconds;
    const start = performance.now();
    const { latencies: postTimes, failed } = await postAtRate(
      `${server.baseUrl}/api/orders`,
      ratePerSecond,
      latencySeconds,
      () => {
        const order = makeOrder();
        return {
          body: JSON.stringify(order),
          headers: { authorization: `Bearer ${factory.nextToken()}`, 'idempotency-key': randomUUID() },
          answered: (status, at) => {
            if (status !== 201) return;
            posted.push(order.id);
            responseAt.set(order.id, at);
            for (const got of early.get(order.id) ?? []) latencies.push(Math.max(0, got - at));
            early.delete(order.id);
          },
        };
      },
    );
    const postSeconds = (performance.now() - start) / 1000;
    const everyone = () => received.every((seen) => posted.every((id) => seen.has(id)));
    for (let waited = 0; !everyone() && waited < 5_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    measuring = false;
    let missed = 0;
    let duplicated = 0;
    let gaps = 0;
    received.forEach((seen, c) => {
      for (const id of posted) if (!seen.has(id)) missed++;
      for (const count of seen.values()) if (count > 1) duplicated += count - 1;
      const list = ids[c]!;
      for (let i = 1; i < list.length; i++) if (list[i] !== list[i - 1]! + 1) gaps++;
    });
    latencies.sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(`\nLatency: ${clients} SSE clients, ${posted.length} orders at ${ratePerSecond}/s`);
    console.log(
      `  posted ${posted.length}/${total} in ${postSeconds.toFixed(1)} s (${failed} failed)` +
        `, ${latencies.length} deliveries measured`,
    );
    console.log(
      `  POST response -> client receipt: p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}, max ${fmt(latencies[latencies.length - 1] ?? NaN)}`,
    );
    postTimes.sort((a, b) => a - b);
    console.log(
      `  (for scale, the POST round trip itself: p50 ${fmt(percentile(postTimes, 50))}, p99 ${fmt(percentile(postTimes, 99))})`,
    );
    console.log(`  missed ${missed}, duplicated ${duplicated}, out-of-order or gaps in ids ${gaps}`);

    // --- 2. Throughput with and without live fan-out ----------------------------------
    console.log(`\nThroughput: POST /api/orders, 64 connections, ${throughputSeconds} s per run`);
    const withFanOut: number[] = [];
    const without: number[] = [];
    let streamedBytes = 0;
    // The clients stay connected but only count now (parsing is the client's cost, not the server's).
    const counters = closers;
    for (let round = 1; round <= rounds; round++) {
      // Without: no clients, no kicks, no NOTIFY, no LISTEN (positions come from the sweep).
      for (const close of counters.splice(0)) close();
      await server.stop();
      server = await startServer(db.url, { EVENTS_LIVE: 'false' });
      await ordersPerSecond(server.baseUrl, factory.nextToken, makeOrder, 2); // warm-up
      without.push(await ordersPerSecond(server.baseUrl, factory.nextToken, makeOrder, throughputSeconds));
      await server.stop();

      server = await startServer(db.url, { EVENTS_LIVE: 'true' });
      counters.push(
        ...(await Promise.all(
          Array.from({ length: clients }, () =>
            connectCounter(server.baseUrl, kitchenToken, (bytes) => void (streamedBytes += bytes)),
          ),
        )),
      );
      await ordersPerSecond(server.baseUrl, factory.nextToken, makeOrder, 2); // warm-up
      withFanOut.push(await ordersPerSecond(server.baseUrl, factory.nextToken, makeOrder, throughputSeconds));
      console.log(
        `  round ${round}: without fan-out ${without.at(-1)!.toFixed(0)} orders/s, with ${withFanOut.at(-1)!.toFixed(0)} orders/s` +
          ` (ratio ${(withFanOut.at(-1)! / without.at(-1)!).toFixed(2)})`,
      );
    }
    const ratios = withFanOut.map((w, i) => w / without[i]!);
    console.log(
      `  median: without ${median(without).toFixed(0)} orders/s, with ${median(withFanOut).toFixed(0)} orders/s, ratio ${median(ratios).toFixed(2)}` +
        ` (${(streamedBytes / 1e6).toFixed(0)} MB streamed to clients)`,
    );
    for (const close of counters) close();
    await server.stop();
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
