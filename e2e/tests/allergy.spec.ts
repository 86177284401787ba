import { expect, test } from '../support/fixtures.js';
import { KitchenBoard } from '../support/pages.js';
import { allergyBanner, expectAllergyBanner, flagAllergy } from '../support/tickets.js';

// The waiter's own phone; the boards are 1080p TVs.
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('an allergy the waiter flags shows in a banner, blocks the first bump until a cook acknowledges it, and the acknowledgement shows on a second board', async ({
  waiter: app,
  tvBoard: board,
  browser,
  kitchenApi,
  setup,
  server,
}, testInfo) => {
  const secondPage = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const second = new KitchenBoard(secondPage, kitchenApi, () => setup.pairingCode('kitchen'));
  await second.open(server.baseUrl);

  await app.goToTable(12);
  await expect(app.menu.heading(12)).toBeVisible();
  await app.menu.add('Sides', 'Fries');
  await flagAllergy(app.menu.cart.panel, ['gluten'], 'severe, no shared fryer');
  await app.page.screenshot({ path: testInfo.outputPath('waiter-allergy-390.png') });
  await app.sendCart(12);

  await board.expectTicket(12, ['Fries']);
  const banner = await expectAllergyBanner(board, 12, 'Whole order: gluten — severe, no shared fryer');
  await expect(allergyBanner(second, 12)).toContainText('gluten');

  // A tap on "Bump ticket" asks for the acknowledgement instead of bumping.
  await board.ticket(12).getByRole('button', { name: 'Bump ticket' }).click();
  await expect(banner.getByRole('alert')).toHaveText('Acknowledge the allergy before the first bump.');
  await expect(board.item(12, 'Fries')).toContainText('Queued');
  // So does the bump bar's key.
  await board.page.keyboard.press('b');
  await expect(board.item(12, 'Fries')).toContainText('Queued');
  await board.page.screenshot({ path: testInfo.outputPath('board-allergy-asking-1920.png') });

  await banner.getByRole('button', { name: 'Acknowledge allergy' }).click();
  await expect(banner).toContainText(/Acknowledged by Cook/);
  await expect(allergyBanner(second, 12)).toContainText(/Acknowledged by Cook/);
  await expect(allergyBanner(second, 12).getByRole('button', { name: 'Acknowledge allergy' })).toHaveCount(0);

  await board.bumpTicket(12);
  await board.expectStatus(12, 'Fries', 'cooking');
  await board.page.screenshot({ path: testInfo.outputPath('board-allergy-acknowledged-1920.png') });
  await secondPage.context().close();
});

test('an allergy flagged on one dish in its sheet reaches the ticket as that dish’s', async ({
  waiter: app,
  tvBoard: board,
}) => {
  await app.goToTable(12);
  await expect(app.menu.heading(12)).toBeVisible();
  await app.menu.category('Burgers');
  await app.menu.dish('Burger').tap();
  const sheet = app.page.getByRole('dialog', { name: 'Burger' });
  await flagAllergy(sheet, ['sesame'], 'no seeds on the bun', 'this dish');
  await sheet.getByRole('button', { name: /^Add 1 · / }).tap();
  await expect(app.menu.cart.panel).toContainText('Allergy: sesame, no seeds on the bun');
  await app.sendCart(12);

  await board.expectTicket(12, ['Burger']);
  await expectAllergyBanner(board, 12, 'sesame — no seeds on the bun');
});
