import type { ItemResponse, ItemStatus, PatchItemRequest } from '@chit/shared';
import { recomputeItems } from '../merge.js';
import type { ChitDb } from '../schema.js';
import { newEntry, type Ctx, type MutationDef, type WriteResult } from './define.js';
import { itemOf, itemRequest, itemWrite, type ItemOf } from './item.js';

/** The kitchen moves an item to a status: a bump forward or a recall back. */
export interface BumpItemArgs extends ItemOf {
  status: StatusMove['to'];
  staffName?: string;
}

export interface StatusMove {
  itemId: string;
  /** The status the item should move to (a bump forward or a recall back). */
  to: 'queued' | 'cooking' | 'ready';
  /** The status it was in when the cook tapped: a move from anything else is skipped. */
  from: ItemStatus;
}

/**
 * The kitchen's bumps and recalls: one outbox write per item, the board showing the new
 * status at once (rebase applies pending status writes). Absolute statuses, so a replay is
 * harmless; a move whose item is no longer where the cook saw it is skipped here, and one
 * the server refuses (e.g. voided meanwhile) is dropped with a notice.
 */
export async function moveItems(
  db: ChitDb,
  ctx: Ctx,
  moves: readonly StatusMove[],
  staffName: string,
): Promise<WriteResult & { moved: StatusMove[] }> {
  return db.transaction('rw', [db.items, db.orders, db.outbox], async () => {
    const moved: StatusMove[] = [];
    for (const move of moves) {
      const row = await db.items.get(move.itemId);
      if (!row || row.status !== move.from || row.sync !== 'synced') continue;
      const args: BumpItemArgs = { ...itemOf(row), status: move.to };
      if (staffName.trim() !== '') args.staffName = staffName.trim();
      await db.outbox.add(newEntry(ctx, { name: 'bumpItem', args }, itemWrite.scope(args)));
      moved.push(move);
    }
    await recomputeItems(
      db,
      moved.map((m) => m.itemId),
    );
    return moved.length > 0 ? { ok: true, moved } : { ok: false, message: 'Nothing to bump.', moved };
  });
}

export const mutation = {
  name: 'bumpItem',
  apply: (db, ctx, moves) => moveItems(db, ctx, moves, ctx.staffName),
  ...itemWrite,
  request: itemRequest(
    'PATCH',
    (args) =>
      ({
        status: args.status,
        ...(args.staffName === undefined ? {} : { staffName: args.staffName }),
      }) satisfies PatchItemRequest,
  ),
  // Nobody can fix a bump of an item voided meanwhile: it goes, the board says why, and
  // the item's place is read again.
  refusal: 'drop',
  onItem: (row, args) =>
    // A finished item stays finished: the server will refuse the write.
    row.status === 'voided' || row.status === 'served' ? row : { ...row, status: args.status },
  describe: (args, names) => `Bump · ${names.place} · ${names.item(args.itemId)} → ${args.status}`,
} satisfies MutationDef<
  'bumpItem',
  BumpItemArgs,
  readonly StatusMove[],
  ItemResponse,
  WriteResult & { moved: StatusMove[] }
>;
