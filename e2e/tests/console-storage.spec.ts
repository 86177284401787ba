import type { Browser } from '@playwright/test';
import { expect, pairWaiter, test } from '../support/fixtures.js';
import { WaiterApp } from '../support/pages.js';

/**
 * A browser context whose storage Chromium keeps, as it does for an app installed to the home
 * screen: `navigator.storage.persist()` says yes (headless Chromium says no to every page).
 */
async function installedContext(browser: Browser, origin: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const { targetInfo } = await cdp.send('Target.getTargetInfo');
  await cdp.send('Browser.grantPermissions', {
    origin,
    browserContextId: targetInfo.browserContextId,
    permissions: ['durableStorage'],
  });
  return page;
}

test("the devices screen says whose storage the browser may clear; the waiter's outbox does not", async ({
  managerConsole: console,
  page,
  browser,
  server,
  setup,
  newWaiter,
  sql,
}) => {
  const terrace = await newWaiter({ tabletName: 'Terrace tablet' });
  const installed = await installedContext(browser, server.baseUrl);
  await pairWaiter(new WaiterApp(installed, server.baseUrl), setup, { tabletName: 'Bar tablet', staffName: 'Leo' });
  // Paired, but its app has not made a request since: it never said.
  await setup.device('waiter', 'Spare tablet');
  const stored = async (name: string) =>
    (
      await sql<{ storage_persisted: boolean | null }>(`SELECT storage_persisted FROM devices WHERE name = $1`, [name])
    )[0]?.storage_persisted;
  // Each app says so on its requests once the browser has answered (a moment after it opens).
  await expect.poll(() => stored('Bar tablet')).toBe(true);
  await expect.poll(() => stored('Terrace tablet')).toBe(false);

  await console.open('Devices');
  await expect(await console.deviceCell('Bar tablet', 'Storage')).toHaveText('Persistent');
  await expect(await console.deviceCell('Terrace tablet', 'Storage')).toHaveText('May be cleared');
  await expect(await console.deviceCell('Office', 'Storage')).toHaveText('May be cleared');
  await expect(await console.deviceCell('Spare tablet', 'Storage')).toHaveText('—');
  await expect(page.getByRole('region', { name: 'Paired devices' })).toContainText(
    /The browsers of Office and Terrace tablet may clear Chit’s storage .* Install Chit to the home screen/,
  );
  await console.screenshots('devices-storage');

  // The waiter whose storage may be cleared is not told about it: that is the manager's to fix.
  const outbox = await terrace.badge.openOutbox();
  await expect(outbox.dialog).toContainText('everything is on the server');
  await expect(outbox.dialog).not.toContainText(/storage|persistent/i);
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) await terrace.page.screenshot({ path: `${dir}/waiter-outbox-1280x800.png` });
});
