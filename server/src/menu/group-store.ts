import { modifierGroupProblems, type MenuItem } from '@chit/shared';
import type { DbClient } from '../db/pool.js';
import { appendEvents } from '../events/store.js';
import { ValidationFailed } from '../http/errors.js';
import type { Actor } from '../actor.js';
import {
  groupNotFound,
  lockItem,
  menuChanged,
  readItem,
  touchItem,
  type GroupIn,
  type GroupEditIn,
  type GroupPatchIn,
} from './edit-common.js';

// The manager's edits of a dish's modifier groups and their options.

export async function insertGroup(client: DbClient, menuItemId: string, group: GroupIn): Promise<void> {
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

/**
 * A group's whole new list of options: options listed with their id keep it (so an order
 * waiting on a tablet still matches), new ones are added, the rest removed; each sorts by
 * its place in the list. The caller has checked that listed ids belong to the group.
 */
async function replaceOptions(client: DbClient, groupId: string, options: GroupIn['options']): Promise<void> {
  const kept = options.flatMap((o, sort) => (o.id === undefined ? [] : [{ ...o, id: o.id, sort }]));
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
  for (const [sort, option] of options.entries()) {
    if (option.id === undefined) await insertOptions(client, groupId, [option], sort);
  }
}

/**
 * The dish's whole list of groups, as its editor saves it with the dish: groups listed by
 * id are edited (and take their place in the list), new ones are added, unlisted ones
 * removed. An id that is not one of this dish's groups, or an option id not of its group,
 * is refused before anything is written.
 */
export async function replaceGroups(client: DbClient, menuItemId: string, groups: GroupEditIn[]): Promise<void> {
  const { rows } = await client.query<{ id: string; option_ids: string[] }>(
    `SELECT g.id, coalesce((SELECT array_agg(o.id) FROM modifier_options o WHERE o.group_id = g.id), '{}') AS option_ids
       FROM modifier_groups g WHERE g.menu_item_id = $1`,
    [menuItemId],
  );
  const known = new Map(rows.map((row) => [row.id, new Set(row.option_ids)]));
  const problems: { path: string; message: string }[] = [];
  groups.forEach((group, g) => {
    const options = group.id === undefined ? new Set<string>() : known.get(group.id);
    if (group.id !== undefined && options === undefined) {
      problems.push({ path: `modifierGroups.${g}.id`, message: `Group ${group.id} is not one of this dish's.` });
      return;
    }
    group.options.forEach((option, o) => {
      if (option.id !== undefined && !options?.has(option.id)) {
        problems.push({
          path: `modifierGroups.${g}.options.${o}.id`,
          message: `Option ${option.id} is not in this group.`,
        });
      }
    });
  });
  if (problems.length > 0) {
    throw new ValidationFailed('validation_failed', `The modifier groups are not valid. ${problems[0]!.message}`, {
      details: problems,
    });
  }
  const listed = groups.flatMap((group) => (group.id === undefined ? [] : [group.id]));
  await client.query(`DELETE FROM modifier_groups WHERE menu_item_id = $1 AND NOT (id = ANY($2::uuid[]))`, [
    menuItemId,
    listed,
  ]);
  for (const [sort, group] of groups.entries()) {
    if (group.id === undefined) {
      await insertGroup(client, menuItemId, { ...group, sort, staffName: '' });
      continue;
    }
    await client.query(
      `UPDATE modifier_groups SET name = $2, min_choices = $3, max_choices = $4, sort = $5 WHERE id = $1`,
      [group.id, group.name, group.minChoices, group.maxChoices, sort],
    );
    await replaceOptions(client, group.id, group.options);
  }
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
  if (patch.options !== undefined) await replaceOptions(client, groupId, patch.options);
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
