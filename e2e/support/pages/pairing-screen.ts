import type { Locator, Page } from '@playwright/test';

/** "Form to pair a tablet": the first screen of an unpaired tablet. */
export class PairingScreen {
  readonly form: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'Pair this tablet' });
  }

  async pair(code: string, tabletName: string, staffName: string): Promise<void> {
    await this.form.getByRole('textbox', { name: 'Pairing code' }).fill(code);
    await this.form.getByRole('textbox', { name: 'Tablet name' }).fill(tabletName);
    await this.form.getByRole('textbox', { name: 'Your name' }).fill(staffName);
    await this.form.getByRole('button', { name: 'Pair tablet' }).click();
  }
}
