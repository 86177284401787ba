import type { Locator, Page } from '@playwright/test';

export class Cart {
  readonly panel: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByRole('complementary', { name: 'Cart' });
  }

  async send(): Promise<void> {
    await this.panel.getByRole('button', { name: 'Send to kitchen' }).click();
  }
}
