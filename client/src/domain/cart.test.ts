import { describe, expect, it } from 'vitest';
import { ids, menu } from '../test/fixtures.js';
import { addToLines, priceLine, type CartLineLike } from './cart.js';

type Line = CartLineLike & { id: string };
let n = 0;
const make = (line: CartLineLike): Line => ({ ...line, id: `line-${++n}` });
const pizza = menu.items.find((i) => i.id === ids.pizza)!;

describe('the cart', () => {
  it('merges the same dish with the same choices and note into one line', () => {
    let lines: Line[] = [];
    lines = addToLines(
      lines,
      { menuItemId: ids.pizza, modifierOptionIds: [ids.large, ids.cheese], quantity: 1, note: '' },
      make,
    ).lines;
    // Same options tapped in another order, note with stray spaces: still the same dish.
    const second = addToLines(
      lines,
      { menuItemId: ids.pizza, modifierOptionIds: [ids.cheese, ids.large], quantity: 2, note: '  ' },
      make,
    );
    expect(second.merged).toBe(true);
    expect(second.lines).toHaveLength(1);
    expect(second.lines[0]!.quantity).toBe(3);
  });

  it('keeps different choices or notes on separate lines', () => {
    let lines: Line[] = [];
    lines = addToLines(
      lines,
      { menuItemId: ids.pizza, modifierOptionIds: [ids.large], quantity: 1, note: '' },
      make,
    ).lines;
    lines = addToLines(
      lines,
      { menuItemId: ids.pizza, modifierOptionIds: [ids.small], quantity: 1, note: '' },
      make,
    ).lines;
    lines = addToLines(
      lines,
      { menuItemId: ids.pizza, modifierOptionIds: [ids.large], quantity: 1, note: 'well done' },
      make,
    ).lines;
    lines = addToLines(lines, { menuItemId: ids.soup, modifierOptionIds: [], quantity: 1, note: '' }, make).lines;
    expect(lines.map((l) => [l.modifierOptionIds, l.note])).toEqual([
      [[ids.large], ''],
      [[ids.small], ''],
      [[ids.large], 'well done'],
      [[], ''],
    ]);
  });

  it('caps a merged quantity at the most the server accepts', () => {
    let lines: Line[] = [];
    lines = addToLines(lines, { menuItemId: ids.soup, modifierOptionIds: [], quantity: 60, note: '' }, make).lines;
    lines = addToLines(lines, { menuItemId: ids.soup, modifierOptionIds: [], quantity: 60, note: '' }, make).lines;
    expect(lines[0]!.quantity).toBe(99);
  });

  it('prices a line with its modifiers', () => {
    const priced = priceLine(
      { menuItemId: ids.pizza, modifierOptionIds: [ids.large, ids.cheese], quantity: 2, note: '' },
      pizza,
    );
    expect(priced).toMatchObject({ unitPriceCents: 1100 + 300 + 150, totalCents: 2 * 1550, problem: null });
    expect(priced.modifiers.map((m) => m.name)).toEqual(['Large', 'Extra cheese']);
  });

  it('flags a line that can no longer be sent', () => {
    expect(priceLine({ menuItemId: ids.pizza, modifierOptionIds: [], quantity: 1, note: '' }, pizza).problem).toBe(
      'Choose 1 size for Margherita.',
    );
    expect(
      priceLine(
        { menuItemId: ids.pizza, modifierOptionIds: [ids.large], quantity: 1, note: '' },
        { ...pizza, available: false },
      ).problem,
    ).toBe('Margherita is unavailable right now.');
    expect(
      priceLine({ menuItemId: ids.pizza, modifierOptionIds: [], quantity: 1, note: '' }, undefined).problem,
    ).toMatch(/no longer on the menu/);
  });
});
