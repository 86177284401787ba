import { expect, test } from '../support/fixtures.js';

test('a waiter changes a queued pizza to Large with a topping; once cooking, Change leaves only void and a new line', async ({
  waiter: app,
  liveBoard: board,
  sql,
}) => {
  await app.order(12, [['Pizza', 'Margherita', { size: 'Medium' }]]);
  await board.expectTicket(12, ['Margherita']);
  const [before] = await sql<{ unit_price_cents: number }>(`SELECT unit_price_cents FROM order_items`);

  const dialog = await app.table.openChange('Margherita');
  await expect(dialog.getByRole('radio', { name: /^Medium\b/ })).toBeChecked();
  await dialog.getByRole('radio', { name: /^Large\b/ }).check();
  await dialog.getByRole('checkbox', { name: /^Mushroom\b/ }).check();
  await dialog.getByRole('button', { name: 'Save change' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.table.item('Margherita')).toContainText('Large, Mushroom');
  await app.badge.expectState('online', 0);

  // The board shows the new choices, and what they were.
  await expect(board.item(12, 'Margherita')).toContainText('Large');
  await expect(board.item(12, 'Margherita')).toContainText('Mushroom');
  await expect(board.item(12, 'Margherita')).toContainText('EDITED · was Medium');
  const [after] = await sql<{ modifiers: { name: string }[]; unit_price_cents: number; version: number }>(
    `SELECT modifiers, unit_price_cents, version FROM order_items`,
  );
  expect(after!.modifiers.map((m) => m.name)).toEqual(['Large', 'Mushroom']);
  expect(after!.unit_price_cents).toBeGreaterThan(before!.unit_price_cents);
  expect(after!.version).toBe(2);

  // Once the cook starts it, Change offers no size or toppings: that is a void and a new line.
  await board.bump(12, 'Margherita');
  await expect(app.table.item('Margherita')).toContainText('Cooking');
  const again = await app.table.openChange('Margherita');
  await expect(again.getByRole('radio')).toHaveCount(0);
  await expect(again.getByRole('checkbox')).toHaveCount(0);
  await expect(again).toContainText('void it and add a new line');
  await again.getByRole('button', { name: 'Cancel' }).click();
  await app.table.voidItem('Margherita', 'The kitchen has already started it and will be told to stop.');
  await board.expectVoidFlagged(12, 'Margherita');
});
