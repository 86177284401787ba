import { expect, test } from '../support/fixtures.js';

test('when the answer to an order is lost after the server stored it, the retry does not order it twice', async ({
  faultyProxy: proxy,
  newWaiter,
  board,
  sql,
}) => {
  const app = await newWaiter({ baseUrl: proxy.baseUrl });
  proxy.mode = 'drop-first-response';

  await app.order(12, [['Pizza', 'Margherita', { size: 'Medium', toppings: ['Mushroom'] }]]);
  await expect(app.table.item('Margherita')).toContainText('Sent');
  await app.badge.expectState('online', 0);

  // The first answer (201) was stored and lost; the retry, same key, got it replayed.
  expect(proxy.answers).toEqual([
    { statusLine: 'HTTP/1.1 201 Created', replayed: false, delivered: false },
    { statusLine: 'HTTP/1.1 201 Created', replayed: true, delivered: true },
  ]);
  expect(proxy.orderPosts).toBe(2);

  await board.expectTicket(12, ['Margherita']);
  expect(await board.ticketsFor(12)).toHaveLength(1);
  expect(await sql(`SELECT id FROM order_items`)).toHaveLength(1);
  await expect(app.table.orders).toHaveCount(1);
});
