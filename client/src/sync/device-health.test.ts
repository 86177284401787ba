import { afterEach, describe, expect, it } from 'vitest';
import { outboxHealth } from '../db/outbox.js';
import { harness, type Harness } from '../test/harness.js';
import { MenuResponse } from '@chit/shared';
import { appVersion } from '../version.js';
import { Api } from './api.js';

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) {
    h.sender.stop();
    h.db.close();
  }
});

/** An Api over the harness's fake server that keeps the headers of every request. */
async function setup() {
  const h = await harness();
  open.push(h);
  const seen: Headers[] = [];
  const api = new Api({
    fetch: (input, init) => {
      seen.push(new Headers(init?.headers));
      return h.server.fetch(input, init);
    },
  });
  api.setToken('test-token-abcdefghijkl');
  api.setOutboxHealth(() => outboxHealth(h.db, h.clock.now));
  return { h, api, seen };
}

describe("a device's requests", () => {
  it('say how many writes wait unsent and how long the oldest has waited', async () => {
    const { h, api, seen } = await setup();
    await h.order();
    h.clock.now += 90_000;
    await h.order();
    h.clock.now += 45_500;
    await api.menu();
    expect(seen.at(-1)!.get('Chit-Outbox-Length')).toBe('2');
    expect(seen.at(-1)!.get('Chit-Outbox-Oldest-Age')).toBe('135');
  });

  it('say the outbox is empty once everything is sent, and the event stream says it too', async () => {
    const { h, api, seen } = await setup();
    await h.order();
    await h.sender.kick();
    await api.tables();
    expect(seen.at(-1)!.get('Chit-Outbox-Length')).toBe('0');
    expect(seen.at(-1)!.get('Chit-Outbox-Oldest-Age')).toBe('0');
    await api.openEvents(null, new AbortController().signal);
    expect(seen.at(-1)!.get('Chit-Outbox-Length')).toBe('0');
  });
});

describe("a device's app version", () => {
  it('rides on every request, reads and writes and the event stream alike, even when the outbox cannot be read', async () => {
    const seen: Headers[] = [];
    const api = new Api({
      appVersion: '0.1.0+20261130T190337Z.c7d3d31',
      fetch: (_input, init) => {
        seen.push(new Headers(init?.headers));
        return Promise.resolve(new Response('{}', { status: 500 }));
      },
    });
    api.setToken('test-token-abcdefghijkl');
    api.setOutboxHealth(() => Promise.reject(new Error('IndexedDB is gone')));
    await api.menu();
    await api.write('POST', '/api/orders', {}, 'key-1', MenuResponse);
    await api.openEvents(null, new AbortController().signal);
    await api.pair({ code: 'ABCD-EFGH', deviceName: 'Tablet' });
    expect(seen.map((h) => h.get('Chit-App-Version'))).toEqual(Array(4).fill('0.1.0+20261130T190337Z.c7d3d31'));
  });

  it('is the build’s own when none is given', async () => {
    const seen: Headers[] = [];
    const api = new Api({
      fetch: (_input, init) => {
        seen.push(new Headers(init?.headers));
        return Promise.resolve(new Response('{}', { status: 500 }));
      },
    });
    await api.me();
    expect(seen[0]!.get('Chit-App-Version')).toBe(appVersion);
  });
});
