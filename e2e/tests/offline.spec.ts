import { expect, pairWaiter, test } from '../support/fixtures.js';
import { WaiterApp } from '../support/pages.js';

test('orders taken offline stay on the tablet through a reload and reach the kitchen exactly once when back online', async ({
  page,
  waiter: app,
  liveBoard: board,
}) => {
  await app.waitUntilReadyOffline();
  await page.context().setOffline(true);
  await app.badge.expectState('no network', 0);

  await app.order(12, [['Pizza', 'Margherita', { size: 'Large' }]]);
  await app.order(14, [
    ['Drinks', 'Cola'],
    ['Sides', 'Fries'],
  ]);
  await app.order(12, [['Burgers', 'Burger', { note: 'no pickles' }]]);

  await app.badge.expectState('no network', 3);
  await expect(app.table.orders).toHaveCount(2);
  for (const order of await app.table.orders.all()) await expect(order).toContainText('Not sent yet');
  await expect(app.table.item('Margherita')).toContainText('On this tablet only');
  await expect(app.table.item('Burger')).toContainText('On this tablet only');

  // The app starts again from the service worker, with no network at all.
  await page.reload();
  await expect(app.table.heading(12)).toBeVisible();
  await expect(app.table.item('Margherita')).toContainText('On this tablet only');
  await expect(app.table.item('Burger')).toContainText('On this tablet only');
  await app.badge.expectState('no network', 3);
  const outbox = await app.badge.openOutbox();
  await expect(outbox.entries).toHaveCount(3);
  await expect(outbox.entry('New order · table 12 · 1 item')).toHaveCount(2);
  await expect(outbox.entry('New order · table 14 · 2 items')).toContainText('waiting');
  await outbox.close();
  await app.allTables();
  await expect(app.tables.tile(12)).toHaveAccessibleName(
    /^Table 12, Inside: 2 open, €[\d.]+, seated \d+ min, 2 not synced$/,
  );
  await expect(app.tables.tile(14)).toHaveAccessibleName(
    /^Table 14, \w+: 2 open, €[\d.]+, seated \d+ min, 1 not synced$/,
  );
  expect(await board.tickets()).toEqual([]);

  await page.context().setOffline(false);
  await app.badge.expectState('online', 0);
  await expect(app.tables.tile(12)).toHaveAccessibleName(/^Table 12, Inside: 2 open, €[\d.]+, seated \d+ min$/);
  await expect(app.tables.tile(14)).toHaveAccessibleName(/^Table 14, \w+: 2 open, €[\d.]+, seated \d+ min$/);
  await board.expectTicket(12, ['Margherita']);
  await board.expectTicket(12, ['Burger']);
  await board.expectTicket(14, ['Cola', 'Fries']);
  const tickets = await board.tickets();
  expect(tickets.map((t) => [t.table, t.items.map((i) => i.name)])).toEqual([
    [12, ['Margherita']],
    [14, ['Cola', 'Fries']],
    [12, ['Burger']],
  ]);
  // Exactly once on the board too: three tickets, in the order they were taken.
  await expect(board.page.getByRole('article')).toHaveCount(3);
});

test('a tablet that loses the network before the app is stored on it says which screen did not load, and loads it once back', async ({
  browser,
  server,
  setup,
}) => {
  // The seconds after a tablet's first visit, before its service worker has stored the app.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const app = await pairWaiter(new WaiterApp(await context.newPage(), server.baseUrl), setup);
  await context.setOffline(true);

  await app.tables.goTo(12);
  const notice = app.page.getByRole('alert').filter({ hasText: 'This part of Chit could not load' });
  await expect(notice).toContainText('Orders on this tablet are safe');
  // The rest of the app is still there: the badge, the way back to the tables.
  await app.badge.expectWaiting(0);
  await app.allTables();
  await expect(app.tables.tile(12)).toBeVisible();

  await context.setOffline(false);
  await app.tables.goTo(12);
  await notice.getByRole('button', { name: 'Try again' }).click();
  await expect(app.menu.heading(12)).toBeVisible();
  await expect(notice).toHaveCount(0);
  await context.close();
});
