import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ServicesContext, type AppServices } from '../ui/context.js';
import { openDb } from '../db/schema.js';
import { Api } from '../sync/api.js';
import type { SyncEngine } from '../sync/engine.js';
import { uniqueDbName } from './harness.js';

// The manager console's screens in tests: a fake server behind fetch, and the services they read.

export interface Seen {
  method: string;
  path: string;
  body: unknown;
  key: string | null;
}

export type Reply = (seen: Seen) => Response | Promise<Response> | 'network';

export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fetch that answers GETs from `gets` and writes from the queued replies, remembering every request. */
export function fakeFetch(gets: Record<string, unknown>, writes: Reply[] = []) {
  const seen: Seen[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input, 'http://chit.test');
    const headers = new Headers(init?.headers);
    const request: Seen = {
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : null,
      key: headers.get('Idempotency-Key'),
    };
    seen.push(request);
    if (request.method === 'GET') return json(200, gets[url.pathname]);
    const reply = writes.shift();
    if (!reply) throw new Error(`no reply queued for ${request.method} ${request.path}`);
    const answer = await reply(request);
    if (answer === 'network') throw new TypeError('Failed to fetch');
    return answer;
  }) as typeof fetch;
  return { fetchFn, seen };
}

export function renderWith(ui: ReactNode, fetchFn: typeof fetch): RenderResult {
  const api = new Api({ fetch: fetchFn });
  api.setToken('t');
  const services = { db: openDb(uniqueDbName()), engine: { online: api } as unknown as SyncEngine } as AppServices;
  return render(<ServicesContext.Provider value={services}>{ui}</ServicesContext.Provider>);
}
