import { MenuItemResponse, type SetAvailabilityRequest } from '@chit/shared';
import { saveMenuItem } from '../cache.js';
import type { ChitDb } from '../schema.js';
import { newEntry, type Ctx, type MutationDef, type WriteResult } from './define.js';

/** 86 a dish, or bring it back. */
export interface SetAvailabilityArgs {
  menuItemId: string;
  available: boolean;
}

/** 86 a dish (or bring it back): the cached menu changes now, the server hears it via the outbox. */
export async function setAvailability(
  db: ChitDb,
  ctx: Ctx,
  menuItemId: string,
  available: boolean,
): Promise<WriteResult> {
  return db.transaction('rw', [db.menu, db.outbox], async () => {
    const cached = await db.menu.get('menu');
    if (!cached?.menu.items.some((item) => item.id === menuItemId)) {
      return { ok: false, message: 'That dish is not on the menu.' };
    }
    const items = cached.menu.items.map((item) => (item.id === menuItemId ? { ...item, available } : item));
    await db.menu.put({ ...cached, menu: { ...cached.menu, items } });
    const args: SetAvailabilityArgs = { menuItemId, available };
    await db.outbox.add(newEntry(ctx, { name: 'setAvailability', args }, mutation.scope(args)));
    return { ok: true };
  });
}

export const mutation = {
  name: 'setAvailability',
  apply: (db, ctx, input) => setAvailability(db, ctx, input.menuItemId, input.available),
  // Writes for the same dish keep their order; they hold nothing else.
  scope: (args) => ({ lane: `menu:${args.menuItemId}`, orderId: null, tableId: null, itemId: null }),
  request: (args) => ({
    method: 'PATCH',
    path: `/api/menu/items/${encodeURIComponent(args.menuItemId)}/availability`,
    body: { available: args.available } satisfies SetAvailabilityRequest,
  }),
  answer: MenuItemResponse,
  merge: (db, answer) => saveMenuItem(db, answer.item),
  // A dish deleted meanwhile: the write goes, the board says why, the menu is read again.
  refusal: 'drop',
  refresh: 'menu',
  describe: (args) => (args.available ? 'Back on the menu' : '86 a dish'),
} satisfies MutationDef<'setAvailability', SetAvailabilityArgs, SetAvailabilityArgs, MenuItemResponse>;
