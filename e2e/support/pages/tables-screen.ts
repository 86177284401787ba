import type { Locator, Page } from '@playwright/test';
import { escape } from './place.js';

export class TablesScreen {
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Tables', exact: true });
  }

  /** The table's tile; its name says what is open, ready, not synced, refused. */
  tile(number: number): Locator {
    return this.page.getByRole('link', { name: new RegExp(`^Table ${number}(,|:)`) });
  }

  /**
   * A takeaway or delivery order in "Takeaway & delivery", by its label ("Takeaway · Mia");
   * its name says where it is ("Takeaway · Mia: Ready").
   */
  takeaway(label: string): Locator {
    return this.page
      .getByRole('region', { name: 'Takeaway & delivery' })
      .getByRole('link', { name: new RegExp(`^${escape(label)}:`) });
  }

  /** The line at the top saying what food is ready ("2 items ready to serve · 1 takeaway or delivery order ready"). */
  get readyNews(): Locator {
    return this.page.locator('.tables__head').getByRole('status');
  }

  async newTakeaway(): Promise<void> {
    await this.page.getByRole('link', { name: 'New takeaway / delivery' }).click();
  }

  /** Types the number in "Go to a table", as a waiter does with 100 tables. */
  async goTo(number: number): Promise<void> {
    const search = this.page.getByRole('search', { name: 'Go to a table' });
    await search.getByRole('textbox', { name: 'Table number' }).fill(String(number));
    await search.getByRole('button', { name: 'Go' }).click();
  }
}
