import { expect, test } from '../support/fixtures.js';

test('when the server is killed while the tablet is sending, no order is lost and none is doubled', async ({
  server,
  faultyProxy: proxy,
  newWaiter,
  liveBoard: board,
  sql,
}) => {
  // The tablet talks to the server through a proxy that sees each order go by.
  const app = await newWaiter({ baseUrl: proxy.baseUrl });
  const page = app.page;
  await app.waitUntilReadyOffline();
  // Four orders wait on the tablet, then go out one after another.
  await page.context().setOffline(true);
  await app.order(12, [['Pizza', 'Margherita', { size: 'Small' }]]);
  await app.order(12, [['Drinks', 'Lemonade']]);
  await app.order(14, [['Burgers', 'Veggie burger']]);
  await app.order(14, [['Sides', 'Onion rings']]);
  await app.badge.expectState('no network', 4);

  // The server dies (SIGKILL, and its PostgreSQL with it) the moment the second order is on the
  // wire: it may or may not have stored that one, and either must end with it stored once. The
  // orders behind it go out only once the server is dead, so at least those two still wait.
  const killed = new Promise<void>((resolve) => {
    proxy.afterOrderPost = async (n) => {
      if (n !== 2) return;
      await server.kill('SIGKILL');
      resolve();
    };
  });
  await page.context().setOffline(false);
  await killed;

  // The waiter sees that orders still wait, with the reason of the last try.
  const outbox = await app.badge.openOutbox();
  await expect(outbox.entries.first()).toContainText(/Last try: /);
  const waiting = await outbox.entries.count();
  expect(waiting).toBeGreaterThanOrEqual(2);
  await app.badge.expectState('server unreachable', waiting);

  await server.launch();
  await outbox.sendNow();
  await app.badge.expectState('online', 0);
  await expect(outbox.entries).toHaveCount(0);
  await expect(outbox.dialog).toContainText('everything is on the server');
  await outbox.close();

  // On the board: four tickets, each once.
  await board.expectTicket(14, ['Onion rings']);
  const tickets = await board.tickets();
  expect(tickets.map((t) => [t.table, t.items.map((i) => i.name)])).toEqual([
    [12, ['Margherita']],
    [12, ['Lemonade']],
    [14, ['Veggie burger']],
    [14, ['Onion rings']],
  ]);
  // The board reconnected by itself after the restart and shows each ticket once.
  await expect(board.page.getByRole('article')).toHaveCount(4);
  // In the database: four orders, four items, nothing twice.
  const rows = await sql<{ name: string; n: number }>(
    `SELECT i.name, count(*)::int AS n FROM orders o JOIN order_items i ON i.order_id = o.id GROUP BY i.name ORDER BY i.name`,
  );
  expect(rows).toEqual([
    { name: 'Lemonade', n: 1 },
    { name: 'Margherita', n: 1 },
    { name: 'Onion rings', n: 1 },
    { name: 'Veggie burger', n: 1 },
  ]);
  expect(await sql(`SELECT id FROM orders`)).toHaveLength(4);

  // And the tablet shows every dish as sent.
  await app.openTable(14);
  await expect(app.table.item('Veggie burger')).toContainText('Sent');
  await expect(app.table.item('Onion rings')).toContainText('Sent');
});
