import type { RemovalResponse } from '@chit/shared';
import type { DbClient } from './pool.js';
import type { Actor } from '../actor.js';
import type { Conflict, NotFound } from '../http/errors.js';

/**
 * The tables whose rows a manager removes, and what else archiving one means: an archived
 * dish is also no longer available, so the tablets stop offering it.
 */
const archiving = {
  categories: '',
  dining_tables: '',
  menu_items: ', available = false',
} as const;

/**
 * Removes a row the manager asked to remove: archived (kept, hidden from lists, stamped
 * with who and when) while something else still points at it (`referenced`), so orders
 * and bills keep their names; deleted otherwise.
 */
export async function archiveOrDelete(
  client: DbClient,
  table: keyof typeof archiving,
  id: string,
  referenced: boolean,
  actor: Actor,
  now: Date,
): Promise<RemovalResponse['outcome']> {
  if (!referenced) {
    await client.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
    return 'deleted';
  }
  await client.query(
    `UPDATE ${table} SET archived_at = $2${archiving[table]}, updated_at = $2, updated_by_device_id = $3,
            updated_by_staff_name = $4
      WHERE id = $1`,
    [id, now, actor.device.id, actor.staffName],
  );
  return 'archived';
}

/** What a removal reads with the row locked: the things in use that still need it, and whether anything refers to it. */
export interface RemovalCheck {
  in_use: number;
  referenced: boolean;
}

/**
 * Removes a row the caller has read and locked (`found`, undefined when there is none: a
 * 404): refused while things in use still need it (a 409), otherwise archived or deleted.
 */
export async function removeUnlessInUse<Found extends RemovalCheck>(
  client: DbClient,
  table: keyof typeof archiving,
  id: string,
  found: Found | undefined,
  actor: Actor,
  now: Date,
  refuse: { notFound: (id: string) => NotFound; inUse: (found: Found) => Conflict },
): Promise<RemovalResponse['outcome']> {
  if (!found) throw refuse.notFound(id);
  if (found.in_use > 0) throw refuse.inUse(found);
  return archiveOrDelete(client, table, id, found.referenced, actor, now);
}
