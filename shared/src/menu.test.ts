import { describe, expect, it } from 'vitest';
import { checkModifierChoices, unitPriceCents, type MenuItem } from './menu.js';

const size = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Size',
  minChoices: 1,
  maxChoices: 1,
  options: [
    { id: '00000000-0000-4000-8000-000000000011', name: 'Small', priceDeltaCents: -200 },
    { id: '00000000-0000-4000-8000-000000000012', name: 'Large', priceDeltaCents: 300 },
  ],
};
const toppings = {
  id: '00000000-0000-4000-8000-000000000002',
  name: 'Toppings',
  minChoices: 0,
  maxChoices: 1,
  options: [
    { id: '00000000-0000-4000-8000-000000000021', name: 'Cheese', priceDeltaCents: 150 },
    { id: '00000000-0000-4000-8000-000000000022', name: 'Ham', priceDeltaCents: 200 },
  ],
};
const pizza: Pick<MenuItem, 'name' | 'priceCents' | 'modifierGroups'> = {
  name: 'Pizza',
  priceCents: 1000,
  modifierGroups: [size, toppings],
};

describe('modifier rules', () => {
  it('asks for a size when none is chosen', () => {
    expect(checkModifierChoices(pizza, [])).toEqual([{ groupId: size.id, message: 'Choose 1 size for Pizza.' }]);
  });

  it('accepts exactly one size and no toppings', () => {
    expect(checkModifierChoices(pizza, [size.options[0]!.id])).toEqual([]);
  });

  it('refuses two sizes, too many toppings, repeats and foreign options', () => {
    const problems = checkModifierChoices(pizza, [
      size.options[0]!.id,
      size.options[1]!.id,
      toppings.options[0]!.id,
      toppings.options[1]!.id,
      toppings.options[1]!.id,
      '00000000-0000-4000-8000-00000000dead',
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'The same option is chosen twice.',
      'Choose at most 1 size for Pizza.',
      'Choose at most 1 toppings for Pizza.',
      'Option 00000000-0000-4000-8000-00000000dead is not offered for Pizza.',
    ]);
  });

  it('prices a unit with its options', () => {
    expect(unitPriceCents(pizza, [size.options[1]!.id, toppings.options[0]!.id])).toBe(1450);
  });
});
