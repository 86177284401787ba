import type { Category, MenuItem, MenuResponse } from '@chit/shared';
import type { DbClient, Queryable } from '../db/pool.js';
import { rowMapper } from '../db/row-mapper.js';
import { appendEvents } from '../events/store.js';

interface MenuItemRow {
  id: string;
  category_id: string;
  name: string;
  description: string;
  price_cents: number;
  prep_minutes: number | null;
  station: string;
  available: boolean;
  allergens: string[];
  modifier_groups: MenuItem['modifierGroups'];
  archived: boolean;
}

// Groups and options come back as JSON already in the wire shape, in one round trip.
const menuItemSelect = `
  SELECT i.id, i.category_id, i.name, i.description, i.price_cents, i.prep_minutes, i.station,
         i.available, i.allergens, i.archived_at IS NOT NULL AS archived,
         coalesce((
           SELECT json_agg(json_build_object(
                    'id', g.id, 'name', g.name, 'minChoices', g.min_choices, 'maxChoices', g.max_choices,
                    'options', coalesce((
                      SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'priceDeltaCents', o.price_delta_cents,
                                                        'isDefault', o.is_default)
                                      ORDER BY o.sort, o.name)
                        FROM modifier_options o WHERE o.group_id = g.id), '[]'::json))
                  ORDER BY g.sort, g.name)
             FROM modifier_groups g WHERE g.menu_item_id = i.id), '[]'::json) AS modifier_groups
    FROM menu_items i`;

const toMenuItem: (row: MenuItemRow) => MenuItem = rowMapper([
  'id',
  'category_id',
  'name',
  'description',
  'price_cents',
  'prep_minutes',
  'station',
  'available',
  'allergens',
  'modifier_groups',
]);

export async function getMenu(db: Queryable): Promise<MenuResponse> {
  const [categories, items] = await Promise.all([
    db.query<Category>(`SELECT id, name, sort FROM categories WHERE archived_at IS NULL ORDER BY sort, name`),
    db.query<MenuItemRow>(`${menuItemSelect} WHERE i.archived_at IS NULL ORDER BY i.sort, i.name`),
  ]);
  return { categories: categories.rows, items: items.rows.map(toMenuItem) };
}

type OrderableItem = MenuItem & { archived: boolean };

function byId(rows: MenuItemRow[]): Map<string, OrderableItem> {
  return new Map(rows.map((row) => [row.id, { ...toMenuItem(row), archived: row.archived }]));
}

/** Every menu item ever made, archived ones included: what orders are checked against. */
export async function getAllMenuItems(db: Queryable): Promise<Map<string, OrderableItem>> {
  const { rows } = await db.query<MenuItemRow>(menuItemSelect);
  return byId(rows);
}

/** The menu items with these ids, archived ones included. */
export async function getMenuItems(db: Queryable, ids: readonly string[]): Promise<Map<string, OrderableItem>> {
  const { rows } = await db.query<MenuItemRow>(`${menuItemSelect} WHERE i.id = ANY($1::uuid[])`, [ids]);
  return byId(rows);
}

/**
 * Marks a menu item available or not (the kitchen "86es" a dish) and, when that changes
 * anything, appends `menu.availability` in the same transaction. Archived items are not on
 * the menu, so they are not found.
 */
export async function setAvailability(
  client: DbClient,
  menuItemId: string,
  available: boolean,
  deviceId: string,
  now: Date,
): Promise<MenuItem | undefined> {
  const { rows } = await client.query<{ station: string; was: boolean }>(
    `UPDATE menu_items m SET available = $2, updated_at = CASE WHEN old.was = $2 THEN m.updated_at ELSE $3 END
       FROM (SELECT id, available AS was FROM menu_items WHERE id = $1 AND archived_at IS NULL FOR UPDATE) old
      WHERE m.id = old.id
     RETURNING m.station, old.was`,
    [menuItemId, available, now.toISOString()],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (row.was !== available) {
    await appendEvents(client, [
      { type: 'menu.availability', data: { menuItemId, available }, station: row.station, deviceId },
    ]);
  }
  const item = (await getMenuItems(client, [menuItemId])).get(menuItemId);
  if (!item) return undefined;
  // `archived` is for the order check only; the wire shape is MenuItem's.
  const { archived: _archived, ...menuItem } = item;
  return menuItem;
}
