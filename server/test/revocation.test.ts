import { afterAll, describe, expect } from 'vitest';
import { Api, appTest, deviceApi, startTestServer, type TestDatabase, type TestServer } from './harness.js';
import { SseClient } from './sse.js';

/*
 * A revoked device loses everything at once, on every instance: its requests, its open
 * event streams (delivery orders carry customers' names, addresses and phones), and the
 * pairing codes it made.
 */

let db: TestDatabase;
/** Two instances on one database; heartbeats (and the check that rides on them) a minute apart. */
let a: TestServer;
let b: TestServer;
let manager: Api;
const heartbeat = { heartbeatMs: 60_000 };

const it = appTest({ events: heartbeat });

it.beforeAll(async ({ app }) => {
  ({ db, server: a, manager } = app);
  b = await startTestServer(db.pool, { events: { databaseUrl: db.url, config: heartbeat } });
});

afterAll(() => b.close());

async function openStream(server: TestServer, api: Api): Promise<SseClient> {
  const s = await SseClient.open(`${server.baseUrl}/api/events`, { authorization: `Bearer ${api.token}` });
  await s.until(() => s.frames.some((f) => f.event === 'ready') || s.ended, 'the ready frame');
  expect(s.status).toBe(200);
  return s;
}

const idOf = async (api: Api) => (await api.get('/api/me')).body.device.id as string;

describe('revoking a device', () => {
  it("ends its open event streams on every instance at once, and no one else's", async () => {
    const tablet = await deviceApi(db.pool, a.baseUrl, 'waiter', 'Lost tablet');
    const other = await deviceApi(db.pool, a.baseUrl, 'waiter', 'Tablet 2');
    const streams = [await openStream(a, tablet), await openStream(b, tablet), await openStream(b, tablet)];
    const bystander = await openStream(b, other);

    const res = await manager.delete(`/api/devices/${await idOf(tablet)}`);
    expect(res.status).toBe(200);
    // Well before any heartbeat: only the revocation's notification can have ended them.
    for (const s of streams) await s.until(() => s.ended, 'the revoked stream to end', 5_000);
    expect(bystander.ended).toBe(false);
    expect(a.events!.hub.streams + b.events!.hub.streams).toBe(1);

    const again = await SseClient.open(`${b.baseUrl}/api/events`, { authorization: `Bearer ${tablet.token}` });
    await again.until(() => again.ended, 'the refusal');
    expect(again.status).toBe(401);
    bystander.close();
  });

  it('ends its streams within a heartbeat even where the notification was missed', async () => {
    // An instance that does not LISTEN hears no notification at all.
    const deaf = await startTestServer(db.pool, {
      events: { databaseUrl: db.url, config: { live: false, heartbeatMs: 200 } },
    });
    try {
      const tablet = await deviceApi(db.pool, deaf.baseUrl, 'kitchen', 'Old pass');
      const s = await openStream(deaf, tablet);
      await manager.delete(`/api/devices/${await idOf(tablet)}`);
      await s.until(() => s.ended, 'the revoked stream to end', 5_000);
    } finally {
      await deaf.close();
    }
  });

  it('cancels the pairing codes it made that nobody used', async () => {
    const other = await deviceApi(db.pool, a.baseUrl, 'manager', 'Owner');
    const leaving = await deviceApi(db.pool, a.baseUrl, 'manager', 'Leaving manager');
    const unused = (await leaving.post('/api/pairing-codes', { role: 'waiter' })).body;
    const used = (await leaving.post('/api/pairing-codes', { role: 'kitchen' })).body;
    const paired = await new Api(a.baseUrl).post('/api/pair', { code: used.code, deviceName: 'Pass 2' });
    expect(paired.status).toBe(201);
    const kept = (await other.post('/api/pairing-codes', { role: 'waiter' })).body;

    expect((await other.delete(`/api/devices/${await idOf(leaving)}`)).status).toBe(200);

    const refused = await new Api(a.baseUrl).post('/api/pair', { code: unused.code, deviceName: 'Stranger' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('pairing_code_invalid');
    const open = (await other.get('/api/pairing-codes')).body.pairingCodes.map((c: { id: string }) => c.id);
    expect(open).toContain(kept.id);
    expect(open).not.toContain(unused.id);
    // The device its used code paired keeps working: revoke it on its own if need be.
    expect((await new Api(a.baseUrl, paired.body.token).get('/api/me')).status).toBe(200);
  });
});

describe('pairing codes', () => {
  it('are listed while open, with who made them and until when, never the code itself', async () => {
    const made = (await manager.post('/api/pairing-codes', { role: 'kitchen', ttlMinutes: 30 })).body;
    const res = await manager.get('/api/pairing-codes');
    expect(res.status).toBe(200);
    const listed = res.body.pairingCodes.find((c: { id: string }) => c.id === made.id);
    expect(listed).toEqual({
      id: made.id,
      role: 'kitchen',
      createdAt: expect.any(String),
      expiresAt: made.expiresAt,
      createdBy: { id: await idOf(manager), name: 'Office' },
      cancelledAt: null,
    });
    expect(JSON.stringify(res.body)).not.toContain(made.code);
  });

  it('can be cancelled by a manager, idempotently, and then pair nothing', async () => {
    const made = (await manager.post('/api/pairing-codes', { role: 'waiter' })).body;
    const key = crypto.randomUUID();
    const first = await manager.delete(`/api/pairing-codes/${made.id}`, { staffName: 'Mia' }, key);
    expect(first.status).toBe(200);
    expect(first.body.pairingCode).toMatchObject({ id: made.id, cancelledAt: expect.any(String) });
    const replay = await manager.delete(`/api/pairing-codes/${made.id}`, { staffName: 'Mia' }, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    // A new request to cancel it again changes nothing and says so the same way.
    const again = await manager.delete(`/api/pairing-codes/${made.id}`);
    expect(again.status).toBe(200);
    expect(again.body.pairingCode.cancelledAt).toBe(first.body.pairingCode.cancelledAt);

    const list = (await manager.get('/api/pairing-codes')).body.pairingCodes.map((c: { id: string }) => c.id);
    expect(list).not.toContain(made.id);
    const pair = await new Api(a.baseUrl).post('/api/pair', { code: made.code, deviceName: 'Too late' });
    expect(pair.body.error.code).toBe('pairing_code_invalid');
  });

  it('that already paired a device cannot be cancelled, and unknown ones are 404', async () => {
    const made = (await manager.post('/api/pairing-codes', { role: 'waiter' })).body;
    await new Api(a.baseUrl).post('/api/pair', { code: made.code, deviceName: 'Tablet 9' });
    const used = await manager.delete(`/api/pairing-codes/${made.id}`);
    expect(used.status).toBe(409);
    expect(used.body.error.code).toBe('pairing_code_used');
    const unknown = await manager.delete(`/api/pairing-codes/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('pairing_code_not_found');
  });

  it('are listed and cancelled by managers only', async () => {
    const waiter = await deviceApi(db.pool, a.baseUrl, 'waiter');
    const made = (await manager.post('/api/pairing-codes', { role: 'waiter' })).body;
    expect((await waiter.get('/api/pairing-codes')).status).toBe(403);
    expect((await waiter.delete(`/api/pairing-codes/${made.id}`)).status).toBe(403);
    expect((await new Api(a.baseUrl).get('/api/pairing-codes')).status).toBe(401);
  });
});
