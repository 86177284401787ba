import { afterEach, describe, expect, it, vi } from 'vitest';
import { outboxHealth } from '../db/outbox.js';
import { harness, type Harness } from '../test/harness.js';
import { MenuResponse } from '@chit/shared';
import { appVersion } from '../version.js';
import { Api } from './api.js';
import { storagePersistence } from './storage.js';

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

describe("a device's storage", () => {
  /** A browser whose `persist()` answers `granted` (when `answer` is called) and whose `persisted()` says `later`. */
  function browser(granted: boolean) {
    let answer!: () => void;
    const storage = {
      later: granted,
      persist: vi.fn(() => new Promise<boolean>((resolve) => (answer = () => resolve(granted)))),
      persisted: vi.fn(() => Promise.resolve(storage.later)),
    };
    return { storage, answer: () => answer() };
  }

  async function sent(api: Api, seen: Headers[]): Promise<string | null> {
    await api.menu();
    return seen.at(-1)!.get('Chit-Storage-Persisted');
  }

  function apiWith(storagePersisted: () => boolean | null) {
    const seen: Headers[] = [];
    const api = new Api({
      storagePersisted,
      fetch: (_input, init) => {
        seen.push(new Headers(init?.headers));
        return Promise.resolve(new Response('{}', { status: 500 }));
      },
    });
    return { api, seen };
  }

  it('is asked to be kept at start, and every request says so once the browser has answered', async () => {
    const clock = { now: 0 };
    const { storage, answer } = browser(false);
    const { api, seen } = apiWith(storagePersistence(storage, () => clock.now));
    expect(storage.persist).toHaveBeenCalledTimes(1);
    // No answer yet (a browser may be showing its prompt): the request goes without the header.
    expect(await sent(api, seen)).toBeNull();
    answer();
    await vi.waitFor(async () => expect(await sent(api, seen)).toBe('false'));

    // Installed to the home screen: the browser keeps the storage now, and a minute later the requests say it.
    storage.later = true;
    clock.now += 30_000;
    expect(await sent(api, seen)).toBe('false');
    clock.now += 30_000;
    await vi.waitFor(async () => expect(await sent(api, seen)).toBe('true'));
    expect(storage.persisted).toHaveBeenCalledTimes(1);
    expect(storage.persist).toHaveBeenCalledTimes(1);
  });

  it('goes unsaid where the browser cannot tell', async () => {
    const { api, seen } = apiWith(storagePersistence(undefined, () => 0));
    expect(await sent(api, seen)).toBeNull();
    const refusing = {
      persist: () => Promise.reject(new Error('no')),
      persisted: () => Promise.reject(new Error('no')),
    };
    const other = apiWith(storagePersistence(refusing, () => 0));
    expect(await sent(other.api, other.seen)).toBeNull();
  });
});
