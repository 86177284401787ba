import type { MenuResponse } from '@chit/shared';

/**
 * The categories a waiter can order from, in menu order: one whose dishes are all 86'd (or
 * that has none) is only a dead end on a busy night, so it is not offered.
 */
export function orderableCategories(menu: MenuResponse): MenuResponse['categories'] {
  const withDishes = new Set(menu.items.filter((item) => item.available).map((item) => item.categoryId));
  return menu.categories.filter((c) => withDishes.has(c.id)).sort((a, b) => a.sort - b.sort);
}
