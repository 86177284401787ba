import { expect, test } from '../support/fixtures.js';

test('two tablets sending to one table at the same moment both land, neither overwrites the other', async ({
  newWaiter,
  liveBoard: board,
  sql,
}) => {
  const ana = await newWaiter({ tabletName: 'Terrace tablet', staffName: 'Ana' });
  const ben = await newWaiter({ tabletName: 'Bar tablet', staffName: 'Ben' });

  for (const [app, dishes] of [
    [ana, [['Pizza', 'Margherita', { size: 'Large' }]]],
    [
      ben,
      [
        ['Drinks', 'Pale ale'],
        ['Sides', 'Fries'],
      ],
    ],
  ] as const) {
    await app.openTable(12);
    await app.table.addItems();
    for (const [category, dish, choice] of dishes) await app.menu.add(category, dish, choice);
  }
  // Both waiters tap "Send to kitchen" together.
  await Promise.all([ana.menu.cart.send(), ben.menu.cart.send()]);

  await board.expectTicket(12, ['Margherita']);
  await board.expectTicket(12, ['Pale ale', 'Fries']);
  expect(await board.ticketsFor(12)).toHaveLength(2);
  expect(await sql(`SELECT name FROM order_items ORDER BY name`)).toEqual([
    { name: 'Fries' },
    { name: 'Margherita' },
    { name: 'Pale ale' },
  ]);

  // Each tablet shows both orders: its own and the other's.
  for (const [app, mine, theirs] of [
    [ana, 'Margherita', 'Pale ale'],
    [ben, 'Pale ale', 'Margherita'],
  ] as const) {
    await expect(app.table.orders).toHaveCount(2);
    await expect(app.table.orders.filter({ hasText: 'Sent from this tablet' })).toContainText(mine);
    await expect(app.table.orders.filter({ hasText: 'From another device' })).toContainText(theirs);
    await app.badge.expectState('online', 0);
  }
});
