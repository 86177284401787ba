import { limits, type Customer } from '@chit/shared';
import { addToLines, type CartChoice } from '../domain/cart.js';
import type { Ctx } from './mutations/define.js';
import type { ChitDb, DraftRow } from './schema.js';

/**
 * The device's own writes that the server never hears: the carts of tables and the drafts
 * of takeaway and delivery orders. Writes the server hears are mutations (db/mutations).
 */

// ---------------------------------------------------------------------------------------------
// Cart: a table's, or a draft's (see DraftRow)

export async function addToCart(db: ChitDb, ctx: Ctx, cartId: string, choice: CartChoice): Promise<void> {
  await db.transaction('rw', db.cart, async () => {
    const lines = await db.cart.where('cartId').equals(cartId).sortBy('addedAt');
    const { changed } = addToLines(lines, choice, (line) => ({
      ...line,
      id: ctx.uuid(),
      cartId,
      addedAt: ctx.now(),
    }));
    await db.cart.put(changed);
  });
}

export async function setCartQuantity(db: ChitDb, lineId: string, quantity: number): Promise<void> {
  if (quantity <= 0) {
    await db.cart.delete(lineId);
    return;
  }
  await db.cart.update(lineId, { quantity: Math.min(limits.maxQuantity, Math.round(quantity)) });
}

export async function clearCart(db: ChitDb, cartId: string): Promise<void> {
  await db.cart.where('cartId').equals(cartId).delete();
}

/**
 * Starts a takeaway or delivery order (or, given its id, changes who it is for). Nothing
 * is sent until its cart is: returns the draft's id, which is the order's id to be.
 */
export async function saveDraft(
  db: ChitDb,
  ctx: Ctx,
  draft: Pick<DraftRow, 'type' | 'customer'> & { id?: string },
): Promise<string> {
  const id = draft.id ?? ctx.uuid();
  const customer: Customer =
    draft.type === 'delivery' ? draft.customer : { name: draft.customer.name, address: null, phone: null };
  await db.transaction('rw', db.drafts, async () => {
    // A changed customer keeps the draft's place in the list.
    const createdAt = (await db.drafts.get(id))?.createdAt ?? ctx.now();
    await db.drafts.put({ id, type: draft.type, customer, createdAt });
  });
  return id;
}

/** Drops a takeaway or delivery order that was never sent, with its cart. */
export async function discardDraft(db: ChitDb, id: string): Promise<void> {
  await db.transaction('rw', [db.drafts, db.cart], async () => {
    await db.drafts.delete(id);
    await clearCart(db, id);
  });
}
