import { expect, type Locator, type Page } from '@playwright/test';
import { Outbox } from './outbox.js';

/** What the badge says of the outbox: "All sent", "2 waiting, oldest 1 min", "1 refused, 2 waiting". */
function waitingPart(waiting: number, refused: number): string {
  if (refused > 0) return `${refused} refused, ${waiting} waiting`;
  return waiting > 0 ? `${waiting} waiting(, oldest [^,]+)?` : 'All sent';
}

/** The last part of its name: when it last got through, and what a tap does. */
const tail = ', (Synced \\d{1,2}:\\d{2}(\\s[AP]M)?|Never synced)\\. Open the outbox\\.$';

/** The badge in the banner, and the outbox panel it opens. */
export class SyncBadge {
  readonly button: Locator;

  constructor(readonly page: Page) {
    this.button = page.getByRole('button', { name: /\. Open the outbox\.$/ });
  }

  /**
   * E.g. `expectState('no network', 3)`: the badge's accessible name, as a screen reader
   * says it ("No network, 3 waiting, oldest 2 min, Synced 9:41 PM. Open the outbox."; with
   * nothing waiting, "All sent"). `online` is either of the states in which the server
   * answers (live, or online while the event stream reconnects).
   */
  async expectState(
    connection: 'online' | 'live' | 'no network' | 'server unreachable',
    waiting: number,
    refused = 0,
    options: { timeout?: number } = {},
  ): Promise<void> {
    const state = connection === 'online' ? '(Live|Online)' : connection[0]!.toUpperCase() + connection.slice(1);
    await expect(this.button).toHaveAccessibleName(
      new RegExp(`^${state}, ${waitingPart(waiting, refused)}${tail}`),
      options,
    );
  }

  /** Writes waiting, whatever the badge thinks of the connection. */
  async expectWaiting(waiting: number, options: { timeout?: number } = {}): Promise<void> {
    await expect(this.button).toHaveAccessibleName(
      new RegExp(`^(Live|Online|No network|Server unreachable), ${waitingPart(waiting, 0)}${tail}`),
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
