import { readFile } from 'node:fs/promises';
import { ManagerConsole } from '../support/console.js';
import { expect, test } from '../support/fixtures.js';

test('today’s report shows sales per waiter and per hour, follows new orders live, exports CSV and prints', async ({
  server,
  setup,
  waiter,
  browser,
}) => {
  // The console in its own context: the `waiter` fixture's page is the waiter's tablet.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const console = new ManagerConsole(await context.newPage(), server.baseUrl);
  await console.pair(await setup.pairingCode('manager'));
  await console.open('Today');
  const byWaiter = console.reportSection('Sales per waiter');
  await expect(byWaiter).toContainText('No orders yet.');
  await expect(byWaiter).toContainText('no paid or unpaid state');

  // Ana orders at table 12 on her tablet; the console shows it without anyone tapping Refresh.
  await waiter.order(12, [
    ['Sides', 'Fries'],
    ['Drinks', 'Cola'],
  ]);
  const ana = byWaiter.getByRole('row', { name: /^Ana Terrace tablet/ });
  await expect(ana).toBeVisible({ timeout: 20_000 });
  await expect(ana).toContainText('€8.00');
  await expect(console.reportSection('Sales per hour').getByRole('row')).toHaveCount(2);
  await expect(console.reportSection('Sales per hour')).toContainText('€8.00');
  await console.screenshots('today');

  // CSV export: a file a spreadsheet opens, with the waiter's row.
  const [download] = await Promise.all([
    console.page.waitForEvent('download'),
    console.page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^chit-report-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('Section,Name,Orders,Items,Sales');
  expect(csv).toContain('Waiter,Ana on Terrace tablet,1,2,8.00');

  // Print view: the report without the console's bar and buttons.
  await console.page.emulateMedia({ media: 'print' });
  await expect(console.page.getByRole('navigation', { name: 'Console' })).toBeHidden();
  await expect(console.page.getByRole('button', { name: 'Export CSV' })).toBeHidden();
  await expect(byWaiter).toBeVisible();
  if (process.env.SCREENSHOT_DIR) {
    await console.page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/today-print-1280x800.png`, fullPage: true });
  }
  await context.close();
});
