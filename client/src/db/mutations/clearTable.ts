import { ClearTableResponse, type ClearTableRequest } from '@chit/shared';
import { forgetClearedItems } from '../merge.js';
import type { ChitDb } from '../schema.js';
import { newEntry, type Ctx, type MutationDef, type WriteResult } from './define.js';

/** The party at a table left. */
export interface ClearTableArgs {
  tableId: string;
  staffName?: string;
}

/**
 * The party left: the table's served items leave this tablet now, and the server hears it
 * through the outbox (offline too). Dishes still to come stay on the table.
 */
export async function clearTable(db: ChitDb, ctx: Ctx, tableId: string, staffName: string): Promise<WriteResult> {
  return db.transaction('rw', [db.items, db.orders, db.outbox], async () => {
    await forgetClearedItems(db, { tableId, clearedAt: new Date(ctx.now()).toISOString() });
    const args: ClearTableArgs = { tableId };
    if (staffName.trim() !== '') args.staffName = staffName.trim();
    await db.outbox.add(newEntry(ctx, { name: 'clearTable', args }, mutation.scope(args)));
    return { ok: true };
  });
}

export const mutation = {
  name: 'clearTable',
  apply: (db, ctx, input) => clearTable(db, ctx, input.tableId, ctx.staffName),
  // Clears of one table keep their order; they hold no order's writes back.
  scope: (args) => ({ lane: `table:${args.tableId}`, orderId: null, tableId: args.tableId, itemId: null }),
  request: (args) => ({
    method: 'POST',
    path: `/api/tables/${encodeURIComponent(args.tableId)}/clear`,
    body: (args.staffName === undefined ? {} : { staffName: args.staffName }) satisfies ClearTableRequest,
  }),
  answer: ClearTableResponse,
  merge: (db, answer) => forgetClearedItems(db, answer.cleared),
  refusal: 'park',
  refresh: 'place',
  describe: (_args, names) => `Clear table · ${names.place}`,
} satisfies MutationDef<'clearTable', ClearTableArgs, { tableId: string }, ClearTableResponse>;
