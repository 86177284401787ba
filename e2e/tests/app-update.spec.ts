import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '../support/fixtures.js';

test.use({ serverOptions: { ownClientCopy: true } });

/** Deploys "a new version": a changed index.html, and a service worker that precaches it. */
async function publishNewVersion(clientDist: string): Promise<void> {
  const indexPath = path.join(clientDist, 'index.html');
  const index = await readFile(indexPath, 'utf8');
  await writeFile(indexPath, index.replace('<title>Chit</title>', '<title>Chit (new version)</title>'));
  const swPath = path.join(clientDist, 'sw.js');
  const sw = await readFile(swPath, 'utf8');
  const updated = sw.replace(/(\{url:"index\.html",revision:")[0-9a-f]+(")/, '$1e2e0000000000000000000000000002$2');
  expect(updated, 'sw.js precaches index.html with a revision').not.toBe(sw);
  await writeFile(swPath, updated);
}

test('an app update taken while orders wait on the tablet keeps them, and they are sent after it', async ({
  server,
  faultyProxy: proxy,
  newWaiter,
  board,
}) => {
  const app = await newWaiter({ baseUrl: proxy.baseUrl });
  await app.waitUntilReadyOffline();
  await app.page.reload();
  await expect(app.tables.heading).toBeVisible();
  await expect(app.page).toHaveTitle('Chit');

  // Orders cannot get through (the app itself still loads): the order waits on the tablet.
  proxy.mode = 'refuse';
  await app.order(12, [['Burgers', 'Burger', { note: 'no pickles' }]]);
  await expect.poll(() => proxy.orderPosts).toBeGreaterThan(0);
  await app.badge.expectWaiting(1);
  await expect(app.table.item('Burger')).toContainText('On this tablet only');

  await publishNewVersion(server.clientDist);
  // The app's periodic update check, now rather than in an hour.
  await app.page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update();
  });
  await expect(app.updateBanner).toContainText('Orders waiting to be sent are kept.');
  await expect(app.page).toHaveTitle('Chit');

  await app.updateBanner.getByRole('button', { name: 'Update now' }).click();
  await expect(app.page).toHaveTitle('Chit (new version)');
  await expect(app.updateBanner).toBeHidden();
  await expect(app.table.heading(12)).toBeVisible();
  await expect(app.table.item('Burger')).toContainText('On this tablet only');
  await app.badge.expectWaiting(1);
  expect(await board.tickets()).toEqual([]);

  // The outbox still holds the order after the update; then the connection is back and the
  // waiter taps "Send now" (the app's own retry may get there first: either way it goes once).
  const outbox = await app.badge.openOutbox();
  await expect(outbox.entry('New order · table 12 · 1 item')).toBeVisible();
  proxy.mode = 'forward';
  await outbox.sendNow();
  await app.badge.expectState('online', 0);
  await board.expectTicket(12, ['Burger']);
  expect(await board.tickets()).toHaveLength(1);
  await outbox.close();
  await expect(app.table.item('Burger')).toContainText('Sent');
});
