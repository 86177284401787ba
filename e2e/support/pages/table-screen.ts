import { expect, type Locator, type Page } from '@playwright/test';
import { escape, type Place } from './place.js';

/** A table's screen (`heading(12)`), or a takeaway or delivery order's (`heading('Takeaway · Mia')`). */
export class TableScreen {
  constructor(readonly page: Page) {}

  heading(place: Place): Locator {
    return this.page.getByRole('heading', {
      level: 1,
      name: typeof place === 'number' ? new RegExp(`^Table ${place}\\b`) : place,
      exact: true,
    });
  }

  get orders(): Locator {
    return this.page.getByRole('region', { name: /^Order taken at / });
  }

  /** An item line, by dish name (exact: "Burger" is not "Veggie burger"). */
  item(name: string, within: Locator | Page = this.page): Locator {
    return within.getByRole('listitem').filter({ has: this.page.getByText(new RegExp(`^\\d+ × ${escape(name)}$`)) });
  }

  async addItems(): Promise<void> {
    await this.page.getByRole('link', { name: /^Add items/ }).click();
  }

  /** Opens the Change dialog of a dish and answers it. */
  async openChange(name: string): Promise<Locator> {
    await this.item(name).getByRole('button', { name: 'Change' }).click();
    const dialog = this.page.getByRole('dialog', { name: `Change ${name}` });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async voidItem(name: string, expectedWarning?: string | RegExp): Promise<void> {
    await this.item(name).getByRole('button', { name: 'Void' }).click();
    const dialog = this.page.getByRole('alertdialog', { name: new RegExp(`^Void \\d+ × ${escape(name)}\\?`) });
    if (expectedWarning) await expect(dialog).toContainText(expectedWarning);
    await dialog.getByRole('button', { name: 'Void item' }).click();
    await expect(dialog).toBeHidden();
  }
}
