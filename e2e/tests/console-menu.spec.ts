import type { MenuResponse } from '@chit/shared';
import { ManagerConsole } from '../support/console.js';
import { expect, test } from '../support/fixtures.js';

// The console on a touch screen: every move below is a tap or a key, never a drag.
test.use({ hasTouch: true });

test('a manager arranges the menu by touch and keyboard, and the waiter’s menu follows', async ({
  page,
  server,
  setup,
  newWaiter,
}) => {
  const console = new ManagerConsole(page, server.baseUrl);
  await console.pair(await setup.pairingCode('manager'));
  await expect.poll(() => console.categoryNames()).toEqual(['Pizza', 'Burgers', 'Sides', 'Drinks']);

  // Keyboard: Tab to "Move Drinks up" and press Enter twice; the focus stays on it as it moves.
  await console.moveButton('Drinks', 'up').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => console.categoryNames()).toEqual(['Pizza', 'Burgers', 'Drinks', 'Sides']);
  await expect(console.moveButton('Drinks', 'up')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => console.categoryNames()).toEqual(['Pizza', 'Drinks', 'Burgers', 'Sides']);

  // Touch: Lemonade to the top of Drinks, then Pale ale after it.
  const drinks = console.category('Drinks').getByRole('listitem');
  await console.moveButton('Lemonade', 'up').tap();
  await expect(drinks.first()).toContainText('Lemonade');
  await expect(console.moveButton('Lemonade', 'up')).toBeDisabled();
  await console.moveButton('Pale ale', 'up').tap();
  await expect(drinks).toHaveText([/Lemonade/, /Pale ale/, /Cola/, /Sparkling water/]);
  if (process.env.SCREENSHOT_DIR) await console.screenshots('menu');

  // The order is the server's: a waiter's tablet shows the categories and dishes in it.
  const menu = await setup.get<MenuResponse>('/api/menu');
  expect([...menu.categories].sort((a, b) => a.sort - b.sort).map((c) => c.name)).toEqual([
    'Pizza',
    'Drinks',
    'Burgers',
    'Sides',
  ]);
  const tablet = await newWaiter();
  await tablet.goToTable(12);
  await expect(tablet.page.getByRole('navigation', { name: 'Categories' }).getByRole('button')).toHaveText([
    'Pizza',
    'Drinks',
    'Burgers',
    'Sides',
  ]);
  await tablet.menu.category('Drinks');
  await expect(tablet.page.getByRole('list', { name: 'Dishes' }).getByRole('listitem')).toHaveText([
    /Lemonade/,
    /Pale ale/,
    /Cola/,
    /Sparkling water/,
  ]);
});

test('a dish, its station and its option groups are saved with one Save', async ({ page, server, setup }) => {
  const console = new ManagerConsole(page, server.baseUrl);
  await console.pair(await setup.pairingCode('manager'));
  const dialog = await console.editDish('Burger');
  // The station is picked from the ones in use, not typed.
  const station = dialog.getByRole('combobox', { name: 'Station' });
  await expect(station.getByRole('option')).toHaveText(['bar', 'cold', 'fryer', 'grill', 'pizza', 'New station…']);
  await station.selectOption('fryer');
  await dialog.getByRole('textbox', { name: 'Price (€)' }).fill('14.00');
  await dialog.getByRole('button', { name: 'Add modifier group' }).click();
  const side = dialog.getByRole('group', { name: 'New modifier group 2' });
  await side.getByRole('textbox', { name: 'Group name' }).fill('Side');
  await side.getByRole('textbox', { name: 'Option 1', exact: true }).fill('Fries');
  await side.getByRole('button', { name: 'Add option' }).click();
  await side.getByRole('textbox', { name: 'Option 2', exact: true }).fill('Salad');
  await side.getByRole('textbox', { name: 'Extra price for option 2 (€)' }).fill('0.50');
  if (process.env.SCREENSHOT_DIR) await console.screenshots('dish-dialog');
  const writes: string[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET' && r.url().includes('/api/')) writes.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(writes).toEqual([expect.stringMatching(/^PATCH \/api\/menu\/items\/[0-9a-f-]{36}$/)]);
  const burger = (await setup.get<MenuResponse>('/api/menu')).items.find((i) => i.name === 'Burger')!;
  expect(burger).toMatchObject({ station: 'fryer', priceCents: 1400 });
  expect(burger.modifierGroups.map((g) => [g.name, g.options.map((o) => o.name)])).toEqual([
    ['Doneness', ['Medium rare', 'Well done']],
    ['Side', ['Fries', 'Salad']],
  ]);
});
