import { limits, type ItemResponse, type PatchItemRequest } from '@chit/shared';
import { entriesFor } from '../merge.js';
import type { ChitDb, ItemRow } from '../schema.js';
import { foldableCreate, refoldCreate } from './createOrder.js';
import type { Ctx, MutationDef, WriteResult } from './define.js';
import { itemPath, itemWrite, queueItemWrite, type ItemOf } from './item.js';

/** The waiter's change of an item: quantity, note, or served. */
export interface PatchItemArgs extends ItemOf {
  patch: Pick<PatchItemRequest, 'quantity' | 'note'> & { status?: 'served' };
  staffName: string;
}

export interface ItemChange {
  quantity?: number;
  note?: string;
  served?: boolean;
}

/** A newer write of the same item replaces a change the server refused: that is how it gets fixed. */
export async function dropRefusedChanges(db: ChitDb, row: ItemRow): Promise<void> {
  const superseded = (await entriesFor(db, row)).filter(
    (e) => e.mutation.name === 'patchItem' && e.itemId === row.id && e.state === 'refused',
  );
  await db.outbox.bulkDelete(superseded.map((e) => e.seq!));
}

export async function changeItem(
  db: ChitDb,
  ctx: Ctx,
  itemId: string,
  change: ItemChange,
  staffName: string,
): Promise<WriteResult> {
  return db.transaction('rw', [db.items, db.orders, db.outbox], async () => {
    const row = await db.items.get(itemId);
    if (!row) return { ok: false, message: 'That item is gone.' };
    if (row.status === 'voided' || row.status === 'served') {
      return { ok: false, message: `This item is ${row.status}; it can no longer be changed.` };
    }
    const patch: PatchItemArgs['patch'] = {};
    if (change.quantity !== undefined && change.quantity !== row.quantity) {
      if (!Number.isInteger(change.quantity) || change.quantity < 1 || change.quantity > limits.maxQuantity) {
        return { ok: false, message: `Quantity must be 1 to ${limits.maxQuantity}.` };
      }
      patch.quantity = change.quantity;
    }
    if (change.note !== undefined && change.note.trim() !== row.note) {
      if (change.note.trim().length > limits.maxNoteLength) {
        return { ok: false, message: `A note can be at most ${limits.maxNoteLength} characters.` };
      }
      patch.note = change.note.trim();
    }
    if (change.served) {
      if (row.status !== 'ready') return { ok: false, message: 'Only a ready item can be served.' };
      patch.status = 'served';
    }
    if (patch.quantity === undefined && patch.note === undefined && patch.status === undefined) return { ok: true };

    if (row.sync === 'local') {
      const create = await foldableCreate(db, row.orderId);
      if (create) {
        const items = create.mutation.args.items.map((item) =>
          item.id === itemId
            ? { ...item, quantity: patch.quantity ?? item.quantity, note: patch.note ?? item.note }
            : item,
        );
        await refoldCreate(db, ctx, create, items);
        await db.items.update(itemId, { quantity: patch.quantity ?? row.quantity, note: patch.note ?? row.note });
        return { ok: true };
      }
    }
    await dropRefusedChanges(db, row);
    const args: PatchItemArgs = {
      itemId,
      orderId: row.orderId,
      tableId: row.tableId,
      patch,
      staffName: staffName.trim(),
    };
    await queueItemWrite(db, ctx, { name: 'patchItem', args });
    return { ok: true };
  });
}

export const mutation = {
  name: 'patchItem',
  apply: (db, ctx, input) => changeItem(db, ctx, input.itemId, input.change, ctx.staffName),
  ...itemWrite,
  request: (args) => ({
    method: 'PATCH',
    path: itemPath(args),
    body: { ...args.patch, staffName: args.staffName } satisfies PatchItemRequest,
  }),
  refusal: 'park',
  onItem(row, { patch }) {
    // A finished item stays finished: the server will refuse the write.
    const final = row.status === 'voided' || row.status === 'served';
    return {
      ...row,
      quantity: patch.quantity ?? row.quantity,
      note: patch.note ?? row.note,
      status: final ? row.status : (patch.status ?? row.status),
    };
  },
  describe(args, names) {
    const what = [
      args.patch.status === 'served' ? 'served' : null,
      args.patch.quantity !== undefined ? `quantity ${args.patch.quantity}` : null,
      args.patch.note !== undefined ? `note “${args.patch.note}”` : null,
    ]
      .filter(Boolean)
      .join(', ');
    return `Change · ${names.place} · ${names.item(args.itemId)}: ${what}`;
  },
} satisfies MutationDef<'patchItem', PatchItemArgs, { itemId: string; change: ItemChange }, ItemResponse>;
