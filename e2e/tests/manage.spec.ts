import { randomUUID } from 'node:crypto';
import { formatCents, type MenuResponse } from '@chit/shared';
import { seriousViolations } from '../support/axe.js';
import { expect, test } from '../support/fixtures.js';

test('a manager pairs the console, adds a dish, 86es it, hands out a waiter code and reads today’s total', async ({
  page,
  server,
  setup,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${server.baseUrl}/manage`);
  const pairing = page.getByRole('form', { name: 'Pair the manager console' });
  await pairing.getByRole('textbox', { name: 'Pairing code' }).fill(await setup.pairingCode('manager'));
  await pairing.getByRole('textbox', { name: 'Tablet name' }).fill('Office');
  await pairing.getByRole('textbox', { name: 'Your name' }).fill('Mia');
  await pairing.getByRole('button', { name: 'Pair tablet' }).click();

  // Menu: add a dish to Pizza.
  await expect(page.getByRole('heading', { name: 'Menu', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add item to Pizza' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add item' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Calzone');
  await dialog.getByRole('textbox', { name: 'Price (€)' }).fill('11.50');
  await dialog.getByRole('textbox', { name: 'Prep time (minutes)' }).fill('15');
  await dialog.getByRole('textbox', { name: 'Allergens (comma separated)' }).fill('gluten, milk');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const available = page.getByRole('switch', { name: 'Calzone available' });
  await expect(available).toBeChecked();
  expect(await seriousViolations(page)).toEqual([]);

  // 86 it: the server has it unavailable.
  await available.uncheck();
  await expect(available).not.toBeChecked();
  await expect
    .poll(async () => (await setup.get<MenuResponse>('/api/menu')).items.find((i) => i.name === 'Calzone')?.available)
    .toBe(false);

  // Devices: a waiter pairing code, as code and QR code.
  await page.getByRole('link', { name: 'Devices' }).click();
  await expect(page.getByRole('heading', { name: 'Devices', level: 1 })).toBeVisible();
  await expect(page.getByRole('row', { name: /Office \(this device\)/ })).toBeVisible();
  await page.getByRole('combobox', { name: 'Role' }).selectOption('waiter');
  await page.getByRole('button', { name: 'Create pairing code' }).click();
  await expect(page.getByRole('img', { name: 'QR code to pair a waiter device' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText(/Waiter pairing code: [A-Z0-9]{4}-?[A-Z0-9]{4}/);
  // It is listed among the open codes, and can be cancelled there: then it pairs nothing.
  const openCodes = page.getByRole('region', { name: 'Open pairing codes' });
  const codeRow = openCodes.getByRole('row', { name: /Waiter .* Office/ });
  await expect(codeRow).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  if (process.env.SCREENSHOT_DIR) {
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/devices-1280x800.png`, fullPage: true });
  }
  const shown = (await page.getByRole('status').textContent())!.match(/[A-Z0-9]{4}-?[A-Z0-9]{4}/)![0];
  await codeRow.getByRole('button', { name: /^Cancel the waiter code/ }).click();
  await expect(codeRow).toBeHidden();
  await expect(page.getByRole('img', { name: 'QR code to pair a waiter device' })).toBeHidden();
  const stranger = await fetch(`${server.baseUrl}/api/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: shown, deviceName: 'Stranger' }),
  });
  expect(stranger.status).toBe(400);

  // A waiter orders at table 12; today's report has the order and its total.
  const waiter = await setup.device('waiter', 'Tablet A');
  const menu = await waiter.get<MenuResponse>('/api/menu');
  const burger = menu.items.find((i) => i.name === 'Burger')!;
  const table = await waiter.table(12);
  const sent = await waiter.write('POST', '/api/orders', {
    id: randomUUID(),
    tableId: table.id,
    staffName: 'Ana',
    items: [{ id: randomUUID(), menuItemId: burger.id, quantity: 2 }],
  });
  expect(sent.status).toBe(201);
  await page.getByRole('link', { name: 'Today' }).click();
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  const order = page.getByRole('article', { name: /^Table 12,/ });
  await expect(order).toContainText('2 × Burger');
  await expect(order).toContainText(formatCents(2 * burger.priceCents));
  await expect(page.getByRole('row', { name: /Table 12/ })).toContainText(formatCents(2 * burger.priceCents));
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('link', { name: 'Tables', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Tables', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove table 12' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('a waiter tablet opening /manage is told it needs a manager device', async ({ waiter }) => {
  await waiter.goto('/manage');
  await expect(waiter.page.getByRole('heading', { name: 'The manager console needs a manager device' })).toBeVisible();
});
