// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeFetch, json, renderWith } from '../../test/console.js';
import { ids, menu } from '../../test/fixtures.js';
import { MenuEditor } from './menu/MenuEditor.js';

afterEach(cleanup);

const pizza = menu.items.find((i) => i.id === ids.pizza)!;
const size = pizza.modifierGroups.find((g) => g.id === ids.sizeGroup)!;

describe('the menu editor', () => {
  it('edits a dish: the PATCH carries only what changed, with an Idempotency-Key', async () => {
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu }, [
      (s) => json(200, { item: { ...pizza, ...(s.body as object) } }),
    ]);
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Edit ${pizza.name}` }));
    const dialog = screen.getByRole('dialog', { name: `Edit ${pizza.name}` });
    fireEvent.change(within(dialog).getByLabelText('Price (€)'), { target: { value: '12,50' } });
    fireEvent.change(within(dialog).getByLabelText('Prep time (minutes)'), { target: { value: '14' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const patch = seen.find((s) => s.method === 'PATCH')!;
    expect(patch.path).toBe(`/api/menu/items/${pizza.id}`);
    expect(patch.body).toEqual({ priceCents: 1250, prepMinutes: 14 });
    expect(patch.key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('marks a dish sold out with the availability switch', async () => {
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu }, [
      () => json(200, { item: { ...pizza, available: false } }),
    ]);
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('switch', { name: `${pizza.name} available` }));
    await waitFor(() => expect(seen.some((s) => s.method === 'PATCH')).toBe(true));
    expect(seen.find((s) => s.method === 'PATCH')!.body).toEqual({ available: false });
  });

  it('adds a dish to a category', async () => {
    const category = menu.categories[0]!;
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu }, [() => json(201, { item: pizza })]);
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Add item to ${category.name}` }));
    const dialog = screen.getByRole('dialog', { name: 'Add item' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Calzone' } });
    fireEvent.change(within(dialog).getByLabelText('Price (€)'), { target: { value: '11' } });
    fireEvent.change(within(dialog).getByLabelText('Allergens (comma separated)'), {
      target: { value: 'gluten, milk' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(seen.some((s) => s.method === 'POST')).toBe(true));
    expect(seen.find((s) => s.method === 'POST')).toMatchObject({
      path: '/api/menu/items',
      body: { name: 'Calzone', categoryId: category.id, priceCents: 1100, allergens: ['gluten', 'milk'] },
    });
  });
});

describe('the menu editor’s order and one Save', () => {
  const soup = menu.items.find((i) => i.id === ids.soup)!;

  it('moves a dish down with one request naming every dish of its category in the new order', async () => {
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu }, [() => json(200, { items: [soup, pizza] })]);
    renderWith(<MenuEditor />, fetchFn);
    const up = await screen.findByRole<HTMLButtonElement>('button', { name: `Move ${pizza.name} up` });
    expect(up.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: `Move ${pizza.name} down` }));
    await waitFor(() => expect(seen.some((s) => s.method === 'POST')).toBe(true));
    const post = seen.find((s) => s.method === 'POST')!;
    expect(post.path).toBe(`/api/menu/categories/${ids.category}/item-order`);
    expect(post.body).toEqual({ menuItemIds: [soup.id, pizza.id] });
    expect(post.key).toMatch(/^[0-9a-f-]{36}$/);
    // The menu is read again, so the list shows the server's order.
    await waitFor(() => expect(seen.filter((s) => s.path === '/api/menu').length).toBe(2));
  });

  it('saves a dish and its modifier groups with one Save: one PATCH with the whole list of groups', async () => {
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu }, [
      () => json(200, { item: { ...pizza, priceCents: 1200 } }),
    ]);
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Edit ${pizza.name}` }));
    const dialog = screen.getByRole('dialog', { name: `Edit ${pizza.name}` });
    fireEvent.change(within(dialog).getByLabelText('Price (€)'), { target: { value: '12' } });
    // Drop the toppings, add a crust group with one option.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove group: Toppings' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add modifier group' }));
    const crust = within(dialog).getByRole('group', { name: 'New modifier group 2' });
    fireEvent.change(within(crust).getByLabelText('Group name'), { target: { value: 'Crust' } });
    fireEvent.change(within(crust).getByLabelText('Option 1'), { target: { value: 'Thin' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const writes = seen.filter((s) => s.method !== 'GET');
    expect(writes).toHaveLength(1);
    expect(writes[0]!.path).toBe(`/api/menu/items/${pizza.id}`);
    expect(writes[0]!.body).toEqual({
      priceCents: 1200,
      modifierGroups: [
        // The size group as it was, its options said to be no default.
        { ...size, options: size.options.map((o) => ({ ...o, isDefault: false })) },
        {
          name: 'Crust',
          minChoices: 0,
          maxChoices: 1,
          options: [{ name: 'Thin', priceDeltaCents: 0, isDefault: false }],
        },
      ],
    });
  });

  it('says what is wrong with a group before sending anything', async () => {
    const { fetchFn, seen } = fakeFetch({ '/api/menu': menu });
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Edit ${pizza.name}` }));
    const dialog = screen.getByRole('dialog', { name: `Edit ${pizza.name}` });
    const size = within(dialog).getByRole('group', { name: 'Size' });
    fireEvent.change(within(size).getByLabelText('Minimum choices'), { target: { value: '3' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain(
      'Size: the minimum number of choices cannot be above the maximum.',
    );
    expect(seen.filter((s) => s.method !== 'GET')).toEqual([]);
  });
});

describe('the menu editor’s station', () => {
  it('is picked from the stations in use; a new one is added on purpose', async () => {
    const grill = { ...pizza, id: '00000000-0000-4000-8000-0000000000f1', name: 'Steak', station: 'grill' };
    const withGrill = { ...menu, items: [...menu.items, grill] };
    const { fetchFn, seen } = fakeFetch({ '/api/menu': withGrill }, [
      (s) => json(200, { item: { ...pizza, ...(s.body as object) } }),
    ]);
    renderWith(<MenuEditor />, fetchFn);
    fireEvent.click(await screen.findByRole('button', { name: `Edit ${pizza.name}` }));
    const dialog = screen.getByRole('dialog', { name: `Edit ${pizza.name}` });
    const station = within(dialog).getByRole('combobox', { name: 'Station' });
    const offered = within(station)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(offered).toEqual([...new Set(withGrill.items.map((i) => i.station))].sort().concat('New station…'));

    fireEvent.change(station, { target: { value: '' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'New station' }), { target: { value: 'Pastry' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(seen.some((s) => s.method === 'PATCH')).toBe(true));
    expect(seen.find((s) => s.method === 'PATCH')!.body).toEqual({ station: 'Pastry' });
  });
});
