// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ids, menu } from '../../../test/fixtures.js';
import { ItemSheet } from './ItemSheet.js';

const pizza = menu.items.find((i) => i.id === ids.pizza)!;
const soup = menu.items.find((i) => i.id === ids.soup)!;

afterEach(cleanup);

function open(item = pizza) {
  const onAdd = vi.fn();
  render(<ItemSheet item={item} onAdd={onAdd} onClose={() => undefined} />);
  return { onAdd, dialog: screen.getByRole('dialog', { name: item.name }) };
}

const addButton = () => screen.getByRole('button', { name: /^Add / });

/** What Add gives for one large pizza with nothing else chosen. */
const oneLargePizza = { menuItemId: ids.pizza, modifierOptionIds: [ids.large], quantity: 1, note: '' };

describe('the item sheet', () => {
  it('will not add a pizza until exactly one size is chosen', () => {
    const { onAdd } = open();
    expect(addButton()).toHaveProperty('disabled', true);
    expect(screen.getByRole('status').textContent).toBe('Choose 1 size for Margherita.');

    fireEvent.click(screen.getByRole('radio', { name: /Small/ }));
    fireEvent.click(screen.getByRole('radio', { name: /Large/ }));
    expect(screen.getByRole('radio', { name: /Small/ })).toHaveProperty('checked', false);
    expect(addButton()).toHaveProperty('disabled', false);
    fireEvent.click(addButton());
    expect(onAdd).toHaveBeenCalledWith(oneLargePizza);
  });

  it('starts with the default size chosen, so the usual pizza is one tap on Add', () => {
    const withDefault = {
      ...pizza,
      modifierGroups: pizza.modifierGroups.map((g) =>
        g.id === ids.sizeGroup ? { ...g, options: g.options.map((o) => ({ ...o, isDefault: o.id === ids.large })) } : g,
      ),
    };
    const { onAdd } = open(withDefault);
    expect(screen.getByRole('radio', { name: /Large/ })).toHaveProperty('checked', true);
    fireEvent.click(addButton());
    expect(onAdd).toHaveBeenCalledWith(oneLargePizza);
  });

  it('lets toppings be chosen up to the maximum and no further', () => {
    open();
    fireEvent.click(screen.getByRole('radio', { name: /Large/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Extra cheese/ }));
    expect(screen.getByRole('checkbox', { name: /Mushroom/ })).toHaveProperty('disabled', false);
    fireEvent.click(screen.getByRole('checkbox', { name: /Mushroom/ }));
    // The group allows two: the third cannot be ticked until one is unticked.
    expect(screen.getByRole('checkbox', { name: /Olives/ })).toHaveProperty('disabled', true);
    expect(addButton()).toHaveProperty('disabled', false);
    fireEvent.click(screen.getByRole('checkbox', { name: /Extra cheese/ }));
    expect(screen.getByRole('checkbox', { name: /Olives/ })).toHaveProperty('disabled', false);
    expect(screen.getByRole('checkbox', { name: /Extra cheese/ })).toHaveProperty('checked', false);
    expect(screen.getByRole('checkbox', { name: /Mushroom/ })).toHaveProperty('checked', true);
  });

  it('shows the price of the chosen options times the quantity, and sends quantity and note', () => {
    const { onAdd } = open();
    fireEvent.click(screen.getByRole('radio', { name: /Large/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Extra cheese/ }));
    fireEvent.click(screen.getByRole('button', { name: 'One more' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Note for the kitchen' }), { target: { value: 'no basil' } });
    expect(addButton().textContent).toMatch(/Add 2 · €31\.00/);
    fireEvent.click(addButton());
    expect(onAdd).toHaveBeenCalledWith({
      menuItemId: ids.pizza,
      modifierOptionIds: [ids.large, ids.cheese],
      quantity: 2,
      note: 'no basil',
    });
  });

  it('adds a dish without modifier groups straight away', () => {
    const { onAdd } = open(soup);
    fireEvent.click(addButton());
    expect(onAdd).toHaveBeenCalledOnce();
  });

  it('refuses a dish the kitchen has run out of', () => {
    open({ ...soup, available: false });
    expect(addButton()).toHaveProperty('disabled', true);
    expect(screen.getByRole('status').textContent).toMatch(/unavailable/);
  });
});
