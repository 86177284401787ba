import type { RemovalResponse, Table, TableCleared, TableInput, TablePatch } from '@chit/shared';
import type { z } from 'zod';
import { pgCode, type DbClient, type Queryable } from '../db/pool.js';
import { removeUnlessInUse, type RemovalCheck } from '../db/removal.js';
import { appendEvents } from '../events/store.js';
import { Conflict, NotFound } from '../http/errors.js';
import type { Actor } from '../actor.js';

const tableColumns = 'id, number, label, area';

/** The restaurant's tables; removed (archived) ones are not listed. */
export async function listTables(db: Queryable): Promise<Table[]> {
  const { rows } = await db.query<Table>(
    `SELECT ${tableColumns} FROM dining_tables WHERE archived_at IS NULL ORDER BY number`,
  );
  return rows;
}

/** Removed tables still exist for reading their past orders. */
export async function tableExists(db: Queryable, tableId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM dining_tables WHERE id = $1`, [tableId]);
  return rows.length > 0;
}

/** Every table ever made, removed ones included: what orders are checked against. */
export async function listTableStates(db: Queryable): Promise<Map<string, { number: number; archived: boolean }>> {
  const { rows } = await db.query<{ id: string; number: number; archived: boolean }>(
    `SELECT id, number, archived_at IS NOT NULL AS archived FROM dining_tables`,
  );
  return new Map(rows.map((row) => [row.id, { number: row.number, archived: row.archived }]));
}

export const tableNotFound = (id: string) => new NotFound('table_not_found', `There is no table ${id}.`);

function numberTaken(err: unknown, number: number | undefined): unknown {
  if (pgCode(err) === '23505') {
    return new Conflict('table_number_taken', `There is already a table ${number}. Choose another number.`);
  }
  return err;
}

export async function createTable(client: DbClient, input: z.output<typeof TableInput>, actor: Actor): Promise<Table> {
  let table: Table;
  try {
    const { rows } = await client.query<Table>(
      `INSERT INTO dining_tables (number, label, area, updated_by_device_id, updated_by_staff_name)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${tableColumns}`,
      [input.number, input.label ?? `Table ${input.number}`, input.area, actor.device.id, actor.staffName],
    );
    table = rows[0]!;
  } catch (err) {
    throw numberTaken(err, input.number);
  }
  await appendEvents(client, [{ type: 'tables.changed', data: { tableId: table.id }, deviceId: actor.device.id }]);
  return table;
}

/** Renumbers, renames or moves a table to another area (null: none). */
export async function updateTable(
  client: DbClient,
  id: string,
  patch: z.output<typeof TablePatch>,
  actor: Actor,
  now: Date,
): Promise<Table> {
  let table: Table | undefined;
  try {
    const { rows } = await client.query<Table>(
      `UPDATE dining_tables
          SET number = coalesce($2, number), label = coalesce($3, label),
              area = CASE WHEN $4 THEN $5 ELSE area END,
              updated_at = $6, updated_by_device_id = $7, updated_by_staff_name = $8
        WHERE id = $1 AND archived_at IS NULL
       RETURNING ${tableColumns}`,
      [
        id,
        patch.number ?? null,
        patch.label ?? null,
        patch.area !== undefined,
        patch.area ?? null,
        now,
        actor.device.id,
        actor.staffName,
      ],
    );
    table = rows[0];
  } catch (err) {
    throw numberTaken(err, patch.number);
  }
  if (!table) throw tableNotFound(id);
  await appendEvents(client, [
    { type: 'tables.changed', data: { tableId: id }, tableId: id, deviceId: actor.device.id },
  ]);
  return table;
}

/**
 * Removes a table, refusing while it has open items (409 `table_has_open_items`). A table
 * that ever had orders is archived (the orders keep pointing at it); others are deleted.
 * The row lock makes this and a new order for the table take turns (orders take FOR SHARE).
 */
export async function removeTable(client: DbClient, id: string, actor: Actor, now: Date): Promise<RemovalResponse> {
  const { rows } = await client.query<RemovalCheck & { number: number }>(
    `SELECT t.number,
            (SELECT count(*) FROM order_items i
              WHERE i.table_id = t.id AND i.status IN ('queued', 'cooking', 'ready'))::int AS in_use,
            EXISTS (SELECT 1 FROM orders o WHERE o.table_id = t.id) AS referenced
       FROM (SELECT id, number FROM dining_tables WHERE id = $1 AND archived_at IS NULL FOR UPDATE) t`,
    [id],
  );
  const outcome = await removeUnlessInUse(client, 'dining_tables', id, rows[0], actor, now, {
    notFound: tableNotFound,
    inUse: ({ number, in_use: open }) =>
      new Conflict(
        'table_has_open_items',
        `Table ${number} still has ${open} open item${open === 1 ? '' : 's'}. Serve or void them first.`,
      ),
  });
  await appendEvents(client, [{ type: 'tables.changed', data: { tableId: id }, deviceId: actor.device.id }]);
  return { id, outcome };
}

/**
 * The party at the table left: from `now` on, the table's items are only those not yet
 * served and those served after it (see listTableItems). Refuses a removed table. Clearing
 * an empty table, or again, is harmless: it just moves the moment.
 */
export async function clearTable(client: DbClient, id: string, actor: Actor, now: Date): Promise<TableCleared> {
  const { rows } = await client.query<{ cleared_at: string }>(
    `INSERT INTO table_clears (table_id, cleared_at, cleared_by_device_id, cleared_by_staff_name)
     SELECT id, $2, $3, $4 FROM dining_tables WHERE id = $1 AND archived_at IS NULL
     ON CONFLICT (table_id) DO UPDATE
       SET cleared_at = excluded.cleared_at, cleared_by_device_id = excluded.cleared_by_device_id,
           cleared_by_staff_name = excluded.cleared_by_staff_name, updated_at = excluded.cleared_at
     RETURNING cleared_at`,
    [id, now, actor.device.id, actor.staffName],
  );
  if (!rows[0]) throw tableNotFound(id);
  const cleared: TableCleared = { tableId: id, clearedAt: rows[0].cleared_at };
  await appendEvents(client, [{ type: 'table.cleared', data: cleared, tableId: id, deviceId: actor.device.id }]);
  return cleared;
}
