import type { DbClient, Pool } from '../db/pool.js';
import { transaction } from '../db/transaction.js';

interface SeedOption {
  name: string;
  delta: number;
  /** The dish sheet starts with it chosen. */
  isDefault?: boolean;
}
interface SeedGroup {
  name: string;
  min: number;
  max: number;
  options: SeedOption[];
}
interface SeedItem {
  name: string;
  description?: string;
  price: number;
  prep: number | null;
  station: string;
  allergens?: string[];
  groups?: SeedGroup[];
}

/** Choose `min` to `max` of `options` (name: price change in cents); `chosen` starts chosen. */
function group(name: string, min: number, max: number, options: Record<string, number>, chosen?: string): SeedGroup {
  return {
    name,
    min,
    max,
    options: Object.entries(options).map(([option, delta]) => ({ name: option, delta, isDefault: option === chosen })),
  };
}

const pizzaGroups: SeedGroup[] = [
  group('Size', 1, 1, { Small: -200, Medium: 0, Large: 300 }, 'Medium'),
  group('Toppings', 0, 3, { 'Extra cheese': 150, Pepperoni: 200, Mushroom: 100 }),
];

export const demoMenu: { category: string; items: SeedItem[] }[] = [
  {
    category: 'Pizza',
    items: [
      {
        name: 'Margherita',
        description: 'Tomato, mozzarella, basil',
        price: 1100,
        prep: 12,
        station: 'pizza',
        allergens: ['gluten', 'milk'],
        groups: pizzaGroups,
      },
    ],
  },
  {
    category: 'Burgers',
    items: [
      {
        name: 'Burger',
        description: 'Beef patty, cheddar, pickles, brioche bun',
        price: 1350,
        prep: 10,
        station: 'grill',
        allergens: ['gluten', 'milk', 'mustard', 'sesame'],
        groups: [group('Doneness', 0, 1, { 'Medium rare': 0, 'Well done': 0 })],
      },
      { name: 'Veggie burger', price: 1250, prep: 10, station: 'grill', allergens: ['gluten', 'soy'] },
    ],
  },
  {
    category: 'Sides',
    items: [
      { name: 'Fries', price: 450, prep: 5, station: 'fryer' },
      { name: 'Side salad', price: 500, prep: null, station: 'cold', allergens: ['mustard'] },
      { name: 'Onion rings', price: 550, prep: null, station: 'fryer', allergens: ['gluten'] },
    ],
  },
  {
    category: 'Drinks',
    items: [
      { name: 'Cola', price: 350, prep: 1, station: 'bar' },
      { name: 'Lemonade', price: 400, prep: 1, station: 'bar' },
      { name: 'Pale ale', price: 600, prep: 1, station: 'bar', allergens: ['gluten'] },
      { name: 'Sparkling water', price: 300, prep: 1, station: 'bar' },
    ],
  },
];

async function seedMenu(client: DbClient): Promise<void> {
  for (const [categoryIndex, { category, items }] of demoMenu.entries()) {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO categories (name, sort) VALUES ($1, $2) RETURNING id`,
      [category, categoryIndex],
    );
    const categoryId = rows[0]!.id;
    for (const [itemIndex, item] of items.entries()) {
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO menu_items (category_id, name, description, price_cents, prep_minutes, station, allergens, sort)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          categoryId,
          item.name,
          item.description ?? '',
          item.price,
          item.prep,
          item.station,
          item.allergens ?? [],
          itemIndex,
        ],
      );
      const itemId = inserted.rows[0]!.id;
      for (const [groupIndex, group] of (item.groups ?? []).entries()) {
        const g = await client.query<{ id: string }>(
          `INSERT INTO modifier_groups (menu_item_id, name, min_choices, max_choices, sort)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [itemId, group.name, group.min, group.max, groupIndex],
        );
        for (const [optionIndex, option] of group.options.entries()) {
          await client.query(
            `INSERT INTO modifier_options (group_id, name, price_delta_cents, is_default, sort)
             VALUES ($1, $2, $3, $4, $5)`,
            [g.rows[0]!.id, option.name, option.delta, option.isDefault ?? false, optionIndex],
          );
        }
      }
    }
  }
}

async function seedTables(client: DbClient, count: number): Promise<void> {
  await client.query(
    `INSERT INTO dining_tables (number, label, area)
     SELECT n, 'Table ' || n, CASE WHEN n <= 60 THEN 'Inside' ELSE 'Terrace' END FROM generate_series(1, $1::int) AS n`,
    [count],
  );
}

/**
 * Gives an empty database the demo menu and 100 tables. Runs at every start and does
 * nothing once anything exists; the advisory lock keeps two instances starting together
 * from both seeding.
 */
export async function seedIfEmpty(pool: Pool, tableCount = 100): Promise<{ menu: boolean; tables: boolean }> {
  return transaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('chit:seed'))`);
    const { rows } = await client.query<{ categories: boolean; tables: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM categories) AS categories, EXISTS (SELECT 1 FROM dining_tables) AS tables`,
    );
    const state = rows[0]!;
    if (!state.categories) await seedMenu(client);
    if (!state.tables) await seedTables(client, tableCount);
    return { menu: !state.categories, tables: !state.tables };
  });
}
