import { expect, test } from '../support/fixtures.js';

test('when the server comes back, the order and the bump that waited go out by themselves, and the badges say why they waited', async ({
  server,
  waiter: app,
  liveBoard: board,
}) => {
  const boardStatus = board.page.getByRole('banner').getByRole('status');
  await app.order(12, [['Drinks', 'Lemonade']]);
  await app.badge.expectState('online', 0);
  await board.expectTicket(12, ['Lemonade']);

  // The server stops; the Wi-Fi is fine. Both screens say it is the server, not the network.
  await server.kill();
  await app.badge.expectState('server unreachable', 0);
  await expect(boardStatus).toHaveText('Server unreachable');

  // An order and a bump wait on their devices.
  await app.order(14, [['Sides', 'Fries']]);
  await app.badge.expectState('server unreachable', 1);
  await board.bump(12, 'Lemonade');
  await expect(board.item(12, 'Lemonade')).toContainText('sending');

  // Back: nobody taps anything, both go out, and nothing says "sending" once the board is live.
  await server.launch();
  await app.badge.expectState('online', 0);
  await board.expectTicket(14, ['Fries']);
  await expect(boardStatus).toHaveText('Live');
  await expect(board.item(12, 'Lemonade')).not.toContainText('sending');
  await board.expectStatus(12, 'Lemonade', 'cooking');
});
