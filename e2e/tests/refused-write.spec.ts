import { expect, test } from '../support/fixtures.js';

test('an order the server refuses is shown with its reason and does not hold up the orders behind it', async ({
  page,
  waiter: app,
  board,
  kitchenApi,
}) => {
  await page.context().setOffline(true);
  await app.order(12, [['Drinks', 'Lemonade']]);
  await app.order(14, [['Pizza', 'Margherita', { size: 'Small' }]]);
  await app.order(12, [['Sides', 'Fries']]);
  await app.badge.expectState('no network', 3);

  // Meanwhile the bar runs out of lemonade.
  await kitchenApi.setAvailable('Lemonade', false);

  await page.context().setOffline(false);
  await app.badge.expectState('online', 0, 1);
  await board.expectTicket(14, ['Margherita']);
  await board.expectTicket(12, ['Fries']);
  expect((await board.tickets()).flatMap((t) => t.items.map((i) => i.name))).toEqual(['Margherita', 'Fries']);

  // The outbox says why, and offers the ways out.
  const outbox = await app.badge.openOutbox();
  await expect(outbox.entries).toHaveCount(1);
  const refused = outbox.entry('New order · table 12 · 1 item');
  await expect(refused).toContainText('refused by the server');
  await expect(refused.getByRole('alert')).toContainText('Lemonade is not available right now.');
  await expect(refused.getByRole('button', { name: 'Fix at table 12' })).toBeVisible();
  await expect(refused.getByRole('button', { name: 'Resend' })).toBeVisible();
  await expect(refused.getByRole('button', { name: 'Discard' })).toBeVisible();

  // At the table: the lemonade carries the reason; the fries went out.
  await refused.getByRole('button', { name: 'Fix at table 12' }).click();
  await expect(outbox.dialog).toBeHidden();
  await expect(app.table.heading(12)).toBeVisible();
  await expect(app.table.item('Lemonade').getByRole('alert')).toHaveText(
    'Refused: Lemonade is not available right now.',
  );
  await expect(app.table.item('Fries')).toContainText('Sent');
  await app.allTables();
  await expect(app.tables.tile(12)).toHaveAccessibleName(/^Table 12, Inside: .*1 refused$/);
});
