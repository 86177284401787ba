import { expect, type Locator, type Page } from '@playwright/test';
import type { Order, OrderItem } from '@chit/shared';
import type { DeviceApi } from '../api.js';
import { escape, labelOf, type Place } from './place.js';

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
 * "Table 12"; each open item has "<state>: bump <dish>" ("Queued: bump Margherita"), the
 * ticket "Bump ticket"; an item voided
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

  /** The cook taps the dish's state ("Queued: bump <dish>"): queued → cooking → ready. */
  async bump(table: Place, dish: string): Promise<void> {
    if (this.opened) {
      await this.ticket(table)
        .getByRole('button', {
          name: new RegExp(`^(Queued|Cooking): bump ${escape(dish)}$`),
        })
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
