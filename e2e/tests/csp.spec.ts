import type { BrowserContext } from '@playwright/test';
import { expect, pairWaiter, test } from '../support/fixtures.js';
import { KitchenBoard, WaiterApp } from '../support/pages.js';

/** Records every Content-Security-Policy violation the pages of `context` report. */
async function recordViolations(context: BrowserContext): Promise<() => Promise<string[]>> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return async () => {
    const all: string[] = [];
    for (const page of context.pages()) {
      all.push(...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)));
    }
    return all;
  };
}

test('the waiter app and the kitchen board run under the strict CSP without a single violation', async ({
  browser,
  server,
  setup,
  kitchenApi,
}) => {
  const waiterContext = await browser.newContext();
  const boardContext = await browser.newContext();
  try {
    const waiterViolations = await recordViolations(waiterContext);
    const boardViolations = await recordViolations(boardContext);

    const waiter = await pairWaiter(new WaiterApp(await waiterContext.newPage(), server.baseUrl), setup);
    await waiter.order(12, [['Drinks', 'Cola']]);
    const board = new KitchenBoard(await boardContext.newPage(), kitchenApi, () => setup.pairingCode('kitchen'));
    await board.open(server.baseUrl);
    await expect(board.item(12, 'Cola')).toBeVisible();

    expect(await waiterViolations()).toEqual([]);
    expect(await boardViolations()).toEqual([]);
  } finally {
    await waiterContext.close();
    await boardContext.close();
  }
});
