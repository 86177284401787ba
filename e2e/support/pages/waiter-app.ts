import { expect, type Locator, type Page } from '@playwright/test';
import type { CustomerDetails } from './customer-form.js';
import { CustomerForm } from './customer-form.js';
import type { DishChoice } from './item-sheet.js';
import { MenuScreen } from './menu-screen.js';
import { PairingScreen } from './pairing-screen.js';
import { SyncBadge } from './sync-badge.js';
import { TableScreen } from './table-screen.js';
import { TablesScreen } from './tables-screen.js';

/** The waiter's app on one tablet (one browser context). */
export class WaiterApp {
  readonly pairing: PairingScreen;
  readonly tables: TablesScreen;
  readonly table: TableScreen;
  readonly menu: MenuScreen;
  readonly customer: CustomerForm;
  readonly badge: SyncBadge;

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    this.pairing = new PairingScreen(page);
    this.tables = new TablesScreen(page);
    this.table = new TableScreen(page);
    this.menu = new MenuScreen(page);
    this.customer = new CustomerForm(page);
    this.badge = new SyncBadge(page);
  }

  async goto(path = '/'): Promise<void> {
    await this.page.goto(new URL(path, this.baseUrl).href);
  }

  /** The banner's home link. */
  async allTables(): Promise<void> {
    await this.page.getByRole('link', { name: 'Chit, all tables' }).click();
    await expect(this.tables.heading).toBeVisible();
  }

  /** Goes to the table; an idle table opens on the menu. Returns where it landed. */
  async goToTable(number: number): Promise<'table' | 'menu'> {
    if (!(await this.tables.heading.isVisible())) await this.allTables();
    await this.tables.goTo(number);
    await expect(this.table.heading(number).or(this.menu.heading(number))).toBeVisible();
    return (await this.menu.heading(number).isVisible()) ? 'menu' : 'table';
  }

  /** The table's own screen (from the menu an idle table opens on, its back link). */
  async openTable(number: number): Promise<void> {
    if ((await this.goToTable(number)) === 'menu') {
      await this.page.getByRole('link', { name: `← Table ${number}` }).click();
    }
    await expect(this.table.heading(number)).toBeVisible();
  }

  /**
   * Opens the table, adds the dishes, taps "Send to kitchen" and lands back on the table.
   * `dishes`: [category, dish, choices].
   */
  async order(tableNumber: number, dishes: [string, string, DishChoice?][]): Promise<void> {
    if ((await this.goToTable(tableNumber)) === 'table') await this.table.addItems();
    await expect(this.menu.heading(tableNumber)).toBeVisible();
    for (const [category, dish, choice] of dishes) await this.menu.add(category, dish, choice);
    await this.sendCart(tableNumber);
  }

  /** On the table's menu: taps "Send to kitchen" and lands back on the table. */
  async sendCart(tableNumber: number): Promise<void> {
    await this.menu.cart.send();
    await expect(this.table.heading(tableNumber)).toBeVisible();
  }

  /**
   * "New takeaway / delivery" from the tables, the customer, the dishes, "Send to kitchen",
   * and lands on the order's screen. Returns the order's label, e.g. "Takeaway · Mia".
   */
  async takeaway(customer: CustomerDetails, dishes: [string, string, DishChoice?][]): Promise<string> {
    const label = `${customer.type} · ${customer.name}`;
    if (!(await this.tables.heading.isVisible())) await this.allTables();
    await this.tables.newTakeaway();
    await expect(this.customer.form).toBeVisible();
    await this.customer.fill(customer);
    await this.customer.submit();
    await expect(this.menu.heading(label)).toBeVisible();
    for (const [category, dish, choice] of dishes) await this.menu.add(category, dish, choice);
    await this.menu.cart.send();
    await expect(this.table.heading(label)).toBeVisible();
    return label;
  }

  /** "Update available" and its button, shown when a new version of the app waits. */
  get updateBanner(): Locator {
    return this.page.getByRole('status').filter({ hasText: 'Update available' });
  }

  /**
   * The service worker has installed the app shell: from now on the app starts with no
   * network. (A tablet gets there on its first visit; the test waits for it.)
   */
  async waitUntilReadyOffline(): Promise<void> {
    await expect
      .poll(() =>
        this.page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return registration?.active?.state ?? 'none';
        }),
      )
      .toBe('activated');
  }
}
