import {
  modifierGroupProblems,
  type Category,
  type CategoryInput,
  type CategoryPatch,
  type MenuItem,
  type MenuItemInput,
  type MenuItemPatch,
  type ModifierGroupInput,
  type ModifierGroupPatch,
  type RemovalResponse,
} from '@chit/shared';
import type { z } from 'zod';
import sql, { join, raw } from 'sql-template-tag';
import type { DbClient } from '../db/pool.js';
import { appendEvents, type NewEvent } from '../events/store.js';
import { Conflict, NotFound, Unprocessable, ValidationFailed } from '../http/errors.js';
import type { Actor } from '../actor.js';
import { getMenuItems } from './store.js';

// Inputs as the routes have parsed them (defaults applied).
type CategoryIn = z.output<typeof CategoryInput>;
type CategoryPatchIn = z.output<typeof CategoryPatch>;
type MenuItemIn = z.output<typeof MenuItemInput>;
type MenuItemPatchIn = z.output<typeof MenuItemPatch>;
type GroupIn = z.output<typeof ModifierGroupInput>;
type GroupPatchIn = z.output<typeof ModifierGroupPatch>;

/**
 * Every menu edit tells the tablets to reload the menu; availability changes also go out
 * as `menu.availability`, which the kitchen and the order screens act on directly.
 */
function menuChanged(actor: Actor, menuItemId: string | null, categoryId: string | null): NewEvent {
  return { type: 'menu.changed', data: { menuItemId, categoryId }, deviceId: actor.device.id };
}

function availabilityChanged(actor: Actor, menuItemId: string, available: boolean, station: string): NewEvent {
  return { type: 'menu.availability', data: { menuItemId, available }, station, deviceId: actor.device.id };
}

const categoryNotFound = (id: string) => new NotFound('category_not_found', `There is no category ${id}.`);
const itemNotFound = (id: string) => new NotFound('menu_item_not_found', `There is no menu item ${id}.`);
const groupNotFound = (id: string) => new NotFound('modifier_group_not_found', `There is no modifier group ${id}.`);

export async function createCategory(client: DbClient, input: CategoryIn, actor: Actor): Promise<Category> {
  const { rows } = await client.query<Category>(
    `INSERT INTO categories (name, sort, updated_by_device_id, updated_by_staff_name)
     VALUES ($1, $2, $3, $4) RETURNING id, name, sort`,
    [input.name, input.sort, actor.device.id, actor.staffName],
  );
  const category = rows[0]!;
  await appendEvents(client, [menuChanged(actor, null, category.id)]);
  return category;
}

export async function updateCategory(
  client: DbClient,
  id: string,
  patch: CategoryPatchIn,
  actor: Actor,
  now: Date,
): Promise<Category> {
  const { rows } = await client.query<Category>(
    `UPDATE categories SET name = coalesce($2, name), sort = coalesce($3, sort), updated_at = $4,
            updated_by_device_id = $5, updated_by_staff_name = $6
      WHERE id = $1 AND archived_at IS NULL
     RETURNING id, name, sort`,
    [id, patch.name ?? null, patch.sort ?? null, now, actor.device.id, actor.staffName],
  );
  if (!rows[0]) throw categoryNotFound(id);
  await appendEvents(client, [menuChanged(actor, null, id)]);
  return rows[0];
}

/**
 * A category with dishes on the menu cannot go (409 `category_not_empty`); one holding only
 * archived dishes is archived with them; an empty one is deleted.
 */
export async function removeCategory(client: DbClient, id: string, actor: Actor, now: Date): Promise<RemovalResponse> {
  const { rows } = await client.query<{ live: number; archived: number }>(
    `SELECT count(i.id) FILTER (WHERE i.archived_at IS NULL)::int AS live,
            count(i.id) FILTER (WHERE i.archived_at IS NOT NULL)::int AS archived
       FROM (SELECT id FROM categories WHERE id = $1 AND archived_at IS NULL FOR UPDATE) c
       LEFT JOIN menu_items i ON i.category_id = c.id
      GROUP BY c.id`,
    [id],
  );
  const counts = rows[0];
  if (!counts) throw categoryNotFound(id);
  if (counts.live > 0) {
    throw new Conflict(
      'category_not_empty',
      `This category still has ${counts.live} dish${counts.live === 1 ? '' : 'es'} on the menu. Move or remove them first.`,
    );
  }
  let outcome: RemovalResponse['outcome'];
  if (counts.archived > 0) {
    await client.query(
      `UPDATE categories SET archived_at = $2, updated_at = $2, updated_by_device_id = $3, updated_by_staff_name = $4
        WHERE id = $1`,
      [id, now, actor.device.id, actor.staffName],
    );
    outcome = 'archived';
  } else {
    await client.query(`DELETE FROM categories WHERE id = $1`, [id]);
    outcome = 'deleted';
  }
  await appendEvents(client, [menuChanged(actor, null, id)]);
  return { id, outcome };
}

/** Refuses a category that does not exist or was removed: the item would be invisible. */
async function checkCategory(client: DbClient, categoryId: string): Promise<void> {
  const { rows } = await client.query(`SELECT 1 FROM categories WHERE id = $1 AND archived_at IS NULL FOR SHARE`, [
    categoryId,
  ]);
  if (rows.length === 0) {
    throw new Unprocessable('category_not_found', `There is no category ${categoryId}.`, {
      details: [{ path: 'categoryId', message: 'No category has this id.' }],
    });
  }
}

async function insertGroup(client: DbClient, menuItemId: string, group: GroupIn): Promise<void> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO modifier_groups (menu_item_id, name, min_choices, max_choices, sort)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [menuItemId, group.name, group.minChoices, group.maxChoices, group.sort],
  );
  await insertOptions(client, rows[0]!.id, group.options, 0);
}

async function insertOptions(
  client: DbClient,
  groupId: string,
  options: readonly { name: string; priceDeltaCents: number; isDefault: boolean }[],
  firstSort: number,
): Promise<void> {
  if (options.length === 0) return;
  await client.query(
    `INSERT INTO modifier_options (group_id, name, price_delta_cents, is_default, sort)
     SELECT $1, o.name, o.price_delta_cents, o.is_default, o.sort
       FROM jsonb_to_recordset($2::jsonb) AS o(name text, price_delta_cents integer, is_default boolean, sort integer)`,
    [
      groupId,
      JSON.stringify(
        options.map((o, i) => ({
          name: o.name,
          price_delta_cents: o.priceDeltaCents,
          is_default: o.isDefault,
          sort: firstSort + i,
        })),
      ),
    ],
  );
}

async function readItem(client: DbClient, id: string): Promise<MenuItem> {
  const item = (await getMenuItems(client, [id])).get(id);
  if (!item) throw itemNotFound(id);
  const { archived: _archived, ...menuItem } = item;
  return menuItem;
}

export async function createMenuItem(client: DbClient, input: MenuItemIn, actor: Actor): Promise<MenuItem> {
  await checkCategory(client, input.categoryId);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO menu_items (category_id, name, description, price_cents, prep_minutes, station, available,
                             allergens, sort, updated_by_device_id, updated_by_staff_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      input.categoryId,
      input.name,
      input.description,
      input.priceCents,
      input.prepMinutes,
      input.station,
      input.available,
      input.allergens,
      input.sort,
      actor.device.id,
      actor.staffName,
    ],
  );
  const id = rows[0]!.id;
  for (const group of input.modifierGroups) await insertGroup(client, id, group);
  await appendEvents(client, [menuChanged(actor, id, input.categoryId)]);
  return readItem(client, id);
}

interface LockedItem {
  category_id: string;
  station: string;
  available: boolean;
}

async function lockItem(client: DbClient, id: string): Promise<LockedItem> {
  const { rows } = await client.query<LockedItem>(
    `SELECT category_id, station, available FROM menu_items WHERE id = $1 AND archived_at IS NULL FOR UPDATE`,
    [id],
  );
  if (!rows[0]) throw itemNotFound(id);
  return rows[0];
}

/** Stamps who changed the dish last (its groups and options included). */
async function touchItem(client: DbClient, id: string, actor: Actor, now: Date): Promise<void> {
  await client.query(
    `UPDATE menu_items SET updated_at = $2, updated_by_device_id = $3, updated_by_staff_name = $4 WHERE id = $1`,
    [id, now, actor.device.id, actor.staffName],
  );
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
  let outcome: RemovalResponse['outcome'];
  if (rows.length > 0) {
    await client.query(
      `UPDATE menu_items SET archived_at = $2, available = false, updated_at = $2, updated_by_device_id = $3,
              updated_by_staff_name = $4
        WHERE id = $1`,
      [id, now, actor.device.id, actor.staffName],
    );
    outcome = 'archived';
  } else {
    await client.query(`DELETE FROM menu_items WHERE id = $1`, [id]);
    outcome = 'deleted';
  }
  const events = [menuChanged(actor, id, before.category_id)];
  if (before.available) events.push(availabilityChanged(actor, id, false, before.station));
  await appendEvents(client, events);
  return { id, outcome };
}

export async function addModifierGroup(
  client: DbClient,
  menuItemId: string,
  group: GroupIn,
  actor: Actor,
  now: Date,
): Promise<MenuItem> {
  const item = await lockItem(client, menuItemId);
  await insertGroup(client, menuItemId, group);
  await touchItem(client, menuItemId, actor, now);
  await appendEvents(client, [menuChanged(actor, menuItemId, item.category_id)]);
  return readItem(client, menuItemId);
}

interface LockedGroup {
  menu_item_id: string;
  category_id: string;
  min_choices: number;
  max_choices: number;
  option_ids: string[];
}

/**
 * Locks the dish a group belongs to (every edit of a dish's groups locks the dish first,
 * so they take turns and cannot deadlock), then reads the group. A group of an archived
 * dish is not found.
 */
async function lockGroup(client: DbClient, groupId: string): Promise<LockedGroup> {
  const owner = await client.query<{ menu_item_id: string }>(`SELECT menu_item_id FROM modifier_groups WHERE id = $1`, [
    groupId,
  ]);
  const menuItemId = owner.rows[0]?.menu_item_id;
  if (menuItemId === undefined) throw groupNotFound(groupId);
  const item = await client.query<{ category_id: string }>(
    `SELECT category_id FROM menu_items WHERE id = $1 AND archived_at IS NULL FOR UPDATE`,
    [menuItemId],
  );
  const { rows } = await client.query<Omit<LockedGroup, 'category_id'>>(
    `SELECT g.menu_item_id, g.min_choices, g.max_choices,
            coalesce((SELECT array_agg(o.id) FROM modifier_options o WHERE o.group_id = g.id), '{}') AS option_ids
       FROM modifier_groups g WHERE g.id = $1 AND g.menu_item_id = $2`,
    [groupId, menuItemId],
  );
  if (!item.rows[0] || !rows[0]) throw groupNotFound(groupId);
  return { ...rows[0], category_id: item.rows[0].category_id };
}

/**
 * Edits a group. `options`, when given, is the whole new list: options listed with their
 * id keep it (so an order waiting on a tablet still matches), new ones are added, the rest
 * removed. Ordered items keep their modifiers as they were (copied into the order).
 */
export async function updateModifierGroup(
  client: DbClient,
  groupId: string,
  patch: GroupPatchIn,
  actor: Actor,
  now: Date,
): Promise<MenuItem> {
  const group = await lockGroup(client, groupId);
  const merged = {
    minChoices: patch.minChoices ?? group.min_choices,
    maxChoices: patch.maxChoices ?? group.max_choices,
    optionCount: patch.options?.length ?? group.option_ids.length,
    ...(patch.options ? { defaultCount: patch.options.filter((o) => o.isDefault).length } : {}),
  };
  const problems = modifierGroupProblems(merged);
  const known = new Set(group.option_ids);
  patch.options?.forEach((option, index) => {
    if (option.id !== undefined && !known.has(option.id)) {
      problems.push({ path: `options.${index}.id`, message: `Option ${option.id} is not in this group.` });
    }
  });
  if (problems.length > 0) {
    throw new ValidationFailed('validation_failed', `The modifier group is not valid. ${problems[0]!.message}`, {
      details: problems,
    });
  }
  await client.query(
    `UPDATE modifier_groups SET name = coalesce($2, name), min_choices = $3, max_choices = $4,
            sort = coalesce($5, sort)
      WHERE id = $1`,
    [groupId, patch.name ?? null, merged.minChoices, merged.maxChoices, patch.sort ?? null],
  );
  if (patch.options !== undefined) {
    const kept = patch.options.flatMap((o, sort) => (o.id === undefined ? [] : [{ ...o, id: o.id, sort }]));
    await client.query(`DELETE FROM modifier_options WHERE group_id = $1 AND NOT (id = ANY($2::uuid[]))`, [
      groupId,
      kept.map((o) => o.id),
    ]);
    await client.query(
      `UPDATE modifier_options m
          SET name = o.name, price_delta_cents = o.price_delta_cents, is_default = o.is_default, sort = o.sort
         FROM jsonb_to_recordset($2::jsonb)
              AS o(id uuid, name text, price_delta_cents integer, is_default boolean, sort integer)
        WHERE m.id = o.id AND m.group_id = $1`,
      [
        groupId,
        JSON.stringify(
          kept.map((o) => ({
            id: o.id,
            name: o.name,
            price_delta_cents: o.priceDeltaCents,
            is_default: o.isDefault,
            sort: o.sort,
          })),
        ),
      ],
    );
    // New options keep their place in the list: sort by position, like the kept ones.
    for (const [sort, option] of patch.options.entries()) {
      if (option.id === undefined) await insertOptions(client, groupId, [option], sort);
    }
  }
  await touchItem(client, group.menu_item_id, actor, now);
  await appendEvents(client, [menuChanged(actor, group.menu_item_id, group.category_id)]);
  return readItem(client, group.menu_item_id);
}

export async function removeModifierGroup(
  client: DbClient,
  groupId: string,
  actor: Actor,
  now: Date,
): Promise<MenuItem> {
  const group = await lockGroup(client, groupId);
  await client.query(`DELETE FROM modifier_groups WHERE id = $1`, [groupId]);
  await touchItem(client, group.menu_item_id, actor, now);
  await appendEvents(client, [menuChanged(actor, group.menu_item_id, group.category_id)]);
  return readItem(client, group.menu_item_id);
}
