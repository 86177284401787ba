import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.js';

// Waiters bring their own phones: the narrowest common one (360 px) and the widest (430 px).
// Every waiter screen must fit its width: nothing to scroll sideways, every button reachable.
for (const [width, height] of [
  [360, 740],
  [430, 932],
] as const) {
  test.describe(`on a ${width}×${height} phone`, () => {
    test.use({ viewport: { width, height }, hasTouch: true, isMobile: true });

    test('every waiter screen fits the width, with a busy table and a takeaway', async ({
      waiter: app,
      board,
      server,
    }) => {
      const page = app.page;
      // The kitchen's board is a tablet on the pass, not a phone.
      await board.page.setViewportSize({ width: 1280, height: 800 });
      await board.open(server.baseUrl);
      const fits = async (screen: string) => {
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(wide, `${screen} is ${wide} px wide`).toBeLessThanOrEqual(width);
        if (process.env.SCREENSHOT_DIR) {
          await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/waiter-${screen}-${width}.png` });
        }
      };
      const sheetFits = async (page: Page, dish: string) => {
        const sheet = page.getByRole('dialog', { name: dish });
        await expect(sheet.getByRole('button', { name: /^Add \d+ · / })).toBeInViewport();
        await expect(sheet.getByRole('button', { name: 'Close' })).toBeInViewport();
      };

      await fits('tables');
      await app.order(12, [
        ['Pizza', 'Margherita', { size: 'Large', toppings: ['Pepperoni'], note: 'well done, cut in eight slices' }],
        ['Burgers', 'Burger', { note: 'no pickles, sauce on the side' }],
        ['Drinks', 'Cola'],
      ]);
      await board.bumpTicket(12);
      await board.bumpTicket(12);
      await fits('table');

      await app.table.addItems();
      await expect(app.menu.heading(12)).toBeVisible();
      await fits('menu');
      await app.menu.category('Pizza');
      await app.menu.dish('Margherita').tap();
      await sheetFits(page, 'Margherita');
      await fits('dish-sheet');
      await page
        .getByRole('dialog', { name: 'Margherita' })
        .getByRole('button', { name: /^Add 1 · / })
        .tap();
      await app.menu.category('Drinks');
      await app.menu.dish('Cola').tap();
      await app.menu.dish('Cola').tap();
      await fits('menu-with-cart');
      // The cart is a bar under the dishes; its lines open with one tap, steppers and prices on screen.
      const cart = app.menu.cart.panel;
      await cart.getByRole('button', { name: /^Cart · 3 items/ }).tap();
      await expect(cart.getByRole('button', { name: 'One more Cola' })).toBeInViewport();
      await expect(cart.getByText('€7.00')).toBeInViewport();
      await fits('cart-open');

      await app.allTables();
      await fits('tables-busy');
      await app.tables.newTakeaway();
      await expect(app.customer.form).toBeVisible();
      await fits('customer');
      await app.customer.fill({
        type: 'Delivery',
        name: 'Maximilian Oberhuber-Stein',
        address: 'Lange Gasse 117, Hinterhaus',
        phone: '+43 1 234 56 78',
      });
      await app.customer.submit();
      await app.menu.add('Drinks', 'Cola');
      await app.menu.cart.send();
      await expect(app.table.heading('Delivery · Maximilian Oberhuber-Stein')).toBeVisible();
      await fits('takeaway-order');

      const outbox = await app.badge.openOutbox();
      await fits('outbox');
      await outbox.close();
    });
  });
}
