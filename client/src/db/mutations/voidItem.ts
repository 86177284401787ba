import { limits, type ItemResponse, type VoidItemRequest } from '@chit/shared';
import type { ChitDb } from '../schema.js';
import { foldableCreate, refoldCreate } from './createOrder.js';
import type { Ctx, MutationDef, WriteResult } from './define.js';
import { itemOf, itemRequest, itemWrite, queueItemChange, type ItemOf } from './item.js';

/** An item taken back, with the reason the waiter gave (if any). */
export interface VoidItemArgs extends ItemOf {
  staffName: string;
  reason?: string;
}

export async function voidItem(
  db: ChitDb,
  ctx: Ctx,
  itemId: string,
  reason: string,
  staffName: string,
): Promise<WriteResult> {
  return db.transaction('rw', [db.items, db.orders, db.outbox], async () => {
    const row = await db.items.get(itemId);
    if (!row) return { ok: false, message: 'That item is gone.' };
    if (row.status === 'voided') return { ok: true };
    if (row.status === 'served') return { ok: false, message: 'A served item cannot be voided.' };

    if (row.sync === 'local') {
      const create = await foldableCreate(db, row.orderId);
      if (create) {
        // The kitchen never saw it: it simply leaves the order.
        const items = create.mutation.args.items.filter((item) => item.id !== itemId);
        await db.items.delete(itemId);
        if (items.length === 0) {
          await db.outbox.delete(create.seq);
          await db.orders.delete(row.orderId);
        } else {
          await refoldCreate(db, ctx, create, items);
        }
        return { ok: true };
      }
    }
    const args: VoidItemArgs = { ...itemOf(row), staffName: staffName.trim() };
    if (reason.trim() !== '') args.reason = reason.trim().slice(0, limits.maxNoteLength);
    return queueItemChange(db, ctx, row, { name: 'voidItem', args });
  });
}

export const mutation = {
  name: 'voidItem',
  apply: (db, ctx, input) => voidItem(db, ctx, input.itemId, input.reason, ctx.staffName),
  ...itemWrite,
  request: itemRequest(
    'DELETE',
    (args) =>
      ({
        staffName: args.staffName,
        ...(args.reason === undefined ? {} : { reason: args.reason }),
      }) satisfies VoidItemRequest,
  ),
  refusal: 'park',
  onItem: (row) => ({ ...row, status: 'voided' }),
  describe: (args, names) => `Void · ${names.place} · ${names.item(args.itemId)}`,
} satisfies MutationDef<'voidItem', VoidItemArgs, { itemId: string; reason: string }, ItemResponse>;
