import { expect, pairWaiter, test } from '../support/fixtures.js';
import { WaiterApp } from '../support/pages.js';

test('a waiter pairs a tablet, sends an order for table 12, and sees it ready once the cook bumps it', async ({
  page,
  server,
  setup,
  board,
}) => {
  // Through the pairing screen, as Ana on the terrace tablet; her name shows in the banner.
  const app = await pairWaiter(new WaiterApp(page, server.baseUrl), setup);
  await app.badge.expectState('online', 0);
  await board.open(server.baseUrl);

  await app.openTable(12);
  await expect(page.getByText('Nothing ordered at this table yet.')).toBeVisible();
  await app.table.addItems();
  await expect(app.menu.heading(12)).toBeVisible();

  await app.menu.category('Pizza');
  const pizza = await app.menu.open('Margherita');
  await pizza.choose({ size: 'Medium', toppings: ['Pepperoni'] });
  await expect(pizza.addButton).toHaveText('Add 1 · €13.00');
  await pizza.add();
  await app.menu.add('Burgers', 'Burger', { note: 'no pickles' });
  await expect(app.menu.cart.panel).toContainText('Margherita');
  await expect(app.menu.cart.panel).toContainText('Medium, Pepperoni');
  await expect(app.menu.cart.panel).toContainText('“no pickles”');

  await app.menu.cart.send();
  // The kitchen has both dishes within a second of the tap.
  await board.expectTicket(12, ['Margherita', 'Burger'], { timeout: 1_000 });
  const [ticket] = await board.ticketsFor(12);
  expect(ticket!.items).toEqual([
    expect.objectContaining({ name: 'Margherita', quantity: 1, modifiers: ['Medium', 'Pepperoni'], note: '' }),
    expect.objectContaining({ name: 'Burger', quantity: 1, modifiers: [], note: 'no pickles' }),
  ]);

  await expect(app.table.heading(12)).toBeVisible();
  await expect(app.table.orders).toHaveCount(1);
  await expect(app.table.orders).toContainText('Sent from this tablet');
  await expect(app.table.item('Margherita')).toContainText('Sent');
  await expect(app.table.item('Burger')).toContainText('“no pickles”');
  await app.badge.expectState('online', 0);

  await board.bumpTicket(12);
  await board.expectStatus(12, 'Burger', 'cooking');
  await expect(app.table.item('Margherita')).toContainText('Cooking');
  await expect(app.table.item('Burger')).toContainText('Cooking');

  await board.bumpTicket(12);
  await expect(app.table.item('Margherita')).toContainText('Ready');
  await expect(app.table.item('Burger')).toContainText('Ready');
  await expect(app.table.item('Burger').getByRole('button', { name: 'Mark served' })).toBeVisible();
  await app.allTables();
  await expect(app.tables.tile(12)).toHaveAccessibleName(
    /^Table 12, Inside: 2 open, €\d+\.\d\d, seated \d+ min, 2 ready to serve$/,
  );

  // Wherever the waiter is, the header says food is ready, and where.
  const readyNotice = page.getByRole('banner').getByRole('link', { name: '2 dishes ready to serve: T12' });
  await expect(readyNotice).toBeVisible();
  await readyNotice.click();
  await expect(app.table.heading(12)).toBeVisible();

  // Both plates go out on one tray: one tap serves them.
  await app.table.orders.getByRole('button', { name: 'Mark all 2 served' }).click();
  // The order is done: it folds away under the served ones.
  await expect(page.getByText('Served earlier (1)')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Mark / })).toHaveCount(0);
  await expect.poll(async () => (await board.ticketsFor(12)).length).toBe(0);
  await expect(readyNotice).toHaveCount(0);
});
