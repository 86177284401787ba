import { expect, type Locator, type Page } from '@playwright/test';
import { escape } from './place.js';

export interface DishChoice {
  /** A radio of a "choose 1" group, e.g. "Medium". */
  size?: string;
  /** Checkboxes, e.g. ["Pepperoni"]. */
  toppings?: string[];
  note?: string;
}

/** The dialog that opens on tapping a dish. */
export class ItemSheet {
  readonly dialog: Locator;

  constructor(
    readonly page: Page,
    dish: string,
  ) {
    this.dialog = page.getByRole('dialog', { name: dish });
  }

  async choose({ size, toppings = [], note }: DishChoice): Promise<void> {
    if (size) await this.dialog.getByRole('radio', { name: new RegExp(`^${escape(size)}\\b`) }).check();
    for (const topping of toppings) {
      await this.dialog.getByRole('checkbox', { name: new RegExp(`^${escape(topping)}\\b`) }).check();
    }
    if (note !== undefined) await this.dialog.getByRole('textbox', { name: 'Note for the kitchen' }).fill(note);
  }

  get addButton(): Locator {
    return this.dialog.getByRole('button', { name: /^Add \d+ · / });
  }

  async add(): Promise<void> {
    await this.addButton.click();
    await expect(this.dialog).toBeHidden();
  }
}
