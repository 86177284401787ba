import { describe, expect, it } from 'vitest';
import { Api } from './api.js';
import { serverClockOffset } from './server-clock.js';

/** An API whose server's clock is `skewMs` ahead of this device's. */
function apiWithServerClock(skewMs: number): Api {
  return new Api({
    fetch: () =>
      Promise.resolve(
        new Response(JSON.stringify({ tables: [] }), {
          status: 200,
          headers: { 'Content-Type': 'application/json', Date: new Date(Date.now() + skewMs).toUTCString() },
        }),
      ),
  });
}

describe("the server's clock", () => {
  it('is learnt from answers, so a screen whose clock is off times tickets on server time', async () => {
    await apiWithServerClock(5 * 60_000).tables();
    expect(Math.abs(serverClockOffset() - 5 * 60_000)).toBeLessThanOrEqual(1_500);
    await apiWithServerClock(-2 * 60_000).tables();
    expect(Math.abs(serverClockOffset() + 2 * 60_000)).toBeLessThanOrEqual(1_500);
  });

  it('does not move for differences within the Date header’s second', async () => {
    await apiWithServerClock(0).tables();
    const settled = serverClockOffset();
    for (let i = 0; i < 5; i++) await apiWithServerClock(0).tables();
    expect(serverClockOffset()).toBe(settled);
    expect(Math.abs(settled)).toBeLessThanOrEqual(1_500);
  });
});
