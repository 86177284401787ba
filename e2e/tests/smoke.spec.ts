import { expect, test } from '@playwright/test';
import { SetupApi } from '../support/api.js';
import { ChitServer } from '../support/server.js';

let server: ChitServer;

test.beforeAll(async () => {
  server = await ChitServer.start();
});

test.afterAll(async () => {
  await server.stop();
});

test('the built app is served and the first manager can be paired', async ({ page }) => {
  await page.goto(server.baseUrl);
  await expect(page.getByRole('heading', { name: 'Chit' })).toBeVisible();
  expect(server.firstManagerCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const api = await SetupApi.withFirstManager(server.baseUrl, server.firstManagerCode!);
  expect(await api.pairingCode('waiter')).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
});
