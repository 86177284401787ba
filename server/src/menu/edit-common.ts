import {
  type CategoryInput,
  type CategoryPatch,
  type MenuItem,
  type MenuItemInput,
  type MenuItemPatch,
  type ModifierGroupEdit,
  type ModifierGroupInput,
  type ModifierGroupPatch,
} from '@chit/shared';
import type { z } from 'zod';
import type { DbClient } from '../db/pool.js';
import { type NewEvent } from '../events/store.js';
import { NotFound } from '../http/errors.js';
import type { Actor } from '../actor.js';
import { getMenuItems } from './store.js';

// What the menu editor's stores share: the inputs as the routes parsed them, the events
// every edit sends, and reading, locking and stamping a dish.

// Inputs as the routes have parsed them (defaults applied).
export type CategoryIn = z.output<typeof CategoryInput>;

export type CategoryPatchIn = z.output<typeof CategoryPatch>;

export type MenuItemIn = z.output<typeof MenuItemInput>;

export type MenuItemPatchIn = z.output<typeof MenuItemPatch>;

export type GroupIn = z.output<typeof ModifierGroupInput>;

export type GroupPatchIn = z.output<typeof ModifierGroupPatch>;
export type GroupEditIn = z.output<typeof ModifierGroupEdit>;

/**
 * Every menu edit tells the tablets to reload the menu; availability changes also go out
 * as `menu.availability`, which the kitchen and the order screens act on directly.
 */
export function menuChanged(actor: Actor, menuItemId: string | null, categoryId: string | null): NewEvent {
  return { type: 'menu.changed', data: { menuItemId, categoryId }, deviceId: actor.device.id };
}

export function availabilityChanged(actor: Actor, menuItemId: string, available: boolean, station: string): NewEvent {
  return { type: 'menu.availability', data: { menuItemId, available }, station, deviceId: actor.device.id };
}

export const categoryNotFound = (id: string) => new NotFound('category_not_found', `There is no category ${id}.`);

export const itemNotFound = (id: string) => new NotFound('menu_item_not_found', `There is no menu item ${id}.`);

export const groupNotFound = (id: string) =>
  new NotFound('modifier_group_not_found', `There is no modifier group ${id}.`);

export async function readItem(client: DbClient, id: string): Promise<MenuItem> {
  const item = (await getMenuItems(client, [id])).get(id);
  if (!item) throw itemNotFound(id);
  const { archived: _archived, ...menuItem } = item;
  return menuItem;
}

export interface LockedItem {
  category_id: string;
  station: string;
  available: boolean;
}

export async function lockItem(client: DbClient, id: string): Promise<LockedItem> {
  const { rows } = await client.query<LockedItem>(
    `SELECT category_id, station, available FROM menu_items WHERE id = $1 AND archived_at IS NULL FOR UPDATE`,
    [id],
  );
  if (!rows[0]) throw itemNotFound(id);
  return rows[0];
}

/** Stamps who changed the dish last (its groups and options included). */
export async function touchItem(client: DbClient, id: string, actor: Actor, now: Date): Promise<void> {
  await client.query(
    `UPDATE menu_items SET updated_at = $2, updated_by_device_id = $3, updated_by_staff_name = $4 WHERE id = $1`,
    [id, now, actor.device.id, actor.staffName],
  );
}
