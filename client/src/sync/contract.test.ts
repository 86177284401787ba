import * as shared from '@chit/shared';
import { describe, expect, it } from 'vitest';
import { Api } from './api.js';
import { CreateOrderResponse, loadContract } from './contract.js';

const answer = (status: number, body: unknown) => () =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));

describe('the schemas that load on first use', () => {
  it('are the shared schemas, and check answers as they do', async () => {
    expect((await loadContract()).CreateOrderResponse).toBe(shared.CreateOrderResponse);
    const checked = await CreateOrderResponse.safeParse({ order: { id: 'not an order' } });
    expect(checked.success).toBe(false);
  });

  it('an answer that cannot be checked because the schemas did not load counts as no answer, not as refused', async () => {
    const api = new Api({ fetch: answer(201, { order: {} }) });
    const unloadable = { safeParse: () => Promise.reject(new Error('Failed to fetch dynamically imported module')) };
    const result = await api.write('POST', '/api/orders', {}, 'key-1', unloadable);
    // "network": the outbox sends the write again with the same key, and the server replays its answer.
    expect(result).toEqual({ kind: 'network', message: 'Failed to fetch dynamically imported module' });
  });

  it("a refusal is still read with the server's error code", async () => {
    const api = new Api({ fetch: answer(409, { error: { code: 'version_conflict', message: 'Changed meanwhile.' } }) });
    const result = await api.write('POST', '/api/orders', {}, 'key-2', CreateOrderResponse);
    expect(result).toMatchObject({
      kind: 'http',
      status: 409,
      error: { code: 'version_conflict', message: 'Changed meanwhile.' },
    });
  });
});
