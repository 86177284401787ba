import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceApi, startTestApp, type TestApp } from './harness.js';

let app: TestApp;
let dist: string;

beforeAll(async () => {
  // A client build as far as the server cares: the version.json the build writes beside the app.
  dist = await mkdtemp(path.join(tmpdir(), 'chit-dist-'));
  app = await startTestApp({ config: { clientDist: dist } });
});

afterAll(async () => {
  await app.close();
  await rm(dist, { recursive: true, force: true });
});

const current = '0.1.0+20261130T190337Z.c7d3d31';
const older = '0.1.0+20261101T080000Z.1a2b3c4';

describe("the devices list and the app's version", () => {
  it('names the build the server serves, and what each device last said it runs', async () => {
    await writeFile(path.join(dist, 'version.json'), JSON.stringify({ version: current }));
    const behind = await deviceApi(app.db.pool, app.server.baseUrl, 'waiter', 'Old tablet');
    await behind.request('GET', '/api/menu', { headers: { 'chit-app-version': older } });
    await app.manager.request('GET', '/api/me', { headers: { 'chit-app-version': current } });
    const list = await app.manager.get('/api/devices');
    expect(list.status).toBe(200);
    expect(list.body.currentAppVersion).toBe(current);
    const byName = (name: string) => list.body.devices.find((d: { name: string }) => d.name === name);
    expect(byName('Old tablet').appVersion).toBe(older);
    expect(byName('Office').appVersion).toBe(current);
  });

  it('picks up a new build dropped in place without a restart', async () => {
    await writeFile(path.join(dist, 'version.json'), JSON.stringify({ version: '0.2.0+20261201T000000Z' }));
    expect((await app.manager.get('/api/devices')).body.currentAppVersion).toBe('0.2.0+20261201T000000Z');
  });

  it('says null, not an error, when the server serves no build or its version file is broken', async () => {
    await writeFile(path.join(dist, 'version.json'), '{"version": ');
    const broken = await app.manager.get('/api/devices');
    expect(broken.status).toBe(200);
    expect(broken.body.currentAppVersion).toBeNull();
    await rm(path.join(dist, 'version.json'));
    expect((await app.manager.get('/api/devices')).body.currentAppVersion).toBeNull();
  });

  it('is for managers only', async () => {
    expect((await app.waiter.get('/api/devices')).status).toBe(403);
  });
});
