import { seriousViolations } from '../support/axe.js';
import { expect, pairWaiter, test } from '../support/fixtures.js';
import { WaiterApp } from '../support/pages.js';

test('axe finds no serious or critical violation on the pairing, tables, table, menu, takeaway and kitchen screens', async ({
  page,
  server,
  setup,
  board,
}) => {
  const app = new WaiterApp(page, server.baseUrl);
  await app.goto('/');
  await expect(app.pairing.form).toBeVisible();
  expect(await seriousViolations(page), 'pairing screen').toEqual([]);

  await pairWaiter(app, setup);
  expect(await seriousViolations(page), 'tables screen').toEqual([]);

  await app.order(12, [
    ['Pizza', 'Margherita', { size: 'Medium', toppings: ['Pepperoni'] }],
    ['Drinks', 'Cola'],
  ]);
  await expect(app.table.item('Cola')).toContainText('Sent');
  expect(await seriousViolations(page), 'table screen').toEqual([]);

  await app.table.addItems();
  await expect(app.menu.heading(12)).toBeVisible();
  expect(await seriousViolations(page), 'menu screen').toEqual([]);
  await app.menu.category('Pizza');
  const sheet = await app.menu.open('Margherita');
  await sheet.choose({ size: 'Large', toppings: ['Mushroom'], note: 'well done' });
  expect(await seriousViolations(page), 'dish sheet').toEqual([]);
  await sheet.add();
  expect(await seriousViolations(page), 'menu screen with a cart').toEqual([]);

  const outbox = await app.badge.openOutbox();
  expect(await seriousViolations(page), 'outbox').toEqual([]);
  await outbox.close();

  await app.allTables();
  await app.tables.newTakeaway();
  await app.customer.fill({ type: 'Delivery', name: '', address: '', phone: 'call me' });
  await app.customer.submit();
  await app.customer.expectError('Phone', 'Give a phone number of digits, spaces and + ( ) - . /');
  expect(await seriousViolations(page), 'customer form with errors').toEqual([]);
  await app.allTables();
  await app.takeaway({ type: 'Takeaway', name: 'Mia' }, [['Drinks', 'Cola']]);
  expect(await seriousViolations(page), 'takeaway order').toEqual([]);
  await app.allTables();
  await expect(app.tables.takeaway('Takeaway · Mia')).toBeVisible();
  expect(await seriousViolations(page), 'tables screen with a takeaway').toEqual([]);

  await board.open(server.baseUrl);
  await app.order(12, [['Burgers', 'Burger', { note: 'no pickles' }]]);
  await board.expectTicket(12, ['Burger']);
  expect(await seriousViolations(board.page), 'kitchen screen').toEqual([]);
});
