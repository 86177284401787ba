import { randomUUID } from 'node:crypto';
import { expect, type Locator, type Page } from '@playwright/test';
import type { MenuResponse } from '@chit/shared';
import type { DeviceApi } from '../api.js';

/** A ticket on the board: its parts (one per column it spans), and which are on screen. */
interface TicketParts {
  name: string;
  inside: number[];
  parts: number;
}

/**
 * A dinner rush for the kitchen board: `count` orders sent straight to the API by a waiter
 * device, each for its own table (tables `from`, `from + 1`, …), with one to five dishes,
 * some with options and notes, so tickets have different heights as on a real night.
 * Returns the board's labels of the tickets, oldest first.
 */
export async function sendRush(waiter: DeviceApi, count: number, from = 1): Promise<string[]> {
  const menu = await waiter.get<MenuResponse>('/api/menu');
  const dish = (name: string) => menu.items.find((i) => i.name === name)!;
  const option = (dishName: string, optionName: string) =>
    dish(dishName)
      .modifierGroups.flatMap((g) => g.options)
      .find((o) => o.name === optionName)!.id;
  const lines = [
    { menuItemId: dish('Margherita').id, quantity: 2, modifierOptionIds: [option('Margherita', 'Large')] },
    {
      menuItemId: dish('Burger').id,
      quantity: 1,
      modifierOptionIds: [option('Burger', 'Medium rare')],
      note: 'no pickles',
    },
    { menuItemId: dish('Fries').id, quantity: 3 },
    {
      menuItemId: dish('Margherita').id,
      quantity: 1,
      modifierOptionIds: [
        option('Margherita', 'Small'),
        option('Margherita', 'Pepperoni'),
        option('Margherita', 'Mushroom'),
      ],
    },
    { menuItemId: dish('Veggie burger').id, quantity: 1, note: 'gluten-free bun if we have one' },
    { menuItemId: dish('Side salad').id, quantity: 2 },
    { menuItemId: dish('Onion rings').id, quantity: 1 },
  ];
  const labels: string[] = [];
  for (let n = 0; n < count; n++) {
    const table = await waiter.table(from + n);
    const size = 1 + ((n * 7) % 5);
    const items = Array.from({ length: size }, (_, i) => ({ id: randomUUID(), ...lines[(n + i * 3) % lines.length]! }));
    const answer = await waiter.write('POST', '/api/orders', {
      id: randomUUID(),
      tableId: table.id,
      staffName: 'Ana',
      items,
    });
    if (answer.status !== 201) throw new Error(`order ${n}: ${answer.status} ${JSON.stringify(answer.body)}`);
    labels.push(`Table ${from + n}`);
  }
  return labels;
}

/**
 * The board at rush volume, as a cook at the wall sees it: which tickets are whole on the
 * screen now, the pager ("1/3 · 12 more →"), and the bump-bar keys that turn pages.
 */
export class KitchenRush {
  constructor(readonly page: Page) {}

  get pager(): Locator {
    return this.page.getByRole('navigation', { name: 'Pages' });
  }

  /** Every ticket of the current view, on any page. */
  get tickets(): Locator {
    return this.page.getByRole('main').locator('article');
  }

  /**
   * For each ticket, which of its parts (a ticket taller than a column continues in the
   * next: one part per column) are whole inside the window and above the pager now.
   */
  async partsOnScreen(): Promise<TicketParts[]> {
    const pagerTop = (await this.pager.boundingBox())?.y ?? Number.POSITIVE_INFINITY;
    return this.page.getByRole('main').evaluate((main, bottom) => {
      const area = main.getBoundingClientRect();
      const limit = Math.min(bottom, window.innerHeight, area.bottom);
      const right = Math.min(window.innerWidth, area.right);
      return Array.from(main.querySelectorAll('article')).map((article) => {
        const rects = Array.from(article.getClientRects());
        const inside = rects
          .map((r, i) =>
            r.left >= area.left - 1 && r.right <= right + 1 && r.top >= area.top - 1 && r.bottom <= limit + 1 ? i : -1,
          )
          .filter((i) => i >= 0);
        const name = document.getElementById(article.getAttribute('aria-labelledby') ?? '')?.textContent ?? '';
        return { name, inside, parts: rects.length };
      });
    }, pagerTop);
  }

  /** The tickets whose every part is on screen now. */
  async wholeOnScreen(): Promise<string[]> {
    return (await this.partsOnScreen()).filter((t) => t.inside.length === t.parts).map((t) => t.name);
  }

  /** "1/3" from the pager, as numbers (1/1 when everything fits). */
  async pageNumbers(): Promise<{ page: number; pages: number }> {
    const text = (await this.pager.textContent()) ?? '';
    const match = /(\d+)\/(\d+)/.exec(text);
    return match ? { page: Number(match[1]), pages: Number(match[2]) } : { page: 1, pages: 1 };
  }

  /** The bump bar's "next page" key. */
  async nextPage(): Promise<void> {
    const { page } = await this.pageNumbers();
    await this.page.keyboard.press('PageDown');
    await expect(this.pager).toContainText(`${page + 1}/`);
  }

  async firstPage(): Promise<void> {
    for (let { page } = await this.pageNumbers(); page > 1; page--) {
      await this.page.keyboard.press('PageUp');
      await expect(this.pager).toContainText(`${page - 1}/`);
    }
    await this.settled();
  }

  /** Waits until the board has stopped sliding (the same tickets in the same places twice); returns them. */
  async settled(): Promise<TicketParts[]> {
    return steady(() => this.partsOnScreen());
  }

  /**
   * Walks the pages with the keyboard from the first (waiting for each slide to settle), and
   * returns what was on each page (tickets with a part on it) and the tickets every part of
   * which was seen on some page.
   */
  async walkPages(): Promise<{ pages: string[][]; seenWhole: Set<string> }> {
    // The layout settles first (after a resize the board re-measures on the next frame).
    await steady(() => this.pager.textContent());
    await this.firstPage();
    const pages: string[][] = [];
    const seenParts = new Map<string, Set<number>>();
    const partsOf = new Map<string, number>();
    for (;;) {
      const tickets = await this.settled();
      pages.push(tickets.filter((t) => t.inside.length > 0).map((t) => t.name));
      for (const t of tickets) {
        partsOf.set(t.name, t.parts);
        const seen = seenParts.get(t.name) ?? new Set<number>();
        for (const i of t.inside) seen.add(i);
        seenParts.set(t.name, seen);
      }
      const { page, pages: count } = await this.pageNumbers();
      if (page >= count) break;
      await this.nextPage();
    }
    const seenWhole = new Set(
      [...seenParts].filter(([name, seen]) => seen.size === partsOf.get(name)).map(([name]) => name),
    );
    return { pages, seenWhole };
  }

  /** Settings ▸ Text size ▸ `label` (the start of the option's text) ▸ Save. */
  async setTextSize(label: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Settings' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Board settings' });
    const select = dialog.getByRole('combobox', { name: 'Text size' });
    const options = await select.locator('option').allTextContents();
    const option = options.find((o) => o.startsWith(label));
    if (!option) throw new Error(`no text size ${label} in ${options.join(', ')}`);
    await select.selectOption({ label: option });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  }

  /** The text size chosen in the settings (the start of the option's text is enough to compare). */
  async textSize(): Promise<string> {
    await this.page.getByRole('button', { name: 'Settings' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Board settings' });
    const select = dialog.getByRole('combobox', { name: 'Text size' });
    const chosen = await select.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent ?? '');
    await this.page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    return chosen;
  }

  /** The font size (CSS px) of a dish's name on a ticket. */
  async dishFontSize(ticket: string, dish: string): Promise<number> {
    const line = this.page
      .getByRole('article', { name: ticket, exact: true })
      .getByText(new RegExp(`^\\d+ × ${dish}$`))
      .first();
    return line.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  }

  /**
   * Whether everything inside a ticket stays inside it: no child box sticks out of the card,
   * and no text is broken one word per line (a line box narrower than its longest word).
   */
  async fitsInside(ticket: string): Promise<{ sticksOut: string[]; squeezed: string[] }> {
    return this.page.getByRole('article', { name: ticket, exact: true }).evaluate((article) => {
      const card = article.getBoundingClientRect();
      const sticksOut: string[] = [];
      const squeezed: string[] = [];
      for (const el of Array.from(article.querySelectorAll<HTMLElement>('*'))) {
        const r = el.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.left < card.left - 1 || r.right > card.right + 1) sticksOut.push(el.textContent ?? el.tagName);
        if (el.children.length === 0 && (el.textContent ?? '').includes(' ')) {
          const lineHeight =
            parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.2;
          const words = (el.textContent ?? '').trim().split(/\s+/).length;
          const lines = Math.round(r.height / lineHeight);
          if (words >= 3 && lines >= words) squeezed.push(el.textContent ?? '');
        }
      }
      return { sticksOut, squeezed };
    });
  }
}

/** Reads `read` until two reads in a row agree (the screen has stopped moving), and returns that. */
async function steady<T>(read: () => Promise<T>): Promise<T> {
  let previous = '';
  await expect
    .poll(async () => {
      const now = JSON.stringify(await read());
      const same = now === previous;
      previous = now;
      return same;
    })
    .toBe(true);
  return JSON.parse(previous) as T;
}
