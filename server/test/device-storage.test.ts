import { connect } from 'node:net';
import { describe, expect } from 'vitest';
import { appTest, deviceApi, listedDevice, type Api, type TestApp } from './harness.js';

let app: TestApp;

const it = appTest();

it.beforeAll(({ app: started }) => {
  app = started;
});

const storage = (value: string) => ({ 'Chit-Storage-Persisted': value });

const listed = (name: string) => listedDevice(app.manager, name);

const read = (api: Api, headers: Record<string, string>) => api.request('GET', '/api/menu', { headers });

/** One request as raw bytes, for header values no HTTP client will send; resolves to the status code. */
function rawStatus(token: string, headerLine: Buffer): Promise<number> {
  const { hostname, port } = new URL(app.server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      // Written, not ended: a half-closed socket is dropped before its answer; `Connection: close` ends it.
      socket.write(
        Buffer.concat([
          Buffer.from(`GET /api/menu HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n`),
          headerLine,
          Buffer.from('\r\nConnection: close\r\n\r\n'),
        ]),
      );
    });
    let head = '';
    socket.on('data', (chunk: Buffer) => (head += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe("a device's storage in the devices list", () => {
  it('is unknown until the device says, then what it said on a read or a write', async () => {
    const tablet = await deviceApi(app.db.pool, app.server.baseUrl, 'waiter', 'Patio tablet');
    await read(tablet, {});
    expect((await listed('Patio tablet')).storagePersisted).toBeNull();

    await read(tablet, storage('false'));
    expect((await listed('Patio tablet')).storagePersisted).toBe(false);

    // Installed to the home screen: the browser now keeps its storage, and the next order says so.
    const order = await tablet.post('/api/orders', app.fx.order(21), undefined, storage('true'));
    expect(order.status).toBe(201);
    expect((await listed('Patio tablet')).storagePersisted).toBe(true);

    await read(tablet, storage('false'));
    expect((await listed('Patio tablet')).storagePersisted).toBe(false);
  });

  it('keeps what the device last said when a request does not say, or says it in a way nobody can read', async () => {
    const tablet = await deviceApi(app.db.pool, app.server.baseUrl, 'waiter', 'Bar tablet');
    await read(tablet, storage('true'));
    const hostile = ['TRUE', 'yes', '1', '?1', '', 'true, false', 'trué', 'x'.repeat(4000), 'null', '"true"'];
    for (const value of hostile) {
      expect((await read(tablet, storage(value))).status, value).toBe(200);
      const write = await tablet.post('/api/orders', { bad: true }, undefined, storage(value));
      expect(write.status, value).toBe(400);
      expect(write.body.error.code).toBe('validation_failed');
    }
    expect((await listed('Bar tablet')).storagePersisted).toBe(true);
  });

  it('never answers a control character or a stray byte in the header with a server error', async () => {
    const tablet = await deviceApi(app.db.pool, app.server.baseUrl, 'waiter', 'Kiosk tablet');
    const lines = [
      Buffer.from('Chit-Storage-Persisted: tr\x00ue'),
      Buffer.from('Chit-Storage-Persisted: true\x7f'),
      Buffer.concat([Buffer.from('Chit-Storage-Persisted: '), Buffer.from([0xff, 0xfe, 0xc3])]),
      Buffer.from('Chit-Storage-Persisted: true\r\nChit-Storage-Persisted: false'),
    ];
    const statuses = [];
    for (const line of lines) statuses.push(await rawStatus(tablet.token!, line));
    for (const status of statuses) expect(status).toBeGreaterThanOrEqual(200);
    for (const status of statuses) expect(status).toBeLessThan(500);
    expect((await listed('Kiosk tablet')).storagePersisted).toBeNull();
  });

  it('is recorded for every role, the manager console included', async () => {
    await read(app.kitchen, storage('false'));
    await read(app.manager, storage('true'));
    expect((await listed('Pass')).storagePersisted).toBe(false);
    expect((await listed('Office')).storagePersisted).toBe(true);
  });
});
