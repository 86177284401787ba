import { expect, test } from '../support/fixtures.js';

test('a dish with nothing to choose goes in with one tap, its count on the tile; the pizza starts at medium', async ({
  waiter: app,
  liveBoard: board,
}) => {
  // An idle table opens straight on the menu.
  expect(await app.goToTable(12)).toBe('menu');
  await app.menu.category('Drinks');
  const drinks = app.page.getByRole('list', { name: 'Dishes' });

  await app.menu.dish('Cola').click();
  await app.menu.dish('Cola').click();
  await expect(drinks.getByRole('group', { name: 'Cola in the order' })).toContainText('2');
  await drinks.getByRole('button', { name: 'One less Cola' }).click();
  await expect(drinks.getByRole('group', { name: 'Cola in the order' })).toContainText('1');
  await drinks.getByRole('button', { name: 'One more Cola' }).click();
  await expect(app.menu.cart.panel.getByRole('group', { name: 'Quantity of Cola' })).toContainText('2');

  // A pizza's sheet opens at its default size: Add straight away is a medium one.
  await app.menu.category('Pizza');
  const pizza = await app.menu.open('Margherita');
  await expect(pizza.dialog.getByRole('radio', { name: /^Medium\b/ })).toBeChecked();
  await pizza.add();

  await app.menu.cart.send();
  // 2 × €3.50 + a medium Margherita at €11.00, on the table and on its tile.
  await expect(app.page.getByText('Table total €18.00')).toBeVisible();
  await app.allTables();
  await expect(app.tables.tile(12)).toHaveAccessibleName(/€18\.00, seated \d+ min/);
  await board.expectTicket(12, ['Cola', 'Margherita']);
  const [ticket] = await board.ticketsFor(12);
  expect(ticket!.items).toEqual([
    expect.objectContaining({ name: 'Cola', quantity: 2, modifiers: [] }),
    expect.objectContaining({ name: 'Margherita', quantity: 1, modifiers: ['Medium'] }),
  ]);
});
