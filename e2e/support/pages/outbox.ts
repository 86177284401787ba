import { expect, type Locator, type Page } from '@playwright/test';

export class Outbox {
  readonly dialog: Locator;
  readonly entries: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Outbox' });
    this.entries = this.dialog.getByRole('list', { name: 'Writes waiting to be sent' }).locator('> li');
  }

  entry(text: string | RegExp): Locator {
    return this.entries.filter({ hasText: text });
  }

  async sendNow(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Send now' }).click();
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close' }).click();
    await expect(this.dialog).toBeHidden();
  }
}
