import { describe, expect, it } from 'vitest';
import { eightySixGroups } from './eightySix.js';

const dish = (name: string, station: string, available = true) => ({ id: name, name, station, available });
const menu = [
  dish('Onion rings', 'fryer'),
  dish('Burger', 'grill', false),
  dish('Fries', 'fryer', false),
  dish('Veggie burger', 'grill'),
  dish('Crème brûlée', 'pastry'),
  dish('Apple pie', 'pastry'),
];

describe('the 86 panel', () => {
  it('lists what is 86’d first, then each station’s dishes by name', () => {
    const { off, stations } = eightySixGroups(menu, { station: null, query: '' });
    expect(off.map((d) => d.name)).toEqual(['Burger', 'Fries']);
    expect(stations.map((s) => [s.station, s.dishes.map((d) => d.name)])).toEqual([
      ['fryer', ['Onion rings']],
      ['grill', ['Veggie burger']],
      ['pastry', ['Apple pie', 'Crème brûlée']],
    ]);
  });

  it('keeps to the board’s station', () => {
    const { off, stations } = eightySixGroups(menu, { station: 'grill', query: '' });
    expect(off.map((d) => d.name)).toEqual(['Burger']);
    expect(stations).toEqual([{ station: 'grill', dishes: [menu[3]] }]);
  });

  it('finds dishes by any part of the name, ignoring case and accents', () => {
    expect(eightySixGroups(menu, { station: null, query: 'BURG' }).off.map((d) => d.name)).toEqual(['Burger']);
    expect(
      eightySixGroups(menu, { station: null, query: 'burg' }).stations.flatMap((s) => s.dishes.map((d) => d.name)),
    ).toEqual(['Veggie burger']);
    expect(
      eightySixGroups(menu, { station: null, query: 'creme' }).stations.flatMap((s) => s.dishes.map((d) => d.name)),
    ).toEqual(['Crème brûlée']);
  });
});
