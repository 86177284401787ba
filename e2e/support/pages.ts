import { expect, type Locator, type Page } from '@playwright/test';
import type { Order, OrderItem } from '@chit/shared';
import type { DeviceApi } from './api.js';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What the kitchen board calls a place: "Table 12", or the label of a takeaway or delivery order as is. */
function labelOf(place: Place): string {
  return typeof place === 'number' ? `Table ${place}` : place;
}

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

/** A place orders are listed: a table, or a takeaway or delivery order (the same order cards). */
export type Place = number | string;

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

  async voidItem(name: string, expectedWarning?: string | RegExp): Promise<void> {
    await this.item(name).getByRole('button', { name: 'Void' }).click();
    const dialog = this.page.getByRole('alertdialog', { name: new RegExp(`^Void \\d+ × ${escape(name)}\\?`) });
    if (expectedWarning) await expect(dialog).toContainText(expectedWarning);
    await dialog.getByRole('button', { name: 'Void item' }).click();
    await expect(dialog).toBeHidden();
  }
}

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

export class Cart {
  readonly panel: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByRole('complementary', { name: 'Cart' });
  }

  async send(): Promise<void> {
    await this.panel.getByRole('button', { name: 'Send to kitchen' }).click();
  }
}

export class MenuScreen {
  readonly cart: Cart;

  constructor(readonly page: Page) {
    this.cart = new Cart(page);
  }

  heading(place: Place): Locator {
    return this.page.getByRole('heading', {
      name: typeof place === 'number' ? `Add to table ${place}` : `Add to ${place}`,
    });
  }

  dish(name: string): Locator {
    return this.page
      .getByRole('list', { name: 'Dishes' })
      .getByRole('button', { name: new RegExp(`^${escape(name)} (?!with a note$)`) });
  }

  async category(name: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Categories' }).getByRole('button', { name }).click();
  }

  /** The "with a note" button of a dish that has nothing to choose (its tile adds it at once). */
  noteButton(dish: string): Locator {
    return this.page
      .getByRole('list', { name: 'Dishes' })
      .getByRole('button', { name: `${dish} with a note`, exact: true });
  }

  /** The dish's sheet: a tap on the dish, or on its "Note…" when a tap adds it straight away. */
  async open(dish: string): Promise<ItemSheet> {
    await expect(this.dish(dish)).toBeVisible();
    if (await this.noteButton(dish).isVisible()) await this.noteButton(dish).click();
    else await this.dish(dish).click();
    const sheet = new ItemSheet(this.page, dish);
    await expect(sheet.dialog).toBeVisible();
    return sheet;
  }

  /** Category, dish, choices, Add: one line in the cart (one tap for a dish with nothing to choose). */
  async add(category: string, dish: string, choice: DishChoice = {}): Promise<void> {
    await this.category(category);
    // The tile and its "Note…" render together: once the tile shows, the button's absence is an answer.
    await expect(this.dish(dish)).toBeVisible();
    const oneTap = await this.noteButton(dish).isVisible();
    if (oneTap && choice.note === undefined && choice.size === undefined && !choice.toppings?.length) {
      await this.dish(dish).click();
      await expect(this.page.getByRole('status').filter({ hasText: `Added 1 × ${dish}` })).toBeAttached();
      return;
    }
    const sheet = await this.open(dish);
    await sheet.choose(choice);
    await sheet.add();
  }
}

export interface CustomerDetails {
  type: 'Takeaway' | 'Delivery';
  name: string;
  address?: string;
  phone?: string;
}

/** "New takeaway or delivery": who the order is for, before its dishes. */
export class CustomerForm {
  readonly form: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: /^(New takeaway or delivery|Who is it for\?)$/ });
  }

  field(label: 'Customer name' | 'Delivery address' | 'Phone'): Locator {
    return this.form.getByRole('textbox', { name: label });
  }

  async fill({ type, name, address, phone }: CustomerDetails): Promise<void> {
    await this.form.getByRole('radio', { name: type }).check();
    await this.field('Customer name').fill(name);
    if (address !== undefined) await this.field('Delivery address').fill(address);
    if (phone !== undefined) await this.field('Phone').fill(phone);
  }

  async submit(): Promise<void> {
    await this.form.getByRole('button', { name: 'Choose dishes' }).click();
  }

  /** The field is marked invalid and says why. */
  async expectError(label: 'Customer name' | 'Delivery address' | 'Phone', message: string): Promise<void> {
    await expect(this.field(label)).toHaveAttribute('aria-invalid', 'true');
    await expect(this.field(label)).toHaveAccessibleDescription(message);
  }
}

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

export interface TicketItem {
  name: string;
  status: OrderItem['status'];
  quantity: number;
  modifiers: string[];
  note: string;
  /** Voided after cooking started: the board strikes it through and flags it. */
  flagged: boolean;
}

export interface Ticket {
  orderId: string;
  /** 0 for takeaway and delivery. */
  table: number;
  /** What the board calls it: "Table 12", "Takeaway · Mia", "Delivery · Jon". */
  label: string;
  items: TicketItem[];
}

/**
 * The kitchen board at /kitchen, as a cook sees it: a ticket is an `article` named like
 * "Table 12"; each open item has "Bump <dish>", the ticket "Bump ticket"; an item voided
 * after cooking started is struck through and flagged "VOIDED AFTER COOKING STARTED".
 *
 * `open()` pairs the board's screen (a second browser context) and waits for it to be live;
 * from then on tickets, bumps and flags are read and tapped on the board itself.
 * `tickets()` reads the kitchen's working set from the server (what the board loads on a
 * reload), for exact counts "in the database".
 */
export class KitchenBoard {
  private opened = false;

  constructor(
    /** A second browser context: the screen on the kitchen's wall. */
    readonly page: Page,
    readonly api: DeviceApi,
    private readonly pairingCode: () => Promise<string>,
  ) {}

  /** The tickets of a table (two tablets may each have sent one), or of a takeaway or delivery order by its label. */
  ticket(table: Place): Locator {
    return this.page.getByRole('article', { name: labelOf(table), exact: true });
  }

  /** One dish's line on the table's tickets. */
  item(table: Place, dish: string): Locator {
    return this.ticket(table)
      .getByRole('listitem')
      .filter({ hasText: new RegExp(`\\d+ × ${dish}`) });
  }

  /** Pairs the board with a kitchen code through its own pairing screen and waits until it is live. */
  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/kitchen`);
    const form = this.page.getByRole('form', { name: 'Pair this kitchen board' });
    await form.getByRole('textbox', { name: 'Pairing code' }).fill(await this.pairingCode());
    await form.getByRole('textbox', { name: 'Tablet name' }).fill('Kitchen board');
    await form.getByRole('textbox', { name: 'Your name' }).fill('Cook');
    await form.getByRole('button', { name: 'Pair tablet' }).click();
    await expect(this.page.getByRole('heading', { name: 'Kitchen', level: 1 })).toBeVisible();
    await expect(this.page.getByRole('banner').getByRole('status')).toHaveText('Live');
    this.opened = true;
  }

  /** Every ticket the server has for the kitchen, oldest first. */
  async tickets(): Promise<Ticket[]> {
    const orders = await this.api.openOrders();
    const tables = await this.api.get<{ tables: { id: string; number: number }[] }>('/api/tables');
    const numberOf = new Map(tables.tables.map((t) => [t.id, t.number]));
    const typeName = { dine_in: 'Table', takeaway: 'Takeaway', delivery: 'Delivery' } as const;
    return orders.map((order: Order) => ({
      orderId: order.id,
      table: (order.tableId && numberOf.get(order.tableId)) || 0,
      label: order.customer
        ? `${typeName[order.type]} · ${order.customer.name}`
        : labelOf((order.tableId && numberOf.get(order.tableId)) || 0),
      items: order.items.map((item) => ({
        name: item.name,
        status: item.status,
        quantity: item.quantity,
        modifiers: item.modifiers.map((m) => m.name),
        note: item.note,
        flagged: item.status === 'voided' && item.cookingAt !== null,
      })),
    }));
  }

  async ticketsFor(table: Place): Promise<Ticket[]> {
    return (await this.tickets()).filter((t) => t.label === labelOf(table));
  }

  /** A ticket of the table shows these dishes, in this order, within `timeout` (on the board once it is open). */
  async expectTicket(table: Place, dishes: string[], options: { timeout?: number } = {}): Promise<void> {
    const timeout = options.timeout ?? 10_000;
    if (this.opened) {
      const inOrder = new RegExp(dishes.map((d) => `\\d+ × ${d}`).join('[\\s\\S]*'));
      await expect(this.ticket(table).filter({ hasText: inOrder })).toHaveCount(1, { timeout });
      return;
    }
    await expect
      .poll(async () => (await this.ticketsFor(table)).map((t) => t.items.map((i) => i.name)), {
        timeout,
        intervals: [50, 100, 100, 200],
      })
      .toContainEqual(dishes);
  }

  private async itemOnTicket(table: Place, dish: string): Promise<OrderItem> {
    const ticketIds = new Set((await this.ticketsFor(table)).map((t) => t.orderId));
    const orders = (await this.api.openOrders()).filter((o) => ticketIds.has(o.id));
    const item = orders.flatMap((o) => o.items).find((i) => i.name === dish && i.status !== 'voided');
    if (!item) throw new Error(`no ${dish} on the ticket of ${labelOf(table)}`);
    return item;
  }

  /** The cook taps "Bump <dish>": queued → cooking → ready. */
  async bump(table: Place, dish: string): Promise<void> {
    if (this.opened) {
      await this.ticket(table)
        .getByRole('button', { name: `Bump ${dish}` })
        .click();
      return;
    }
    const item = await this.itemOnTicket(table, dish);
    const next = item.status === 'queued' ? 'cooking' : item.status === 'cooking' ? 'ready' : null;
    if (!next) throw new Error(`${dish} is ${item.status}: nothing to bump`);
    const owner = item.tableId ? `tables/${item.tableId}` : `orders/${item.orderId}`;
    const answer = await this.api.write('PATCH', `/api/${owner}/items/${item.id}`, { status: next });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }

  /** "Bump ticket": every open item of the table's ticket one step on. */
  async bumpTicket(table: Place): Promise<void> {
    if (this.opened) {
      await this.ticket(table).getByRole('button', { name: 'Bump ticket' }).click();
      return;
    }
    const [ticket] = await this.ticketsFor(table);
    if (!ticket) throw new Error(`no ticket for ${labelOf(table)}`);
    for (const item of ticket.items) {
      if (item.status === 'queued' || item.status === 'cooking') await this.bump(table, item.name);
    }
  }

  /**
   * The dish is in this state: on the board's ticket while it is queued or cooking (ready
   * food leaves the board for its Ready view), and on the server in every case.
   */
  async expectStatus(table: Place, dish: string, status: OrderItem['status']): Promise<void> {
    if (this.opened && (status === 'queued' || status === 'cooking')) {
      await expect(this.item(table, dish)).toContainText(status === 'queued' ? 'Queued' : 'Cooking');
    }
    await expect
      .poll(async () => (await this.ticketsFor(table)).flatMap((t) => t.items).find((i) => i.name === dish)?.status)
      .toBe(status);
  }

  /** The item is struck through and flagged loudly (voided after cooking started). */
  async expectVoidFlagged(table: Place, dish: string): Promise<void> {
    if (this.opened) {
      const line = this.item(table, dish);
      await expect(line).toContainText('VOIDED AFTER COOKING STARTED');
      await expect(line.locator('s')).toContainText(dish);
    }
    await expect
      .poll(async () =>
        (await this.ticketsFor(table)).flatMap((t) => t.items).find((i) => i.name === dish && i.flagged),
      )
      .toMatchObject({ status: 'voided', flagged: true });
  }
}
