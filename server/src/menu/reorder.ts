import type { Category, MenuItem } from '@chit/shared';
import sql, { raw, type Sql } from 'sql-template-tag';
import type { DbClient } from '../db/pool.js';
import { appendEvents } from '../events/store.js';
import { Conflict, NotFound } from '../http/errors.js';
import type { Actor } from '../actor.js';
import { getMenuItems } from './store.js';

/*
 * The order of the menu, as the manager arranges it and the waiter's menu shows it: a
 * category's or a dish's `sort` is its place in the list the manager saved. Each reorder
 * names every member, so the one transaction that writes it can tell a list made from an
 * older menu (a dish added on another console meanwhile) and refuse it instead of leaving
 * the newcomer at a random place.
 */

function stale(what: string): Conflict {
  return new Conflict(
    'menu_order_stale',
    `The ${what} changed while you were arranging them (one was added or removed). Reload the menu and try again.`,
  );
}

/** Sets each listed row's `sort` to its place in `ids` (0, 1, …), stamped with who arranged them. */
function savePositions(table: 'categories' | 'menu_items', ids: string[], actor: Actor): Sql {
  return sql`UPDATE ${raw(table)} t SET sort = o.position - 1, updated_at = now(),
                    updated_by_device_id = ${actor.device.id}, updated_by_staff_name = ${actor.staffName}
               FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS o(id, position)
              WHERE t.id = o.id`;
}

/** The same ids, in any order. */
function sameMembers(listed: readonly string[], current: { id: string }[]): boolean {
  const now = new Set(current.map((row) => row.id));
  return listed.length === now.size && listed.every((id) => now.has(id));
}

export async function reorderCategories(client: DbClient, categoryIds: string[], actor: Actor): Promise<Category[]> {
  // Locked, so two consoles reordering at once take turns rather than interleave.
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM categories WHERE archived_at IS NULL ORDER BY id FOR UPDATE`,
  );
  if (!sameMembers(categoryIds, rows)) throw stale('categories');
  const updated = await client.query<Category>(
    sql`${savePositions('categories', categoryIds, actor)} RETURNING t.id, t.name, t.sort`,
  );
  await appendEvents(client, [
    { type: 'menu.changed', data: { menuItemId: null, categoryId: null }, deviceId: actor.device.id },
  ]);
  return updated.rows.sort((a, b) => a.sort - b.sort);
}

export async function reorderMenuItems(
  client: DbClient,
  categoryId: string,
  menuItemIds: string[],
  actor: Actor,
): Promise<MenuItem[]> {
  const category = await client.query(`SELECT 1 FROM categories WHERE id = $1 AND archived_at IS NULL FOR SHARE`, [
    categoryId,
  ]);
  if (category.rows.length === 0) throw new NotFound('category_not_found', `There is no category ${categoryId}.`);
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM menu_items WHERE category_id = $1 AND archived_at IS NULL ORDER BY id FOR UPDATE`,
    [categoryId],
  );
  if (!sameMembers(menuItemIds, rows)) throw stale('dishes of this category');
  await client.query(savePositions('menu_items', menuItemIds, actor));
  await appendEvents(client, [
    { type: 'menu.changed', data: { menuItemId: null, categoryId }, deviceId: actor.device.id },
  ]);
  const items = await getMenuItems(client, menuItemIds);
  return menuItemIds.map((id) => {
    const { archived: _archived, ...item } = items.get(id)!;
    return item;
  });
}
