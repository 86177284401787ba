import { expect, test } from '../support/fixtures.js';
import { KitchenRush, sendRush } from '../support/pages/kitchen-rush.js';

const sizes = [
  { name: 'tv', width: 1920, height: 1080 },
  { name: 'tablet', width: 1280, height: 800 },
  { name: 'portrait', width: 800, height: 1280 },
];

async function screenshot(rush: KitchenRush, name: string) {
  if (!process.env.SCREENSHOT_DIR) return;
  await rush.settled();
  await rush.page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png` });
}

test('30 open tickets on a 1080p board: every ticket is whole on screen or on a page the bump bar reaches', async ({
  server,
  setup,
  board,
}) => {
  const waiter = await setup.device('waiter', 'Rush tablet');
  const labels = await sendRush(waiter, 30);
  await board.page.setViewportSize({ width: 1920, height: 1080 });
  await board.open(server.baseUrl);
  const rush = new KitchenRush(board.page);
  await expect(rush.tickets).toHaveCount(30);
  await expect(board.ticket(1)).toBeVisible();

  const { pages } = await rush.pageNumbers();
  if (pages > 1) {
    // Where the rest are, in words a cook reads from across the kitchen.
    await expect(rush.pager).toContainText(new RegExp(`^←?\\s*1/${pages} · \\d+ more →`));
  }
  await screenshot(rush, 'kitchen-30-tickets-1920x1080');
  const { pages: seen, seenWhole } = await rush.walkPages();
  // Oldest first: the first page starts with the first ticket sent.
  expect(seen[0]![0]).toBe(labels[0]);
  expect(seenWhole).toEqual(new Set(labels));
  if (pages > 1) await expect(rush.pager).toContainText(`${pages}/${pages} · last page`);
});

test('60 open tickets on a TV, a tablet and a portrait tablet: all reachable by page, all day stays on screen', async ({
  server,
  setup,
  board,
}) => {
  test.setTimeout(180_000);
  const waiter = await setup.device('waiter', 'Rush tablet');
  const first = await sendRush(waiter, 30);
  await board.open(server.baseUrl);
  const rush = new KitchenRush(board.page);
  for (const count of [30, 60]) {
    if (count === 60) await sendRush(waiter, 30, 31);
    await expect(rush.tickets).toHaveCount(count);
    for (const size of sizes) {
      await board.page.setViewportSize({ width: size.width, height: size.height });
      const { seenWhole } = await rush.walkPages();
      expect(seenWhole.size, `${count} tickets at ${size.width}x${size.height}`).toBe(count);
      await expect(board.page.getByRole('complementary', { name: 'All day' })).toBeInViewport();
      await rush.firstPage();
      await screenshot(rush, `kitchen-${count}-tickets-${size.width}x${size.height}`);
    }
  }
  expect(first[0]).toBe('Table 1');
});
