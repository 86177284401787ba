/**
 * The kitchen board at rush volume, in Chromium (Debian's, as the browser suite uses):
 *
 *   pnpm --filter @chit/e2e run bench:board   [-- --bumps 40 --tickets 400]
 *
 * Prints, in one run, against the built app and server (`pnpm build` first):
 * 1. Bump to repaint: a cook presses B on the selected ticket; measured with performance
 *    marks from the key to the first frame after the ticket shows its new state (the bump
 *    goes through IndexedDB and the live query, as on a real board). Median and p95 over
 *    `--bumps` bumps with 60 open tickets, and the same with 1 open ticket, the baseline.
 * 2. Memory over a compressed service: `--tickets` orders (400 = 2 hours at 200 an hour)
 *    sent, cooked, readied and served through the API as fast as the server takes them,
 *    with about 60 open at any time; every 50 tickets the board's JS heap (after a forced
 *    GC) and DOM node count, against the first sample (the baseline).
 */
import { randomUUID } from 'node:crypto';
import { chromium, type Page } from '@playwright/test';
import type { Order } from '@chit/shared';
import { SetupApi, type DeviceApi } from '../support/api.js';
import { benchOptions } from '../support/bench.js';
import { KitchenBoard } from '../support/pages.js';
import { sendRush } from '../support/pages/kitchen-rush.js';
import { chromiumFlags, chromiumPath } from '../support/chromium.js';
import { ChitServer } from '../support/server.js';

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

/** One bump by key, timed from the key to the frame after the selected ticket changed. */
async function timedBump(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const main = document.querySelector('main')!;
        const observer = new MutationObserver(() => {
          observer.disconnect();
          // The frame that shows the change: after the next animation frame has painted.
          requestAnimationFrame(() =>
            setTimeout(() => {
              performance.mark('bump-painted');
              resolve(performance.measure('bump', 'bump-key', 'bump-painted').duration);
            }, 0),
          );
        });
        observer.observe(main, { subtree: true, childList: true, characterData: true });
        performance.mark('bump-key');
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'b', bubbles: true }));
      }),
  );
}

async function bumpSeries(page: Page, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    // Select the first ticket on the page; each bump moves its items one step.
    await page.keyboard.press('1');
    times.push(await timedBump(page));
    await page.waitForTimeout(50);
  }
  return times;
}

async function main() {
  const { bumps, tickets: total } = benchOptions({ bumps: 40, tickets: 400 });
  const server = await ChitServer.start();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [...chromiumFlags, '--js-flags=--expose-gc'],
  });
  try {
    const setup = await SetupApi.withFirstManager(server.baseUrl, server.firstManagerCode!);
    const waiter = await setup.device('waiter', 'Bench tablet');
    const kitchen = await setup.device('kitchen', 'Bench pass');
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const board = new KitchenBoard(page, kitchen, () => setup.pairingCode('kitchen'));
    await sendRush(waiter, 1, 100);
    await board.open(server.baseUrl);
    await page.getByRole('article').first().waitFor();

    // 1. Bump to repaint, 1 ticket (baseline) then 60.
    const one = await bumpSeries(page, Math.min(bumps, 2));
    // A one-item ticket takes two bumps; keep sending one-line tickets to bump.
    const baseline: number[] = [...one];
    let table = 1;
    while (baseline.length < bumps) {
      await sendRush(waiter, 1, 61 + (table++ % 39));
      await page.waitForFunction(() => document.querySelectorAll('main article').length >= 1);
      baseline.push(...(await bumpSeries(page, 2)));
    }
    await sendRush(waiter, 60, 1);
    await page.waitForFunction(() => document.querySelectorAll('main article').length >= 60, undefined, {
      timeout: 60_000,
    });
    const rush = await bumpSeries(page, bumps);
    const row = (name: string, t: number[]) =>
      `  ${name.padEnd(26)} median ${quantile(t, 0.5).toFixed(1).padStart(6)} ms   p95 ${quantile(t, 0.95)
        .toFixed(1)
        .padStart(6)} ms   (${t.length} bumps)`;
    console.log('Bump → repaint (key to the frame after the ticket changed):');
    console.log(row('baseline: 1 open ticket', baseline));
    console.log(row('60 open tickets', rush));
    console.log(`  ratio (median): ${(quantile(rush, 0.5) / quantile(baseline, 0.5)).toFixed(2)}   target < 100 ms`);

    // 2. Memory over a compressed service.
    const cdp = await context.newCDPSession(page);
    const sample = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number; jsEventListeners: number };
      const open = await page.evaluate(() => document.querySelectorAll('main article').length);
      return { heapMb: heap.usedSize / 1e6, nodes: dom.nodes, listeners: dom.jsEventListeners, open };
    };
    const samples: { tickets: number; heapMb: number; nodes: number; listeners: number; open: number }[] = [];
    samples.push({ tickets: 0, ...(await sample()) });
    const started = Date.now();
    for (let n = 1; n <= total; n++) {
      await sendRush(waiter, 1, 1 + (n % 90));
      // The oldest open order goes through cooking, ready and served: about 60 stay open.
      const open = await kitchen.openOrders();
      if (open.length > 60) await finish(kitchen, waiter, open[0]!);
      if (n % 50 === 0) {
        await page.waitForTimeout(500);
        samples.push({ tickets: n, ...(await sample()) });
      }
    }
    console.log(
      `\nMemory over ${total} tickets (${((total / 200) * 60).toFixed(0)} min of service at 200/h, run in ${((Date.now() - started) / 1000).toFixed(0)} s):`,
    );
    console.log('  tickets   JS heap (MB, after GC)   DOM nodes   listeners   open tickets');
    for (const s of samples) {
      console.log(
        `  ${String(s.tickets).padStart(7)}   ${s.heapMb.toFixed(2).padStart(22)}   ${String(s.nodes).padStart(9)}   ${String(s.listeners).padStart(9)}   ${String(s.open).padStart(12)}`,
      );
    }
    const base = samples[1] ?? samples[0]!;
    const last = samples[samples.length - 1]!;
    console.log(
      `  baseline (after the first 50 tickets) → end: heap ${base.heapMb.toFixed(2)} → ${last.heapMb.toFixed(2)} MB (${(((last.heapMb - base.heapMb) / base.heapMb) * 100).toFixed(1)} %), DOM nodes ${base.nodes} → ${last.nodes}`,
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function finish(kitchen: DeviceApi, waiter: DeviceApi, order: Order): Promise<void> {
  for (const item of order.items) {
    const owner = item.tableId ? `tables/${item.tableId}` : `orders/${item.orderId}`;
    for (const status of ['cooking', 'ready'] as const) {
      if ((status === 'cooking' && item.status !== 'queued') || item.status === 'ready') continue;
      await patient(kitchen, `/api/${owner}/items/${item.id}`, { status });
    }
    await patient(waiter, `/api/${owner}/items/${item.id}`, { status: 'served' });
  }
}

/** A write that waits out the per-device rate limit (429) as a tablet's outbox would. */
async function patient(api: DeviceApi, path: string, body: unknown): Promise<void> {
  const key = randomUUID();
  for (;;) {
    const answer = await api.write('PATCH', path, body, key);
    if (answer.status !== 429) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

await main();
