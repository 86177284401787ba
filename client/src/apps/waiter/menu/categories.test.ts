import type { MenuResponse } from '@chit/shared';
import { describe, expect, it } from 'vitest';
import { menu as fixtureMenu } from '../../../test/fixtures.js';
import { orderableCategories } from './categories.js';

const drinks = { id: '00000000-0000-4000-8000-0000000000d1', name: 'Drinks', sort: 0 };
const specials = { id: '00000000-0000-4000-8000-0000000000d2', name: 'Specials', sort: 2 };
const mains = fixtureMenu.categories[0]!;
const menu: MenuResponse = {
  ...fixtureMenu,
  categories: [mains, specials, drinks],
  items: [
    ...fixtureMenu.items,
    { ...fixtureMenu.items[0]!, id: '00000000-0000-4000-8000-0000000000e1', name: 'Cola', categoryId: drinks.id },
  ],
};

describe('the menu screen offers', () => {
  it('every category that has a dish to order, in menu order, and none without dishes', () => {
    expect(orderableCategories(menu).map((c) => c.name)).toEqual(['Drinks', mains.name]);
  });

  it('no category whose dishes are all 86d', () => {
    const colaOut = { ...menu, items: menu.items.map((i) => (i.name === 'Cola' ? { ...i, available: false } : i)) };
    expect(orderableCategories(colaOut).map((c) => c.name)).toEqual([mains.name]);
  });
});
