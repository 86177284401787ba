import { type Category, type RemovalResponse } from '@chit/shared';
import type { DbClient } from '../db/pool.js';
import { removeUnlessInUse, type RemovalCheck } from '../db/removal.js';
import { appendEvents } from '../events/store.js';
import { Conflict, Unprocessable } from '../http/errors.js';
import type { Actor } from '../actor.js';
import { categoryNotFound, menuChanged, type CategoryIn, type CategoryPatchIn } from './edit-common.js';

// The manager's edits of categories.

export async function createCategory(client: DbClient, input: CategoryIn, actor: Actor): Promise<Category> {
  const { rows } = await client.query<Category>(
    `INSERT INTO categories (name, sort, updated_by_device_id, updated_by_staff_name)
     VALUES ($1, coalesce($2, (SELECT coalesce(max(sort) + 1, 0) FROM categories WHERE archived_at IS NULL)), $3, $4)
     RETURNING id, name, sort`,
    [input.name, input.sort ?? null, actor.device.id, actor.staffName],
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
  const { rows } = await client.query<RemovalCheck>(
    `SELECT count(i.id) FILTER (WHERE i.archived_at IS NULL)::int AS in_use,
            count(i.id) FILTER (WHERE i.archived_at IS NOT NULL) > 0 AS referenced
       FROM (SELECT id FROM categories WHERE id = $1 AND archived_at IS NULL FOR UPDATE) c
       LEFT JOIN menu_items i ON i.category_id = c.id
      GROUP BY c.id`,
    [id],
  );
  const outcome = await removeUnlessInUse(client, 'categories', id, rows[0], actor, now, {
    notFound: categoryNotFound,
    inUse: ({ in_use: dishes }) =>
      new Conflict(
        'category_not_empty',
        `This category still has ${dishes} dish${dishes === 1 ? '' : 'es'} on the menu. Move or remove them first.`,
      ),
  });
  await appendEvents(client, [menuChanged(actor, null, id)]);
  return { id, outcome };
}

/** Refuses a category that does not exist or was removed: the item would be invisible. */
export async function checkCategory(client: DbClient, categoryId: string): Promise<void> {
  const { rows } = await client.query(`SELECT 1 FROM categories WHERE id = $1 AND archived_at IS NULL FOR SHARE`, [
    categoryId,
  ]);
  if (rows.length === 0) {
    throw new Unprocessable('category_not_found', `There is no category ${categoryId}.`, {
      details: [{ path: 'categoryId', message: 'No category has this id.' }],
    });
  }
}
