/** A dish as the 86 panel lists it. */
export interface EightySixDish {
  id: string;
  name: string;
  station: string;
  available: boolean;
}

export interface EightySixGroups<D extends EightySixDish> {
  /** 86'd now (matching the search), by name: listed first. */
  off: D[];
  /** The dishes still on, one group per station (by station name), each by name. */
  stations: { station: string; dishes: D[] }[];
}

const byName = (a: { name: string }, b: { name: string }) =>
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

/** The 86 panel's lists: the chosen station's dishes (all when null), matching `query` in any case or accent. */
export function eightySixGroups<D extends EightySixDish>(
  dishes: readonly D[],
  { station, query }: { station: string | null; query: string },
): EightySixGroups<D> {
  const fold = (text: string) =>
    text
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  const shown = dishes.filter(
    (d) => (station === null || d.station === station) && words.every((w) => fold(d.name).includes(w)),
  );
  const off = shown.filter((d) => !d.available).sort(byName);
  const groups = new Map<string, D[]>();
  for (const dish of shown) {
    if (!dish.available) continue;
    const list = groups.get(dish.station) ?? [];
    list.push(dish);
    groups.set(dish.station, list);
  }
  return {
    off,
    stations: [...groups]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, list]) => ({ station: name, dishes: list.sort(byName) })),
  };
}
