import {
  checkModifierChoices,
  limits,
  unitPriceCents,
  type ChosenModifier,
  type ItemResponse,
  type PatchItemRequest,
} from '@chit/shared';
import { chosenModifiers } from '../../domain/cart.js';
import type { ChitDb, ItemRow } from '../schema.js';
import { foldableCreate, refoldCreate } from './createOrder.js';
import type { Ctx, MutationDef, WriteResult } from './define.js';
import { itemOf, itemRequest, itemWrite, queueItemChange, type ItemOf } from './item.js';

/** The waiter's change of an item: quantity, note, size and toppings (while queued), or served. */
export interface PatchItemArgs extends ItemOf {
  patch: Pick<PatchItemRequest, 'quantity' | 'note'> & { status?: 'served'; modifierOptionIds?: string[] };
  /**
   * The new choices as priced against this device's menu, shown on the row until the
   * server answers with its own pricing. Not sent: the server prices from its menu.
   */
  choices?: { modifiers: ChosenModifier[]; unitPriceCents: number };
  staffName: string;
}

export interface ItemChange {
  quantity?: number;
  note?: string;
  /** All the item's choices after the change (only while it is queued). */
  modifierOptionIds?: string[];
  served?: boolean;
}

function sameChoices(row: ItemRow, optionIds: readonly string[]): boolean {
  const have = new Set(row.modifiers.map((m) => m.optionId));
  return have.size === new Set(optionIds).size && optionIds.every((id) => have.has(id));
}

export async function changeItem(
  db: ChitDb,
  ctx: Ctx,
  itemId: string,
  change: ItemChange,
  staffName: string,
): Promise<WriteResult> {
  return db.transaction('rw', [db.items, db.orders, db.outbox, db.menu], async () => {
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
    let choices: PatchItemArgs['choices'];
    if (change.modifierOptionIds !== undefined && !sameChoices(row, change.modifierOptionIds)) {
      if (row.status !== 'queued') {
        return {
          ok: false,
          message: `The kitchen has already started ${row.name}: void it and add a new line to change its size or toppings.`,
        };
      }
      const menuItem = (await db.menu.get('menu'))?.menu.items.find((i) => i.id === row.menuItemId);
      if (!menuItem)
        return { ok: false, message: `${row.name} is not on this tablet's menu; its choices cannot change.` };
      const problem = checkModifierChoices(menuItem, change.modifierOptionIds)[0];
      if (problem) return { ok: false, message: problem.message };
      patch.modifierOptionIds = [...change.modifierOptionIds];
      choices = {
        modifiers: chosenModifiers(menuItem, change.modifierOptionIds),
        unitPriceCents: unitPriceCents(menuItem, change.modifierOptionIds),
      };
    }
    if (change.served) {
      if (row.status !== 'ready') return { ok: false, message: 'Only a ready item can be served.' };
      patch.status = 'served';
    }
    if (
      patch.quantity === undefined &&
      patch.note === undefined &&
      patch.status === undefined &&
      patch.modifierOptionIds === undefined
    )
      return { ok: true };

    if (row.sync === 'local') {
      const create = await foldableCreate(db, row.orderId);
      if (create) {
        const items = create.mutation.args.items.map((item) =>
          item.id === itemId
            ? {
                ...item,
                quantity: patch.quantity ?? item.quantity,
                note: patch.note ?? item.note,
                modifierOptionIds: patch.modifierOptionIds ?? item.modifierOptionIds,
              }
            : item,
        );
        await refoldCreate(db, ctx, create, items);
        await db.items.update(itemId, {
          quantity: patch.quantity ?? row.quantity,
          note: patch.note ?? row.note,
          ...(choices ?? {}),
        });
        return { ok: true };
      }
    }
    const args: PatchItemArgs = { ...itemOf(row), patch, ...(choices ? { choices } : {}), staffName: staffName.trim() };
    return queueItemChange(db, ctx, row, { name: 'patchItem', args });
  });
}

export const mutation = {
  name: 'patchItem',
  apply: (db, ctx, input) => changeItem(db, ctx, input.itemId, input.change, ctx.staffName),
  ...itemWrite,
  request: itemRequest('PATCH', (args) => ({ ...args.patch, staffName: args.staffName }) satisfies PatchItemRequest),
  refusal: 'park',
  onItem(row, { patch, choices }) {
    // A finished item stays finished: the server will refuse the write.
    const final = row.status === 'voided' || row.status === 'served';
    // New choices show only while queued: once the kitchen started it, the server refuses them.
    const rechoose = choices !== undefined && row.status === 'queued';
    return {
      ...row,
      ...(rechoose ? { modifiers: choices.modifiers, unitPriceCents: choices.unitPriceCents } : {}),
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
      args.choices ? args.choices.modifiers.map((m) => m.name).join(', ') || 'no options' : null,
    ]
      .filter(Boolean)
      .join(', ');
    return `Change · ${names.place} · ${names.item(args.itemId)}: ${what}`;
  },
} satisfies MutationDef<'patchItem', PatchItemArgs, { itemId: string; change: ItemChange }, ItemResponse>;
