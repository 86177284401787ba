import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The ways the proxy breaks a request, each what a flaky restaurant Wi-Fi, a load balancer
 * or a crashing box does to a tablet's write:
 * - `drop_request`: the connection dies before the request reaches a server;
 * - `drop_answer`: the server did the write and answered, the answer never arrives;
 * - `reset_mid_answer`: the answer's head and half its body arrive, then a reset;
 * - `late_original`: the request is held past the tablet's timeout and only then sent on,
 *   so the tablet's retry usually gets there first and the original arrives after it;
 * - `duplicate`: the request is sent to both instances at once (a retrying middlebox).
 */
export const faultKinds = ['drop_request', 'drop_answer', 'reset_mid_answer', 'late_original', 'duplicate'] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface ProxyOptions {
  /** Chance of each fault per request (the rest pass through untouched). */
  rate: Record<FaultKind, number>;
  /** How long `late_original` holds a request, in ms: [min, max). */
  lateMs: [number, number];
  /** The instances' current ports; a port of a dead instance answers 502, as a load balancer does. */
  upstreams: () => number[];
  random: () => number;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A fault-injecting HTTP proxy in front of the server instances, in-process. It reads each
 * request whole, picks an instance round robin and maybe a fault, and counts what it did.
 * `healed` turns faults off; `settled()` resolves when no request it holds or forwarded is
 * still on its way to a server (late originals included), so a check sees their effect.
 */
export class FaultProxy {
  readonly injected: Record<FaultKind, number> = {
    drop_request: 0,
    drop_answer: 0,
    reset_mid_answer: 0,
    late_original: 0,
    duplicate: 0,
  };
  forwarded = 0;
  upstreamErrors = 0;
  healed = false;
  private turn = 0;
  private inFlight = 0;
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly options: ProxyOptions) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    // Keep-alive sockets from tablets that gave up are not our concern.
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async settled(): Promise<void> {
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private pickFault(): FaultKind | null {
    if (this.healed) return null;
    let roll = this.options.random();
    for (const kind of faultKinds) {
      roll -= this.options.rate[kind];
      if (roll < 0) return kind;
    }
    return null;
  }

  private nextUpstream(): number {
    const ports = this.options.upstreams();
    return ports[this.turn++ % ports.length]!;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the tablet went away while sending
    }
    const body = Buffer.concat(chunks);
    const fault = this.pickFault();
    if (fault) this.injected[fault]++;
    // Errors on the tablet's side (it gave up) must not bother the proxy.
    res.on('error', () => {});
    switch (fault) {
      case 'drop_request':
        req.socket.destroy();
        return;
      case 'late_original': {
        const [min, max] = this.options.lateMs;
        this.inFlight++;
        await new Promise((resolve) => setTimeout(resolve, min + this.options.random() * (max - min)));
        this.inFlight--;
        break;
      }
      case 'duplicate':
        // The copy goes to the other instance at the same moment; its answer is thrown away.
        void this.forward(req, body, this.nextUpstream());
        break;
      case 'drop_answer':
      case 'reset_mid_answer':
      case null:
        break;
    }
    const answer = await this.forward(req, body, this.nextUpstream());
    if (res.destroyed || req.socket.destroyed) return;
    if (!answer) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
      return;
    }
    if (fault === 'drop_answer') {
      req.socket.destroy();
      return;
    }
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    if (fault === 'reset_mid_answer') {
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => req.socket.destroy());
      return;
    }
    res.end(answer.body);
  }

  /** Sends the request to one instance and reads its answer; undefined when the instance is down or died. */
  private forward(req: http.IncomingMessage, body: Buffer, port: number): Promise<Answer | undefined> {
    this.inFlight++;
    this.forwarded++;
    const headers = { ...req.headers, 'content-length': String(body.length) };
    delete headers.connection;
    return new Promise<Answer | undefined>((resolve) => {
      const upstream = http.request(
        { host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent: this.agent },
        (response) => {
          const parts: Buffer[] = [];
          response.on('data', (chunk: Buffer) => parts.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(parts) }),
          );
          // The instance died mid-answer ('close' after 'end' changes nothing: resolved already).
          response.on('error', () => resolve(undefined));
          response.on('close', () => resolve(undefined));
        },
      );
      upstream.on('error', () => {
        this.upstreamErrors++;
        resolve(undefined);
      });
      upstream.end(body);
    }).finally(() => this.inFlight--);
  }
}
