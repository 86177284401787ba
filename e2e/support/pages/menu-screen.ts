import { expect, type Locator, type Page } from '@playwright/test';
import { Cart } from './cart.js';
import { ItemSheet, type DishChoice } from './item-sheet.js';
import { escape, type Place } from './place.js';

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
