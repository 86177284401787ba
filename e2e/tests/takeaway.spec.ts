import { expect, test } from '../support/fixtures.js';

test('a waiter enters a takeaway and a delivery order, the kitchen sees whom they are for and bumps them, and the waiter sees them ready', async ({
  page,
  waiter: app,
  liveBoard: board,
  sql,
}) => {
  // The customer form checks what the server will check, field by field.
  await app.tables.newTakeaway();
  await app.customer.submit();
  await app.customer.expectError('Customer name', "Give the customer's name.");
  await app.customer.fill({ type: 'Delivery', name: 'Jon', address: '', phone: 'call me' });
  await app.customer.submit();
  await app.customer.expectError('Delivery address', 'Give the delivery address.');
  await app.customer.expectError('Phone', 'Give a phone number of digits, spaces and + ( ) - . /');
  await app.allTables();

  const jon = await app.takeaway({ type: 'Delivery', name: 'Jon', address: 'Hauptstr. 1', phone: '+49 30 1234567' }, [
    ['Burgers', 'Burger', { note: 'no pickles' }],
  ]);
  expect(jon).toBe('Delivery · Jon');
  await expect(page.getByText('Hauptstr. 1 · +49 30 1234567')).toBeVisible();
  await expect(app.table.orders).toContainText('Sent from this tablet');
  await expect(app.table.item('Burger')).toContainText('Sent');

  const mia = await app.takeaway({ type: 'Takeaway', name: 'Mia' }, [
    ['Pizza', 'Margherita', { size: 'Medium' }],
    ['Drinks', 'Cola'],
  ]);
  await expect(app.table.item('Margherita')).toContainText('Sent');

  // The kitchen has both, labelled with the customer.
  await board.expectTicket(jon, ['Burger']);
  await board.expectTicket(mia, ['Margherita', 'Cola']);
  await expect(board.item(jon, 'Burger')).toContainText('“no pickles”');
  expect(
    await sql(`SELECT type, table_id, customer_name, customer_address, customer_phone FROM orders ORDER BY created_at`),
  ).toEqual([
    {
      type: 'delivery',
      table_id: null,
      customer_name: 'Jon',
      customer_address: 'Hauptstr. 1',
      customer_phone: '+49 30 1234567',
    },
    { type: 'takeaway', table_id: null, customer_name: 'Mia', customer_address: null, customer_phone: null },
  ]);

  await app.allTables();
  await expect(app.tables.takeaway(jon)).toHaveAccessibleName(/^Delivery · Jon: #\d+, Sent$/);
  await expect(app.tables.takeaway(mia)).toHaveAccessibleName(/^Takeaway · Mia: #\d+, Sent$/);

  await board.bumpTicket(mia);
  await expect(app.tables.takeaway(mia)).toHaveAccessibleName(/^Takeaway · Mia: #\d+, Cooking$/);
  await board.bumpTicket(mia);
  await expect(app.tables.takeaway(mia)).toHaveAccessibleName(/^Takeaway · Mia: #\d+, Ready$/);
  await expect(app.tables.readyNews).toHaveText('1 takeaway or delivery order ready');
  await board.expectStatus(mia, 'Margherita', 'ready');
  await board.bumpTicket(jon);
  await board.bumpTicket(jon);
  await expect(app.tables.takeaway(jon)).toHaveAccessibleName(/^Delivery · Jon: #\d+, Ready$/);
  await expect(app.tables.readyNews).toHaveText('2 takeaway or delivery orders ready');

  // Handed over: the order leaves the list; the delivery stays until it goes out.
  await app.tables.takeaway(mia).click();
  await expect(app.table.heading(mia)).toBeVisible();
  await expect(app.table.item('Margherita')).toContainText('Ready');
  for (const dish of ['Margherita', 'Cola']) {
    await app.table.item(dish).getByRole('button', { name: 'Mark served' }).click();
    await expect(app.table.item(dish)).toContainText('Served');
  }
  await app.allTables();
  await expect(app.tables.takeaway(mia)).toHaveCount(0);
  await expect(app.tables.takeaway(jon)).toBeVisible();
  await app.badge.expectState('online', 0);
});

test('a takeaway entered offline stays on the tablet through a reload and reaches the kitchen exactly once', async ({
  page,
  waiter: app,
  liveBoard: board,
  sql,
}) => {
  await app.waitUntilReadyOffline();
  await page.context().setOffline(true);
  await app.badge.expectState('no network', 0);

  const mia = await app.takeaway({ type: 'Takeaway', name: 'Mia' }, [['Pizza', 'Margherita', { size: 'Large' }]]);
  await expect(app.table.orders).toContainText('Not sent yet');
  await expect(app.table.item('Margherita')).toContainText('On this tablet only');
  await app.badge.expectState('no network', 1);

  // The app starts again from the service worker, with no network at all.
  await page.reload();
  await expect(app.table.heading(mia)).toBeVisible();
  await expect(app.table.item('Margherita')).toContainText('On this tablet only');
  const outbox = await app.badge.openOutbox();
  await expect(outbox.entry('New order · Takeaway · Mia · 1 item')).toContainText('waiting');
  await outbox.close();
  await app.allTables();
  await expect(app.tables.takeaway(mia)).toHaveAccessibleName('Takeaway · Mia: On this tablet only');
  expect(await board.tickets()).toEqual([]);

  await page.context().setOffline(false);
  await app.badge.expectState('online', 0);
  await expect(app.tables.takeaway(mia)).toHaveAccessibleName(/^Takeaway · Mia: #\d+, Sent$/);
  await board.expectTicket(mia, ['Margherita']);
  await expect(board.page.getByRole('article')).toHaveCount(1);
  expect(await sql(`SELECT customer_name FROM orders`)).toEqual([{ customer_name: 'Mia' }]);
  expect(await sql(`SELECT id FROM order_items`)).toHaveLength(1);
});
