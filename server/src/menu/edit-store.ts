import { type MenuItem, type RemovalResponse } from '@chit/shared';
import sql, { join, raw } from 'sql-template-tag';
import type { DbClient } from '../db/pool.js';
import { archiveOrDelete } from '../db/removal.js';
import { appendEvents } from '../events/store.js';
import type { Actor } from '../actor.js';
import { checkCategory } from './category-store.js';
import {
  availabilityChanged,
  lockItem,
  menuChanged,
  readItem,
  touchItem,
  type MenuItemIn,
  type MenuItemPatchIn,
} from './edit-common.js';
import { insertGroup, replaceGroups } from './group-store.js';

// The manager's edits of dishes (their groups: group-store.ts; categories: category-store.ts).

export async function createMenuItem(client: DbClient, input: MenuItemIn, actor: Actor): Promise<MenuItem> {
  await checkCategory(client, input.categoryId);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO menu_items (category_id, name, description, price_cents, prep_minutes, station, available,
                             allergens, sort, updated_by_device_id, updated_by_staff_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
             coalesce($9, (SELECT coalesce(max(sort) + 1, 0) FROM menu_items WHERE category_id = $1 AND archived_at IS NULL)),
             $10, $11)
     RETURNING id`,
    [
      input.categoryId,
      input.name,
      input.description,
      input.priceCents,
      input.prepMinutes,
      input.station,
      input.available,
      input.allergens,
      input.sort ?? null,
      actor.device.id,
      actor.staffName,
    ],
  );
  const id = rows[0]!.id;
  for (const group of input.modifierGroups) await insertGroup(client, id, group);
  await appendEvents(client, [menuChanged(actor, id, input.categoryId)]);
  return readItem(client, id);
}

const itemPatchColumns = {
  categoryId: 'category_id',
  name: 'name',
  description: 'description',
  priceCents: 'price_cents',
  prepMinutes: 'prep_minutes',
  station: 'station',
  available: 'available',
  allergens: 'allergens',
  sort: 'sort',
} as const satisfies Partial<Record<keyof MenuItemPatchIn, string>>;

export async function updateMenuItem(
  client: DbClient,
  id: string,
  patch: MenuItemPatchIn,
  actor: Actor,
  now: Date,
): Promise<MenuItem> {
  const before = await lockItem(client, id);
  if (patch.categoryId !== undefined) await checkCategory(client, patch.categoryId);
  // The column names are the constants above; only the values come from the request.
  const sets = (Object.entries(itemPatchColumns) as [keyof typeof itemPatchColumns, string][])
    .filter(([field]) => patch[field] !== undefined)
    .map(([field, column]) => sql`${raw(column)} = ${patch[field]}`);
  if (sets.length > 0) await client.query(sql`UPDATE menu_items SET ${join(sets, ', ')} WHERE id = ${id}`);
  if (patch.modifierGroups !== undefined) await replaceGroups(client, id, patch.modifierGroups);
  await touchItem(client, id, actor, now);
  const item = await readItem(client, id);
  const events = [menuChanged(actor, id, item.categoryId)];
  if (item.available !== before.available) events.push(availabilityChanged(actor, id, item.available, item.station));
  await appendEvents(client, events);
  return item;
}

/**
 * Dishes that were ever ordered are archived (order items point at them, and the bill
 * keeps their name); others are deleted with their modifier groups. Either way the tablets
 * hear it is no longer available, so an order waiting on one is refused with its name.
 */
export async function removeMenuItem(client: DbClient, id: string, actor: Actor, now: Date): Promise<RemovalResponse> {
  const before = await lockItem(client, id);
  const { rows } = await client.query(`SELECT 1 FROM order_items WHERE menu_item_id = $1 LIMIT 1`, [id]);
  const outcome = await archiveOrDelete(client, 'menu_items', id, rows.length > 0, actor, now);
  const events = [menuChanged(actor, id, before.category_id)];
  if (before.available) events.push(availabilityChanged(actor, id, false, before.station));
  await appendEvents(client, events);
  return { id, outcome };
}
