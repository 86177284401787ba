import { randomUUID } from 'node:crypto';
import { expect, test } from '../support/fixtures.js';

declare global {
  interface Window {
    /** The notes the page's Web Audio oscillators started, in order (see the init script). */
    chimeNotes?: number[];
    /** Set once a Web Audio context of the page runs: a tap has let the page make sound. */
    soundRunning?: boolean;
  }
}

test('a waiter turns the ready chime on; the tablet keeps it, and chimes when food turns ready', async ({
  waiter,
  page,
  setup,
  kitchenApi,
}) => {
  // Every oscillator the app starts is noted: headless Chromium has no speaker to listen to.
  await page.addInitScript(() => {
    window.chimeNotes = [];
    // Taken as a plain function (Reflect.get), and called on each oscillator it is given.
    const start = Reflect.get(OscillatorNode.prototype, 'start');
    OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
      window.chimeNotes!.push(this.frequency.value);
      start.call(this, when);
    };
    const resume = Reflect.get(AudioContext.prototype, 'resume');
    AudioContext.prototype.resume = async function (this: AudioContext) {
      await resume.call(this);
      if (this.state === 'running') window.soundRunning = true;
    };
  });
  const staffButton = page.getByRole('button', { name: 'Staff: Ana. Change name or ready alerts' });
  const dialog = page.getByRole('dialog', { name: 'Who is using this tablet?' });
  const vibrate = dialog.getByRole('checkbox', { name: 'Vibrate (phones)' });
  const chime = dialog.getByRole('checkbox', { name: 'Play a chime' });

  await staffButton.click();
  await expect(vibrate).toBeChecked();
  await expect(chime).not.toBeChecked();
  await chime.check();
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) {
    await page.screenshot({ path: `${dir}/ready-alerts-1280x800.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${dir}/ready-alerts-390x844.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  // Kept on the tablet: a reload (the app opened again) still has it.
  await waiter.page.reload();
  await expect(waiter.tables.heading).toBeVisible();
  await staffButton.click();
  await expect(chime).toBeChecked();
  await expect(vibrate).toBeChecked();
  // Cancel keeps what was saved.
  await vibrate.uncheck();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await staffButton.click();
  await expect(vibrate).toBeChecked();
  // Those taps were also what lets the page make sound again after the reload.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect.poll(() => page.evaluate(() => window.soundRunning)).toBe(true);

  // Ana's order for table 12, sent from the bar's tablet; the kitchen cooks it and it is ready.
  const bar = await setup.device('waiter', 'Bar tablet');
  const [table, cola] = await Promise.all([bar.table(12), bar.menuItemId('Cola')]);
  const itemId = randomUUID();
  const order = {
    id: randomUUID(),
    tableId: table.id,
    staffName: 'Ana',
    items: [{ id: itemId, menuItemId: cola, quantity: 1 }],
  };
  expect((await bar.write('POST', '/api/orders', order)).status).toBe(201);
  for (const status of ['cooking', 'ready']) {
    expect((await kitchenApi.write('PATCH', `/api/tables/${table.id}/items/${itemId}`, { status })).status).toBe(200);
  }
  await expect(page.getByRole('banner').getByRole('link', { name: '1 dish ready to serve: T12' })).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.chimeNotes)).toEqual([784, 1047, 1319]);
});
