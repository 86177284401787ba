import { expect, test } from '../support/fixtures.js';
import { boardTicketNumber, orderNumbers, placeOrders } from '../support/tickets.js';

// The waiter's own phone; the board is a 1080p TV.
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('an order shows "not sent yet" on the tablet, then the number the server gave it, on the table and on the board', async ({
  waiter: app,
  tvBoard: board,
  setup,
}, testInfo) => {
  // Ten tickets already today from another tablet: the next one is #11 (two digits, where "——" used to be).
  const other = await setup.device('waiter', 'Bar tablet');
  expect(await placeOrders(other, 30, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  await app.waitUntilReadyOffline();
  await app.page.context().setOffline(true);
  await app.order(12, [['Sides', 'Fries']]);
  await expect(orderNumbers(app.table)).toHaveCount(1);
  await expect(orderNumbers(app.table).first()).toContainText('not sent yet');

  await app.page.context().setOffline(false);
  await expect(orderNumbers(app.table).first()).toContainText('#11');
  await expect(orderNumbers(app.table).first()).not.toContainText('not sent yet');
  await board.expectTicket(12, ['Fries']);
  await expect(boardTicketNumber(board, 12)).toHaveText('#11');
  await expect(boardTicketNumber(board, 30)).toHaveText(['#1', '#2', '#3', '#4', '#5', '#6', '#7', '#8', '#9', '#10']);

  await app.page.screenshot({ path: testInfo.outputPath('waiter-table-390.png') });
  await board.page.screenshot({ path: testInfo.outputPath('board-1920.png') });
});
