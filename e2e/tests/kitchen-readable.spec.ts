import { randomUUID } from 'node:crypto';
import { expect, test } from '../support/fixtures.js';
import { KitchenRush, sendRush } from '../support/pages/kitchen-rush.js';

test('the board’s text size is a setting that stays after a reload', async ({ server, setup, board }) => {
  const waiter = await setup.device('waiter', 'Rush tablet');
  await sendRush(waiter, 3);
  await board.page.setViewportSize({ width: 1920, height: 1080 });
  await board.open(server.baseUrl);
  const rush = new KitchenRush(board.page);
  // The default is the 3 m size: 44 px on a 1080p screen (docs/decisions.md).
  expect(await rush.dishFontSize('Table 1', 'Margherita')).toBeGreaterThanOrEqual(43);
  expect(await rush.textSize()).toMatch(/^Large/);

  await rush.setTextSize('Small');
  await expect.poll(() => rush.dishFontSize('Table 1', 'Margherita')).toBeLessThan(35);
  await board.page.reload();
  await expect(board.page.getByRole('banner').getByRole('status')).toHaveText('Live');
  await expect.poll(() => rush.dishFontSize('Table 1', 'Margherita')).toBeLessThan(35);
  expect(await rush.textSize()).toMatch(/^Small/);
});

test('a void after cooking started fits its ticket on a TV: words wrap as words, Acknowledge stays inside, VOIDED said once', async ({
  server,
  setup,
  board,
}) => {
  const waiter = await setup.device('waiter', 'Tablet');
  const table = await waiter.table(12);
  const pizza = randomUUID();
  const sent = await waiter.write('POST', '/api/orders', {
    id: randomUUID(),
    tableId: table.id,
    staffName: 'Ana',
    items: [
      { id: pizza, menuItemId: await waiter.menuItemId('Burger'), quantity: 2, note: 'medium, no pickles' },
      { id: randomUUID(), menuItemId: await waiter.menuItemId('Cola'), quantity: 1 },
    ],
  });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  await board.page.setViewportSize({ width: 1920, height: 1080 });
  await board.open(server.baseUrl);
  await board.bump(12, 'Burger');
  await board.expectStatus(12, 'Burger', 'cooking');
  const voided = await waiter.write('DELETE', `/api/tables/${table.id}/items/${pizza}`, { reason: 'guest left' });
  expect(voided.status, JSON.stringify(voided.body)).toBe(200);

  await board.expectVoidFlagged(12, 'Burger');
  const ticket = board.ticket(12);
  await expect(ticket.getByRole('button', { name: 'Acknowledge' })).toBeVisible();
  const rush = new KitchenRush(board.page);
  expect(await rush.fitsInside('Table 12')).toEqual({ sticksOut: [], squeezed: [] });
  expect((await board.item(12, 'Burger').textContent())!.match(/voided/gi)).toHaveLength(1);
  if (process.env.SCREENSHOT_DIR) {
    await board.page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/kitchen-void-alert-1920x1080.png` });
  }
  await ticket.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(ticket.getByRole('button', { name: 'Acknowledge' })).toBeHidden();
});

test('the 86 panel shows what is 86’d first, every station’s dishes by name, and finds a dish by name', async ({
  server,
  board,
  kitchenApi,
}) => {
  await kitchenApi.setAvailable('Fries', false);
  await board.open(server.baseUrl);
  await board.page.getByRole('button', { name: '86', exact: true }).click();
  const dialog = board.page.getByRole('dialog', { name: '86 a dish' });
  const off = dialog.getByRole('region', { name: '86’d now' });
  await expect(off.getByRole('button')).toHaveText(['Back on: Fries']);
  await expect(dialog.getByRole('region', { name: 'grill' }).getByRole('button')).toHaveText([
    '86 Burger',
    '86 Veggie burger',
  ]);
  await dialog.getByRole('searchbox', { name: 'Search dishes' }).fill('burg');
  await expect(dialog.getByRole('button', { name: /^86 / })).toHaveText(['86 Burger', '86 Veggie burger']);
  await dialog.getByRole('button', { name: '86 Veggie burger' }).click();
  await expect(off.getByRole('button')).toHaveText(['Back on: Veggie burger']);
  if (process.env.SCREENSHOT_DIR) {
    await board.page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/kitchen-86-panel-1280x800.png` });
  }
});
