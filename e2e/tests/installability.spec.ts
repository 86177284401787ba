import { chromium } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '../support/fixtures.js';
import { WaiterApp } from '../support/pages.js';

test('Chromium can install the app: no installability errors, a valid manifest, an active service worker', async ({
  server,
  launchOptions,
}) => {
  // Chromium never offers to install from an incognito profile (Playwright's usual
  // contexts): use a real profile, as on a tablet.
  const profile = await mkdtemp(path.join(os.tmpdir(), 'chit-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, { ...launchOptions });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const app = new WaiterApp(page, server.baseUrl);
    await app.goto('/');
    await expect(app.pairing.form).toBeVisible();
    await app.waitUntilReadyOffline();
    // The second visit is served by the service worker.
    await page.reload();
    await expect(app.pairing.form).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server.baseUrl}/sw.js`);

    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as {
      url: string;
      errors: { message: string }[];
      data?: string;
    };
    expect(manifest.url).toBe(`${server.baseUrl}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data ?? '{}')).toMatchObject({
      name: 'Chit — restaurant orders',
      display: 'standalone',
    });

    await expect.poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});
