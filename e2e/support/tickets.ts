import { randomUUID } from 'node:crypto';
import { expect, type Locator } from '@playwright/test';
import type { DeviceApi } from './api.js';
import type { KitchenBoard, TableScreen } from './pages.js';

// Ticket numbers and allergy flags as a cook and a waiter see them (issue 13).

/** Sends `count` orders of one cola to `table` from another waiter's tablet, straight to the API. */
export async function placeOrders(api: DeviceApi, table: number, count: number): Promise<number[]> {
  const [tableRow, cola] = await Promise.all([api.table(table), api.menuItemId('Cola')]);
  const numbers: number[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await api.write('POST', '/api/orders', {
      id: randomUUID(),
      tableId: tableRow.id,
      staffName: 'Bo',
      items: [{ id: randomUUID(), menuItemId: cola, quantity: 1 }],
    });
    if (answer.status !== 201) throw new Error(`order: ${answer.status} ${JSON.stringify(answer.body)}`);
    numbers.push((answer.body as { order: { ticketNumber: number } }).order.ticketNumber);
  }
  return numbers;
}

/** The ticket number ("#11") in the head of the board's tickets for `table`. */
export function boardTicketNumber(board: KitchenBoard, table: number): Locator {
  return board
    .ticket(table)
    .locator('header')
    .getByText(/^#\d+$|^#—$/);
}

/** The ticket number, or "not sent yet", in the heading of each order on the waiter's table screen. */
export function orderNumbers(table: TableScreen): Locator {
  return table.orders.getByRole('heading', { level: 2 });
}

/** The allergy banner of the board's ticket for `table`. */
export function allergyBanner(board: KitchenBoard, table: number): Locator {
  return board.ticket(table).getByRole('region', { name: 'Allergy' });
}

/** Checks that the board's ticket for `table` has an allergy banner saying ALLERGY and `text`; returns the banner. */
export async function expectAllergyBanner(board: KitchenBoard, table: number, text: string): Promise<Locator> {
  const banner = allergyBanner(board, table);
  await expect(banner).toContainText('ALLERGY');
  await expect(banner).toContainText(text);
  return banner;
}

/** In the waiter's cart: "Allergy…", then tick these allergens and write the note. */
export async function flagAllergy(
  where: Locator,
  allergens: string[],
  note: string,
  of: 'whole order' | 'this dish' = 'whole order',
): Promise<void> {
  await where.getByRole('button', { name: 'Allergy…' }).click();
  const fields = where.getByRole('group', { name: `Allergy (${of})` });
  for (const allergen of allergens) await fields.getByRole('checkbox', { name: allergen, exact: true }).check();
  await fields.getByRole('textbox', { name: 'Allergy note' }).fill(note);
}
