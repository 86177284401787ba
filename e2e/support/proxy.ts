import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does with a connection that carries `POST /api/orders`:
 * - `forward`: nothing special.
 * - `drop-first-response`: the first such request goes to the server, and the tablet's
 *   connection is cut the moment the server's answer arrives, so the order is stored but the
 *   tablet never hears it (later ones are forwarded).
 * - `refuse`: the connection is cut before anything reaches the server (the server looks
 *   unreachable for orders, while the app itself and its updates still load).
 */
export type OrderPostMode = 'forward' | 'drop-first-response' | 'refuse';

export interface ProxiedAnswer {
  /** `HTTP/1.1 201 Created` */
  statusLine: string;
  replayed: boolean;
  /** The tablet got it (false: the proxy dropped it). */
  delivered: boolean;
}

const orderPost = /(?:^|\r\n)POST \/api\/orders(?:[ ?])/;

/**
 * A small TCP proxy in front of the server (node:net, both directions), which the test can
 * make lose the answer to an order. HTTP/1.1 without pipelining: the first bytes coming back
 * after a request are its answer.
 */
export class FaultyProxy {
  /** Every `POST /api/orders` that reached the proxy, including refused ones. */
  orderPosts = 0;
  /** The server's answers to `POST /api/orders`, in order. */
  readonly answers: ProxiedAnswer[] = [];
  /**
   * Runs once an order's request has been passed on to the server (`n` counts from 1). While
   * what it returns is pending, the proxy holds every later order's request, so a test can do
   * something to the server "while the order is on the wire" and know no later order overtakes it.
   */
  afterOrderPost: ((n: number) => Promise<void> | void) | undefined;
  private holding: Promise<void> | undefined;
  private dropped = false;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    public mode: OrderPostMode,
  ) {}

  static async start(upstreamPort: number, mode: OrderPostMode = 'forward'): Promise<FaultyProxy> {
    const holder: { proxy?: FaultyProxy } = {};
    const server = createServer((client) => holder.proxy?.handle(client, upstreamPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    holder.proxy = new FaultyProxy(server, port, mode);
    return holder.proxy;
  }

  get baseUrl(): string {
    return `http://localhost:${this.port}`;
  }

  private handle(client: Socket, upstreamPort: number): void {
    const upstream = connect(upstreamPort, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    // Set while an order's request is on this connection and its answer has not come back.
    let awaiting: 'answer' | 'drop' | null = null;

    const pass = (chunk: Buffer, isOrder: boolean) => {
      if (!isOrder) {
        upstream.write(chunk);
        return;
      }
      const n = ++this.orderPosts;
      if (this.mode === 'refuse') {
        client.destroy();
        upstream.destroy();
        return;
      }
      awaiting = this.mode === 'drop-first-response' && !this.dropped ? 'drop' : 'answer';
      if (awaiting === 'drop') this.dropped = true;
      upstream.write(chunk);
      if (this.afterOrderPost) this.holding = Promise.resolve(this.afterOrderPost(n)).catch(() => {});
    };
    client.on('data', (chunk: Buffer) => {
      const isOrder = orderPost.test(chunk.toString('latin1'));
      const holding = this.holding;
      if (!holding || !isOrder) {
        pass(chunk, isOrder);
        return;
      }
      // Later chunks queue behind this one in the paused socket.
      client.pause();
      void holding.then(() => {
        if (!upstream.destroyed) pass(chunk, true);
        client.resume();
      });
    });
    upstream.on('data', (chunk: Buffer) => {
      if (awaiting !== null) {
        const head = chunk.toString('latin1');
        this.answers.push({
          statusLine: head.slice(0, head.indexOf('\r\n')),
          replayed: /\r\nidempotent-replayed: *true\r\n/i.test(head),
          delivered: awaiting === 'answer',
        });
        if (awaiting === 'drop') {
          awaiting = null;
          client.destroy();
          upstream.destroy();
          return;
        }
        awaiting = null;
      }
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
