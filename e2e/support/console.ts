import { expect, type Locator, type Page } from '@playwright/test';

/** The manager console at `/manage`, paired through its own pairing screen. */
export class ManagerConsole {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** Opens the console and pairs it with a manager code, as the first manager does once. */
  async pair(code: string, tabletName = 'Office', staffName = 'Mia'): Promise<void> {
    await this.page.goto(`${this.baseUrl}/manage`);
    const form = this.page.getByRole('form', { name: 'Pair the manager console' });
    await form.getByRole('textbox', { name: 'Pairing code' }).fill(code);
    await form.getByRole('textbox', { name: 'Tablet name' }).fill(tabletName);
    await form.getByRole('textbox', { name: 'Your name' }).fill(staffName);
    await form.getByRole('button', { name: 'Pair tablet' }).click();
    await expect(this.page.getByRole('heading', { name: 'Menu', level: 1 })).toBeVisible();
  }

  /** Goes to a section by its link in the console's navigation ("Menu", "Devices", "Today"…). */
  async open(section: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: section }).click();
    await expect(
      this.page.getByRole('heading', { name: section === 'Today' ? /^Today/ : section, level: 1 }),
    ).toBeVisible();
  }

  /** The menu editor's category headings, in the order the console shows them. */
  async categoryNames(): Promise<string[]> {
    return this.page.getByRole('heading', { level: 2 }).allTextContents();
  }

  /** A category's card in the menu editor. */
  category(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  /** The ↑ or ↓ of a category or a dish. */
  moveButton(name: string, direction: 'up' | 'down'): Locator {
    return this.page.getByRole('button', { name: `Move ${name} ${direction}`, exact: true });
  }

  /** The dish editor for a dish ("Edit X"). */
  async editDish(name: string): Promise<Locator> {
    await this.page.getByRole('button', { name: `Edit ${name}`, exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: `Edit ${name}` });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** A section of today's report ("Sales per waiter", "Sales per hour", …) by its heading. */
  reportSection(title: string): Locator {
    return this.page.getByRole('region', { name: title, exact: true });
  }

  /** A device's row in "Paired devices". */
  deviceRow(name: string): Locator {
    return this.page.getByRole('region', { name: 'Paired devices' }).getByRole('row', { name: new RegExp(`^${name}`) });
  }

  /** One cell of a device's row in "Paired devices", by its column's heading ("Storage", "App version"). */
  async deviceCell(name: string, column: string): Promise<Locator> {
    const region = this.page.getByRole('region', { name: 'Paired devices' });
    // The list loads after the screen's heading shows.
    await expect(region.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
    const headings = await region.getByRole('columnheader').allTextContents();
    // The first column is each row's header; the cells are the rest.
    return this.deviceRow(name)
      .getByRole('cell')
      .nth(headings.indexOf(column) - 1);
  }

  /** Full-page screenshots at a tablet's and a phone's size, when SCREENSHOT_DIR is set. */
  async screenshots(name: string): Promise<void> {
    const dir = process.env.SCREENSHOT_DIR;
    if (!dir) return;
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      await this.page.setViewportSize({ width, height });
      await this.page.screenshot({ path: `${dir}/${name}-${width}x${height}.png`, fullPage: true });
    }
    await this.page.setViewportSize({ width: 1280, height: 800 });
  }
}
