import { expect, type Locator, type Page } from '@playwright/test';
import { Outbox } from './outbox.js';

/** The badge in the banner, and the outbox panel it opens. */
export class SyncBadge {
  readonly button: Locator;

  constructor(readonly page: Page) {
    this.button = page.getByRole('button', { name: /^Sync status: / });
  }

  /**
   * E.g. `expectState('no network', 3)`: the badge's accessible name, as a screen reader
   * says it. `online` is either of the states in which the server answers (live, or online
   * while the event stream reconnects).
   */
  async expectState(
    connection: 'online' | 'live' | 'no network' | 'server unreachable',
    waiting: number,
    refused = 0,
    options: { timeout?: number } = {},
  ): Promise<void> {
    const tail = refused > 0 ? `, ${refused} refused` : '';
    const state = connection === 'online' ? '(live|online)' : connection;
    await expect(this.button).toHaveAccessibleName(
      new RegExp(`^Sync status: ${state}, ${waiting} waiting${tail}\\. Open the outbox\\.$`),
      options,
    );
  }

  /** Writes waiting, whatever the badge thinks of the connection. */
  async expectWaiting(waiting: number, options: { timeout?: number } = {}): Promise<void> {
    await expect(this.button).toHaveAccessibleName(
      new RegExp(`^Sync status: [a-z ]+, ${waiting} waiting\\. Open the outbox\\.$`),
      options,
    );
  }

  async openOutbox(): Promise<Outbox> {
    await this.button.click();
    const outbox = new Outbox(this.page);
    await expect(outbox.dialog).toBeVisible();
    return outbox;
  }
}
