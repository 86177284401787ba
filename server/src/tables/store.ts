import type { Table } from '@chit/shared';
import type { DbClient, Pool } from '../db/pool.js';

type Queryable = Pool | DbClient;

export async function listTables(db: Queryable): Promise<Table[]> {
  const { rows } = await db.query<Table>(`SELECT id, number, label, area FROM dining_tables ORDER BY number`);
  return rows;
}

export async function tableExists(db: Queryable, tableId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM dining_tables WHERE id = $1`, [tableId]);
  return rows.length > 0;
}
