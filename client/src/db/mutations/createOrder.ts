import {
  Allergy,
  CreateOrderRequest,
  CreateOrderResponse,
  limits,
  type AllergyInput,
  type CreateOrderItem,
} from '@chit/shared';
import { mergeServerOrder } from '../merge.js';
import type { ChitDb, DraftRow, ItemRow, OutboxEntry } from '../schema.js';
import { newEntry, type Ctx, type MutationDef, type WriteResult } from './define.js';

/**
 * A new order, exactly as `POST /api/orders` takes it: its id, whom it is for, and its items
 * with the ids this tablet gave them.
 */
export type CreateOrderArgs = OrderFor & {
  id: string;
  items: Required<Pick<CreateOrderItem, 'id' | 'menuItemId' | 'quantity' | 'modifierOptionIds' | 'note'>>[];
  note: string;
  /** The whole order's allergy, when the waiter flagged one. */
  allergy?: AllergyInput;
  staffName: string;
  deviceTime: string;
};

type OrderFor = ReturnType<typeof orderFor>;

/** Whom a create's body says the order is for: its table, or its customer. */
function orderFor(draft: DraftRow | undefined, tableId: string) {
  if (!draft) return { type: 'dine_in', tableId } as const;
  const { name, address, phone } = draft.customer;
  // A delivery without address or phone fails the body's check below, with the field's message.
  return draft.type === 'delivery'
    ? ({ type: 'delivery', customer: { name, address: address ?? '', phone: phone ?? '' } } as const)
    : ({ type: 'takeaway', customer: { name } } as const);
}

/**
 * Turns a cart into an order, its items and its outbox entry in one transaction: either all
 * of it is on the tablet or none of it. No network here. The cart of a draft becomes a
 * takeaway or delivery order (with the draft's id), any other cart an order at its table.
 */
export async function placeOrder(
  db: ChitDb,
  ctx: Ctx,
  input: { cartId: string; staffName: string; note?: string; allergy?: AllergyInput | null },
): Promise<WriteResult & { orderId?: string }> {
  // The cart's pricing rules load with the first order sent, not with the app (see engine.ts).
  const { priceLine } = await import('../../domain/cart.js');
  return db.transaction('rw', [db.cart, db.drafts, db.menu, db.orders, db.items, db.outbox], async () => {
    const lines = await db.cart.where('cartId').equals(input.cartId).sortBy('addedAt');
    if (lines.length === 0) return { ok: false, message: 'The cart is empty.' };
    if (lines.length > limits.maxItemsPerOrder) {
      return { ok: false, message: `An order can have at most ${limits.maxItemsPerOrder} lines; send it in two.` };
    }
    const menu = (await db.menu.get('menu'))?.menu;
    if (!menu) return { ok: false, message: 'The menu has not been loaded yet.' };
    const byId = new Map(menu.items.map((item) => [item.id, item]));
    const takenAt = new Date(ctx.now()).toISOString();
    const draft = await db.drafts.get(input.cartId);
    const orderId = draft?.id ?? ctx.uuid();
    const tableId = draft ? null : input.cartId;
    const rows: ItemRow[] = [];
    for (const line of lines) {
      const item = byId.get(line.menuItemId);
      const priced = priceLine(line, item);
      if (!item || priced.problem) return { ok: false, message: priced.problem ?? 'A dish is missing.' };
      rows.push({
        id: ctx.uuid(),
        orderId,
        tableId,
        menuItemId: item.id,
        name: item.name,
        station: item.station,
        unitPriceCents: priced.unitPriceCents,
        quantity: line.quantity,
        modifiers: priced.modifiers,
        note: line.note,
        // As the server will store it (trimmed, lower-cased); an invalid one is refused below.
        ...(line.allergy ? { allergy: Allergy.safeParse(line.allergy).data ?? null } : {}),
        cookMinutes: item.prepMinutes,
        line: rows.length + 1,
        status: 'queued',
        sync: 'local',
        takenAt,
        sentAt: null,
        cookingAt: null,
        readyAt: null,
        servedAt: null,
        server: null,
        pendingWrites: 1,
        problem: null,
      });
    }
    const args: CreateOrderArgs = {
      id: orderId,
      ...orderFor(draft, input.cartId),
      items: rows.map((row, i) => ({
        id: row.id,
        menuItemId: row.menuItemId,
        quantity: row.quantity,
        modifierOptionIds: row.modifiers.map((m) => m.optionId),
        note: row.note,
        ...(lines[i]!.allergy ? { allergy: lines[i]!.allergy } : {}),
      })),
      note: input.note?.trim() ?? '',
      ...(input.allergy ? { allergy: input.allergy } : {}),
      staffName: input.staffName.trim(),
      deviceTime: takenAt,
    };
    // A bug here must show now, on the waiter's screen, not later as a refusal nobody can fix.
    const checked = CreateOrderRequest.safeParse(args);
    if (!checked.success) return { ok: false, message: checked.error.issues[0]?.message ?? 'The order is invalid.' };

    await db.orders.add({
      id: orderId,
      ticketNumber: null,
      allergy: checked.data.allergy ?? null,
      type: draft?.type ?? 'dine_in',
      tableId,
      customer: draft?.customer ?? null,
      note: args.note,
      staffName: args.staffName,
      takenAt,
      createdAt: null,
      sync: 'local',
      mine: true,
    });
    await db.items.bulkAdd(rows);
    await db.outbox.add(newEntry(ctx, { name: 'createOrder', args }, mutation.scope(args)));
    await db.cart.where('cartId').equals(input.cartId).delete();
    if (draft) await db.drafts.delete(draft.id);
    return { ok: true, orderId };
  });
}

/**
 * The order's create can still be edited in place when the server has certainly not stored
 * it: never tried, or refused (the server keeps the refusal with its key, so the edited
 * create goes under a new key). Otherwise a change goes behind it as its own write.
 */
export async function foldableCreate(
  db: ChitDb,
  orderId: string,
): Promise<(OutboxEntry & { mutation: { name: 'createOrder' } }) | null> {
  const entries = await db.outbox.where('orderId').equals(orderId).sortBy('seq');
  const create = entries[0];
  if (!create || create.mutation.name !== 'createOrder' || entries.length !== 1) return null;
  const foldable = create.state === 'refused' || (create.state === 'pending' && create.attempts === 0);
  return foldable ? { ...create, mutation: create.mutation } : null;
}

/** Changes the items of a create that has not reached the server (see `foldableCreate`). */
export async function refoldCreate(
  db: ChitDb,
  ctx: Ctx,
  create: OutboxEntry & { mutation: { name: 'createOrder' } },
  items: CreateOrderArgs['items'],
): Promise<void> {
  await db.outbox.update(create.seq, {
    mutation: { name: 'createOrder', args: { ...create.mutation.args, items } },
    ...(create.state === 'refused' ? { idempotencyKey: ctx.uuid() } : {}),
  });
}

export const mutation = {
  name: 'createOrder',
  apply: (db, ctx, input) => placeOrder(db, ctx, { ...input, staffName: ctx.staffName }),
  scope: (args) => ({
    lane: args.id,
    orderId: args.id,
    // Bodies stored by version 1 of the app have no type: they are dine-in.
    tableId: args.type === 'takeaway' || args.type === 'delivery' ? null : args.tableId,
    itemId: null,
  }),
  request: (args) => ({ method: 'POST', path: '/api/orders', body: args }),
  answer: CreateOrderResponse,
  merge: (db, answer, seen) => mergeServerOrder(db, answer.order, seen),
  refusal: 'park',
  refresh: 'place',
  describe(args, names) {
    const count = args.items.reduce((sum, item) => sum + item.quantity, 0);
    return `New order · ${names.place} · ${count} item${count === 1 ? '' : 's'}`;
  },
  delivered: { code: 'order_exists', itemIds: (args) => args.items.map((item) => item.id) },
  /** Its later writes cannot apply without it; and its items, never sent, leave this tablet. */
  async discard(db, entry) {
    const orderId = entry.orderId!;
    await db.outbox.bulkDelete(await db.outbox.where('orderId').equals(orderId).primaryKeys());
    const order = await db.orders.get(orderId);
    if (order?.sync === 'local') {
      await db.items.where('orderId').equals(orderId).delete();
      await db.orders.delete(orderId);
    }
    return 'done';
  },
  discardNote: ' Its items leave this tablet too.',
} satisfies MutationDef<
  'createOrder',
  CreateOrderArgs,
  { cartId: string; note?: string; allergy?: AllergyInput | null },
  CreateOrderResponse,
  WriteResult & { orderId?: string }
>;
