import type { Locator } from '@playwright/test';
import { expect, test } from '../support/fixtures.js';

// A waiter's own phone, held in one hand: the standard order must fit and be tappable.
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('the standard order is taken on a 390×844 phone by touch, and every tap is counted', async ({
  waiter: app,
  liveBoard: board,
}) => {
  const page = app.page;
  let taps = 0;
  const tap = async (target: Locator) => {
    taps += 1;
    await target.tap();
  };
  const sheet = (dish: string) => page.getByRole('dialog', { name: dish });

  // Table 12 from the tables screen: an idle table opens on the menu.
  await tap(app.tables.tile(12));
  await expect(app.menu.heading(12)).toBeVisible();
  // Nothing on the screen is wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // 2 medium Margheritas with pepperoni: the sheet starts at medium.
  await tap(app.menu.dish('Margherita'));
  await tap(sheet('Margherita').getByRole('checkbox', { name: /^Pepperoni\b/ }));
  await tap(sheet('Margherita').getByRole('button', { name: 'One more' }));
  const addPizza = sheet('Margherita').getByRole('button', { name: /^Add 2 · / });
  await expect(addPizza).toBeInViewport();
  await tap(addPizza);

  // A burger, "no pickles".
  await tap(page.getByRole('navigation', { name: 'Categories' }).getByRole('button', { name: 'Burgers' }));
  // ✎ opens the dish with its note field focused: the waiter types at once.
  await tap(page.getByRole('button', { name: 'Burger with a note', exact: true }));
  await expect(sheet('Burger').getByRole('textbox', { name: 'Note for the kitchen' })).toBeFocused();
  await page.keyboard.type('no pickles');
  await tap(sheet('Burger').getByRole('button', { name: /^Add 1 · / }));

  // 2 colas: one tap each.
  await tap(page.getByRole('navigation', { name: 'Categories' }).getByRole('button', { name: 'Drinks' }));
  await tap(app.menu.dish('Cola'));
  await tap(app.menu.dish('Cola'));

  const send = app.menu.cart.panel.getByRole('button', { name: 'Send to kitchen' });
  await expect(send).toBeInViewport();
  await tap(send);
  await expect(app.table.heading(12)).toBeVisible();

  await board.expectTicket(12, ['Margherita', 'Burger', 'Cola']);
  const [ticket] = await board.ticketsFor(12);
  expect(ticket!.items).toEqual([
    expect.objectContaining({ name: 'Margherita', quantity: 2, modifiers: ['Medium', 'Pepperoni'] }),
    expect.objectContaining({ name: 'Burger', quantity: 1, note: 'no pickles' }),
    expect.objectContaining({ name: 'Cola', quantity: 2, modifiers: [] }),
  ]);
  console.log(`standard order on a phone: ${taps} taps`);
  // Was 16 before defaults, one-tap dishes, idle tables opening on the menu and ✎ on every dish.
  expect(taps).toBeLessThanOrEqual(12);
});
