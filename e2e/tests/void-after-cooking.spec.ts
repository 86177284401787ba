import { expect, test } from '../support/fixtures.js';

test('voiding a dish the kitchen is already cooking strikes it through and flags it on the board', async ({
  waiter: app,
  liveBoard: board,
  sql,
}) => {
  await app.order(12, [
    ['Pizza', 'Margherita', { size: 'Medium' }],
    ['Drinks', 'Cola'],
  ]);
  await board.expectTicket(12, ['Margherita', 'Cola']);
  await board.bump(12, 'Margherita');
  await expect(app.table.item('Margherita')).toContainText('Cooking');

  await app.table.voidItem('Margherita', 'The kitchen has already started it and will be told to stop.');
  await expect(app.table.item('Margherita')).toHaveCount(0);
  await expect(app.table.item('Cola')).toContainText('Sent');
  await app.badge.expectState('online', 0);

  await board.expectVoidFlagged(12, 'Margherita');
  await board.expectStatus(12, 'Cola', 'queued');
  expect(await sql(`SELECT name, status, cooking_at IS NOT NULL AS cooked FROM order_items ORDER BY line`)).toEqual([
    { name: 'Margherita', status: 'voided', cooked: true },
    { name: 'Cola', status: 'queued', cooked: false },
  ]);
});
