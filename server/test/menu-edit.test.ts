import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { snapshotCounts, appTest, type TestApp } from './harness.js';

let app: TestApp;

const it = appTest();

it.beforeAll(({ app: started }) => {
  app = started;
});

async function eventsOf(type: string, since: number): Promise<any[]> {
  const { rows } = await app.db.pool.query(`SELECT payload FROM events WHERE type = $1 AND id > $2 ORDER BY id`, [
    type,
    since,
  ]);
  return rows.map((r) => r.payload);
}

async function lastEventId(): Promise<number> {
  const { rows } = await app.db.pool.query(`SELECT coalesce(max(id), 0) AS id FROM events`);
  return rows[0].id;
}

async function menu() {
  return (await app.waiter.get('/api/menu')).body;
}

const dessertItem = (categoryId: string) => ({
  categoryId,
  name: 'Tiramisu',
  description: 'Mascarpone, coffee',
  priceCents: 650,
  prepMinutes: 3,
  station: 'cold',
  allergens: ['milk', 'egg', 'gluten'],
  staffName: 'Maria',
  modifierGroups: [
    {
      name: 'Extras',
      minChoices: 0,
      maxChoices: 2,
      options: [
        { name: 'Cream', priceDeltaCents: 80 },
        { name: 'Espresso shot', priceDeltaCents: 120 },
      ],
    },
  ],
});

describe('categories', () => {
  it('are created, renamed and reordered, and every tablet sees it in the menu', async () => {
    const since = await lastEventId();
    const created = await app.manager.post('/api/menu/categories', { name: 'Desserts', sort: 9, staffName: 'Maria' });
    expect(created.status).toBe(201);
    expect(created.body.category).toMatchObject({ name: 'Desserts', sort: 9 });
    const id = created.body.category.id;
    const renamed = await app.manager.patch(`/api/menu/categories/${id}`, { name: 'Sweets' });
    expect(renamed.body.category).toEqual({ id, name: 'Sweets', sort: 9 });
    expect((await menu()).categories.at(-1)).toEqual({ id, name: 'Sweets', sort: 9 });
    expect(await eventsOf('menu.changed', since)).toEqual([
      { menuItemId: null, categoryId: id },
      { menuItemId: null, categoryId: id },
    ]);
    const { rows } = await app.db.pool.query(
      `SELECT updated_by_staff_name, d.name FROM categories c JOIN devices d ON d.id = c.updated_by_device_id
        WHERE c.id = $1`,
      [id],
    );
    // The rename sent no staff name: the last change is recorded as it came.
    expect(rows[0]).toEqual({ updated_by_staff_name: '', name: 'Office' });
  });

  it('with dishes on the menu cannot be removed; an empty one is deleted', async () => {
    const pizza = app.fx.menu.categories.find((c) => c.name === 'Pizza')!;
    const refused = await app.manager.delete(`/api/menu/categories/${pizza.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('category_not_empty');
    const empty = await app.manager.post('/api/menu/categories', { name: 'Specials' });
    const removed = await app.manager.delete(`/api/menu/categories/${empty.body.category.id}`);
    expect(removed.body).toEqual({ id: empty.body.category.id, outcome: 'deleted' });
    expect((await menu()).categories.map((c: any) => c.name)).not.toContain('Specials');
    const again = await app.manager.delete(`/api/menu/categories/${empty.body.category.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('category_not_found');
  });
});

describe('menu items', () => {
  it('are created with allergens, station, prep time and modifier groups, and can be ordered', async () => {
    const category = await app.manager.post('/api/menu/categories', { name: 'Desserts' });
    const created = await app.manager.post('/api/menu/items', dessertItem(category.body.category.id));
    expect(created.status).toBe(201);
    const item = created.body.item;
    expect(item).toMatchObject({
      name: 'Tiramisu',
      priceCents: 650,
      prepMinutes: 3,
      station: 'cold',
      allergens: ['milk', 'egg', 'gluten'],
      available: true,
    });
    expect(item.modifierGroups[0]).toMatchObject({ name: 'Extras', minChoices: 0, maxChoices: 2 });
    expect(item.modifierGroups[0].options.map((o: any) => [o.name, o.priceDeltaCents])).toEqual([
      ['Cream', 80],
      ['Espresso shot', 120],
    ]);
    expect((await menu()).items.find((i: any) => i.id === item.id)).toEqual(item);

    const order = await app.waiter.post('/api/orders', {
      id: randomUUID(),
      tableId: app.fx.table(5).id,
      items: [
        {
          id: randomUUID(),
          menuItemId: item.id,
          quantity: 1,
          modifierOptionIds: [item.modifierGroups[0].options[0].id],
        },
      ],
    });
    expect(order.status).toBe(201);
    expect(order.body.order.items[0]).toMatchObject({ name: 'Tiramisu', unitPriceCents: 730, station: 'cold' });
  });

  it('refuses a modifier group whose minimum is above its maximum, or above its options', async () => {
    const before = await snapshotCounts(app.db.pool);
    const categoryId = app.fx.menu.categories[0]!.id;
    const bad = await app.manager.post('/api/menu/items', {
      ...dessertItem(categoryId),
      modifierGroups: [{ name: 'Sauce', minChoices: 2, maxChoices: 1, options: [{ name: 'A' }, { name: 'B' }] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details).toContainEqual({
      path: 'modifierGroups.0.minChoices',
      message: 'The minimum number of choices cannot be above the maximum.',
    });
    const tooFew = await app.manager.post(`/api/menu/items/${app.fx.item('Burger').id}/modifier-groups`, {
      name: 'Sauce',
      minChoices: 2,
      maxChoices: 2,
      options: [{ name: 'Ketchup' }],
    });
    expect(tooFew.status).toBe(400);
    // Checked against the stored group too: only minChoices is sent here.
    const group = app.fx.item('Margherita').modifierGroups.find((g) => g.name === 'Size')!;
    const merged = await app.manager.patch(`/api/menu/modifier-groups/${group.id}`, { minChoices: 2 });
    expect(merged.status).toBe(400);
    expect(merged.body.error.details[0].path).toBe('minChoices');
    const unknownCategory = await app.manager.post('/api/menu/items', dessertItem(randomUUID()));
    expect(unknownCategory.status).toBe(422);
    expect(unknownCategory.body.error.code).toBe('category_not_found');
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
  });

  it('edits one field without touching the others, and tells tablets about availability', async () => {
    const since = await lastEventId();
    const fries = app.fx.item('Fries');
    const priced = await app.manager.patch(`/api/menu/items/${fries.id}`, { priceCents: 480 });
    expect(priced.body.item).toEqual({ ...fries, priceCents: 480 });
    const off = await app.manager.patch(`/api/menu/items/${fries.id}`, { available: false, staffName: 'Maria' });
    expect(off.body.item.available).toBe(false);
    expect(await eventsOf('menu.availability', since)).toEqual([{ menuItemId: fries.id, available: false }]);
    expect((await eventsOf('menu.changed', since)).length).toBe(2);

    // An order that waited on a tablet while the dish was switched off is refused, by name.
    const before = await snapshotCounts(app.db.pool);
    const late = await app.waiter.post('/api/orders', {
      id: randomUUID(),
      tableId: app.fx.table(6).id,
      items: [{ id: randomUUID(), menuItemId: fries.id, quantity: 1 }],
    });
    expect(late.status).toBe(422);
    expect(late.body.error).toMatchObject({
      code: 'menu_item_unavailable',
      message: 'Fries is not available right now.',
    });
    expect(await snapshotCounts(app.db.pool)).toEqual(before);
    await app.manager.patch(`/api/menu/items/${fries.id}`, { available: true });
  });

  it('edits a modifier group, keeping the ids of the options it keeps', async () => {
    const burger = app.fx.item('Burger');
    const doneness = burger.modifierGroups[0]!;
    const [rare, well] = doneness.options;
    const edited = await app.manager.patch(`/api/menu/modifier-groups/${doneness.id}`, {
      name: 'Cooked',
      maxChoices: 1,
      options: [
        { id: well!.id, name: 'Well done', priceDeltaCents: 0 },
        { name: 'Blue', priceDeltaCents: 50 },
      ],
    });
    expect(edited.status).toBe(200);
    const group = edited.body.item.modifierGroups[0];
    expect(group.name).toBe('Cooked');
    expect(group.options.map((o: any) => o.name)).toEqual(['Well done', 'Blue']);
    expect(group.options[0].id).toBe(well!.id);
    expect(group.options.map((o: any) => o.id)).not.toContain(rare!.id);

    const foreign = await app.manager.patch(`/api/menu/modifier-groups/${doneness.id}`, {
      options: [{ id: app.fx.option('Margherita', 'Large'), name: 'Large' }],
    });
    expect(foreign.status).toBe(400);

    const added = await app.manager.post(`/api/menu/items/${burger.id}/modifier-groups`, {
      name: 'Side',
      minChoices: 1,
      maxChoices: 1,
      options: [{ name: 'Fries' }, { name: 'Salad', priceDeltaCents: 50 }],
    });
    expect(added.status).toBe(201);
    expect(added.body.item.modifierGroups.map((g: any) => g.name)).toEqual(['Cooked', 'Side']);
    const side = added.body.item.modifierGroups[1];
    const removed = await app.manager.delete(`/api/menu/modifier-groups/${side.id}`);
    expect(removed.body.item.modifierGroups.map((g: any) => g.name)).toEqual(['Cooked']);
    expect((await app.manager.delete(`/api/menu/modifier-groups/${side.id}`)).body.error.code).toBe(
      'modifier_group_not_found',
    );
  });

  it('marks a default option that every tablet starts with, and refuses more defaults than a group allows', async () => {
    const size = app.fx.item('Margherita').modifierGroups.find((g) => g.name === 'Size')!;
    // The demo menu's pizza starts at medium.
    expect(size.options.filter((o) => o.isDefault).map((o) => o.name)).toEqual(['Medium']);

    const moved = await app.manager.patch(`/api/menu/modifier-groups/${size.id}`, {
      options: size.options.map((o) => ({
        id: o.id,
        name: o.name,
        priceDeltaCents: o.priceDeltaCents,
        isDefault: o.name === 'Large',
      })),
    });
    expect(moved.status).toBe(200);
    const menu = await app.waiter.get('/api/menu');
    const seen = menu.body.items
      .find((i: any) => i.name === 'Margherita')
      .modifierGroups.find((g: any) => g.name === 'Size');
    expect(seen.options.filter((o: any) => o.isDefault).map((o: any) => o.name)).toEqual(['Large']);

    const two = await app.manager.patch(`/api/menu/modifier-groups/${size.id}`, {
      options: size.options.map((o) => ({ id: o.id, name: o.name, isDefault: o.name !== 'Small' })),
    });
    expect(two.status).toBe(400);
    expect(two.body.error.message).toContain('At most 1 option of this group can be chosen by default.');
    const after = await app.waiter.get('/api/menu');
    expect(JSON.stringify(after.body)).toBe(JSON.stringify(menu.body));
  });

  it('that were ordered are archived, never deleted; others are deleted', async () => {
    const category = app.fx.menu.categories.find((c) => c.name === 'Drinks')!;
    const fresh = await app.manager.post('/api/menu/items', {
      categoryId: category.id,
      name: 'Kombucha',
      priceCents: 450,
      station: 'bar',
    });
    const deleted = await app.manager.delete(`/api/menu/items/${fresh.body.item.id}`);
    expect(deleted.body).toEqual({ id: fresh.body.item.id, outcome: 'deleted' });
    expect((await app.db.pool.query(`SELECT 1 FROM menu_items WHERE id = $1`, [fresh.body.item.id])).rowCount).toBe(0);

    const cola = app.fx.item('Cola');
    const order = await app.waiter.post('/api/orders', {
      id: randomUUID(),
      tableId: app.fx.table(7).id,
      items: [{ id: randomUUID(), menuItemId: cola.id, quantity: 2 }],
    });
    expect(order.status).toBe(201);
    const since = await lastEventId();
    const archived = await app.manager.delete(`/api/menu/items/${cola.id}`, { staffName: 'Maria' });
    expect(archived.body).toEqual({ id: cola.id, outcome: 'archived' });
    expect(await eventsOf('menu.availability', since)).toEqual([{ menuItemId: cola.id, available: false }]);
    expect((await menu()).items.map((i: any) => i.name)).not.toContain('Cola');
    // The bill still shows what was ordered.
    const items = await app.waiter.get(`/api/tables/${app.fx.table(7).id}/items`);
    expect(items.body.items[0]).toMatchObject({ name: 'Cola', unitPriceCents: 350 });
    // A tablet still holding the old menu is told the dish is gone, by name.
    const late = await app.waiter.post('/api/orders', {
      id: randomUUID(),
      tableId: app.fx.table(7).id,
      items: [{ id: randomUUID(), menuItemId: cola.id, quantity: 1 }],
    });
    expect(late.status).toBe(422);
    expect(late.body.error).toMatchObject({ code: 'menu_item_unavailable', message: 'Cola is no longer on the menu.' });
    // Archived dishes cannot be edited, and their category can then go (archived with them).
    expect((await app.manager.patch(`/api/menu/items/${cola.id}`, { priceCents: 1 })).status).toBe(404);
    for (const item of app.fx.menu.items.filter((i) => i.categoryId === category.id && i.id !== cola.id)) {
      expect((await app.manager.delete(`/api/menu/items/${item.id}`)).body.outcome).toBe('deleted');
    }
    const gone = await app.manager.delete(`/api/menu/categories/${category.id}`);
    expect(gone.body).toEqual({ id: category.id, outcome: 'archived' });
    expect((await menu()).categories.map((c: any) => c.name)).not.toContain('Drinks');
  });
});
