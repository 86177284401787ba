import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(() => app.close());

interface Menu {
  categories: { id: string; name: string; sort: number }[];
  items: { id: string; name: string; categoryId: string; priceCents: number; modifierGroups: any[] }[];
}

/** The menu as the waiter's tablet reads it, in the order it shows it. */
async function waiterMenu(): Promise<Menu> {
  const menu = (await app.waiter.get<Menu>('/api/menu')).body;
  return { ...menu, categories: [...menu.categories].sort((a, b) => a.sort - b.sort) };
}

const dishesOf = (menu: Menu, categoryId: string) =>
  menu.items.filter((i) => i.categoryId === categoryId).map((i) => i.name);

async function menuChangedSince(since: number): Promise<unknown[]> {
  const { rows } = await app.db.pool.query(
    `SELECT payload FROM events WHERE type = 'menu.changed' AND id > $1 ORDER BY id`,
    [since],
  );
  return rows.map((r) => r.payload);
}

async function lastEventId(): Promise<number> {
  return (await app.db.pool.query(`SELECT coalesce(max(id), 0) AS id FROM events`)).rows[0].id;
}

describe('the order of the categories', () => {
  it('is the one the manager saves, and the waiter’s menu shows them in it', async () => {
    const before = await waiterMenu();
    const reversed = before.categories.map((c) => c.id).reverse();
    const since = await lastEventId();
    const res = await app.manager.post('/api/menu/category-order', { categoryIds: reversed, staffName: 'Mia' });
    expect(res.status).toBe(200);
    expect(res.body.categories.map((c: { id: string }) => c.id)).toEqual(reversed);
    expect((await waiterMenu()).categories.map((c) => c.id)).toEqual(reversed);
    // The tablets are told to read the menu again.
    expect(await menuChangedSince(since)).toEqual([{ menuItemId: null, categoryId: null }]);
  });

  it('is refused, changing nothing, when it leaves out a category or names one twice', async () => {
    const before = (await waiterMenu()).categories.map((c) => c.id);
    const missing = await app.manager.post('/api/menu/category-order', { categoryIds: before.slice(1) });
    expect(missing.status).toBe(409);
    expect(missing.body.error.code).toBe('menu_order_stale');
    expect(missing.body.error.message).toMatch(/Reload the menu/);
    const twice = await app.manager.post('/api/menu/category-order', { categoryIds: [...before, before[0]] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.code).toBe('validation_failed');
    const notIds = await app.manager.post('/api/menu/category-order', { categoryIds: ['pizza'] });
    expect(notIds.status).toBe(400);
    expect((await waiterMenu()).categories.map((c) => c.id)).toEqual(before);
  });

  it('a category added on another console meanwhile makes an older arrangement stale', async () => {
    const seen = (await waiterMenu()).categories.map((c) => c.id);
    await app.manager.post('/api/menu/categories', { name: 'Specials' });
    const stale = await app.manager.post('/api/menu/category-order', { categoryIds: seen });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('menu_order_stale');
  });

  it('is the manager’s to change, not a waiter’s', async () => {
    const ids = (await waiterMenu()).categories.map((c) => c.id);
    const res = await app.waiter.post('/api/menu/category-order', { categoryIds: ids });
    expect(res.status).toBe(403);
  });
});

describe('the order of the dishes in a category', () => {
  it('is the one the manager saves, and the waiter’s menu lists them in it', async () => {
    const drinks = app.fx.menu.categories.find((c) => c.name === 'Drinks')!;
    const before = await waiterMenu();
    const ids = before.items.filter((i) => i.categoryId === drinks.id).map((i) => i.id);
    const moved = [ids[2]!, ...ids.filter((_, i) => i !== 2)];
    const res = await app.manager.post(`/api/menu/categories/${drinks.id}/item-order`, { menuItemIds: moved });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(moved);
    const after = await waiterMenu();
    expect(after.items.filter((i) => i.categoryId === drinks.id).map((i) => i.id)).toEqual(moved);
    expect(dishesOf(after, drinks.id)[0]).toBe(before.items.find((i) => i.id === ids[2])!.name);
  });

  it('is refused when it is not exactly the category’s dishes, or the category does not exist', async () => {
    const drinks = app.fx.menu.categories.find((c) => c.name === 'Drinks')!;
    const before = dishesOf(await waiterMenu(), drinks.id);
    const ids = (await waiterMenu()).items.filter((i) => i.categoryId === drinks.id).map((i) => i.id);
    const foreign = await app.manager.post(`/api/menu/categories/${drinks.id}/item-order`, {
      menuItemIds: [...ids.slice(1), app.fx.item('Burger').id],
    });
    expect(foreign.status).toBe(409);
    expect(foreign.body.error.code).toBe('menu_order_stale');
    const nowhere = await app.manager.post(`/api/menu/categories/${crypto.randomUUID()}/item-order`, {
      menuItemIds: ids,
    });
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error.code).toBe('category_not_found');
    expect(dishesOf(await waiterMenu(), drinks.id)).toEqual(before);
  });
});

describe('one Save for a dish and its modifier groups', () => {
  it('changes the dish, edits a group keeping its option ids, adds one and removes one, in one request', async () => {
    const pizza = app.fx.item('Margherita');
    const [size, toppings] = pizza.modifierGroups;
    const medium = size!.options.find((o) => o.name === 'Medium')!;
    const res = await app.manager.patch(`/api/menu/items/${pizza.id}`, {
      priceCents: 1150,
      staffName: 'Mia',
      modifierGroups: [
        {
          name: 'Crust',
          minChoices: 1,
          maxChoices: 1,
          options: [{ name: 'Thin', isDefault: true }, { name: 'Thick' }],
        },
        {
          id: size!.id,
          name: 'Size',
          minChoices: 1,
          maxChoices: 1,
          options: [
            { id: medium.id, name: 'Medium', isDefault: true },
            { name: 'Family', priceDeltaCents: 900 },
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    const item = res.body.item;
    expect(item.priceCents).toBe(1150);
    expect(item.modifierGroups.map((g: any) => g.name)).toEqual(['Crust', 'Size']);
    expect(item.modifierGroups[1].id).toBe(size!.id);
    expect(item.modifierGroups[1].options.map((o: any) => [o.name, o.id === medium.id])).toEqual([
      ['Medium', true],
      ['Family', false],
    ]);
    expect(item.modifierGroups.map((g: any) => g.id)).not.toContain(toppings!.id);
    // The waiter's menu has it all at once.
    const onMenu = (await waiterMenu()).items.find((i) => i.id === pizza.id)!;
    expect(onMenu.modifierGroups).toEqual(item.modifierGroups);
  });

  it('changes nothing at all when one of the groups is wrong', async () => {
    const burger = app.fx.item('Burger');
    const before = (await waiterMenu()).items.find((i) => i.id === burger.id)!;
    const foreignGroup = await app.manager.patch(`/api/menu/items/${burger.id}`, {
      priceCents: 1,
      modifierGroups: [
        { id: app.fx.item('Margherita').modifierGroups[0]!.id, name: 'X', minChoices: 0, maxChoices: 1, options: [] },
      ],
    });
    expect(foreignGroup.status).toBe(400);
    expect(foreignGroup.body.error.details[0].path).toBe('modifierGroups.0.id');
    const foreignOption = await app.manager.patch(`/api/menu/items/${burger.id}`, {
      priceCents: 1,
      modifierGroups: [
        {
          id: before.modifierGroups[0].id,
          name: 'Doneness',
          minChoices: 0,
          maxChoices: 1,
          options: [{ id: app.fx.option('Margherita', 'Large'), name: 'Large' }],
        },
      ],
    });
    expect(foreignOption.status).toBe(400);
    expect(foreignOption.body.error.details[0].path).toBe('modifierGroups.0.options.0.id');
    const impossible = await app.manager.patch(`/api/menu/items/${burger.id}`, {
      priceCents: 1,
      modifierGroups: [{ name: 'Sides', minChoices: 2, maxChoices: 1, options: [{ name: 'Fries' }] }],
    });
    expect(impossible.status).toBe(400);
    expect((await waiterMenu()).items.find((i) => i.id === burger.id)).toEqual(before);
  });

  it('leaves the groups alone when the patch does not mention them, and removes them all when it lists none', async () => {
    const burger = app.fx.item('Burger');
    const priced = await app.manager.patch(`/api/menu/items/${burger.id}`, { priceCents: 1400 });
    expect(priced.body.item.modifierGroups.length).toBeGreaterThan(0);
    const bare = await app.manager.patch(`/api/menu/items/${burger.id}`, { modifierGroups: [] });
    expect(bare.status).toBe(200);
    expect(bare.body.item.modifierGroups).toEqual([]);
  });
});
