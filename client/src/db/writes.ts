import {
  CreateOrderRequest,
  limits,
  type AllergyAck,
  type AllergyInput,
  type CreateOrderItem,
  type Customer,
  type ItemStatus,
} from '@chit/shared';
import { addToLines, priceLine, type CartChoice } from '../domain/cart.js';
import type { PatchBody } from '../domain/rebase.js';
import { entriesFor, forgetClearedItems, recomputeItems } from './merge.js';
import type { CartLine, ChitDb, DraftRow, ItemRow, OutboxEntry, OutboxKind } from './schema.js';

/** Clock and id source, passed in so tests are deterministic (the app's: `browserCtx` in sync/engine.ts). */
export interface Ctx {
  now: () => number;
  uuid: () => string;
}

export type WriteResult = { ok: true } | { ok: false; message: string };

/** Whom a create's body says the order is for: its table, or its customer. */
function orderFor(draft: DraftRow | undefined, tableId: string) {
  if (!draft) return { type: 'dine_in', tableId } as const;
  const { name, address, phone } = draft.customer;
  // A delivery without address or phone fails the body's check below, with the field's message.
  return draft.type === 'delivery'
    ? ({ type: 'delivery', customer: { name, address: address ?? '', phone: phone ?? '' } } as const)
    : ({ type: 'takeaway', customer: { name } } as const);
}

type CreateBody = ReturnType<typeof orderFor> & {
  id: string;
  items: Required<Pick<CreateOrderItem, 'id' | 'menuItemId' | 'quantity' | 'modifierOptionIds' | 'note'>>[];
  note: string;
  allergy?: AllergyInput;
  staffName: string;
  deviceTime: string;
};

function newEntry(
  ctx: Ctx,
  fields: Pick<OutboxEntry, 'kind' | 'method' | 'path' | 'body' | 'orderId' | 'tableId' | 'itemId'>,
): OutboxEntry {
  const now = ctx.now();
  return {
    ...fields,
    id: ctx.uuid(),
    idempotencyKey: ctx.uuid(),
    state: 'pending',
    createdAt: now,
    attempts: 0,
    failures: 0,
    nextAttemptAt: now,
    notBefore: 0,
    lastError: null,
    lastAttemptAt: null,
  };
}

/** An item of an order without a table is reached through its order. */
function itemPath(row: Pick<ItemRow, 'id' | 'orderId' | 'tableId'>): string {
  const owner =
    row.tableId === null ? `orders/${encodeURIComponent(row.orderId)}` : `tables/${encodeURIComponent(row.tableId)}`;
  return `/api/${owner}/items/${encodeURIComponent(row.id)}`;
}

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

// ---------------------------------------------------------------------------------------------
// Orders

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
  return db.transaction('rw', [db.cart, db.drafts, db.menu, db.orders, db.items, db.outbox], async () => {
    const lines: CartLine[] = await db.cart.where('cartId').equals(input.cartId).sortBy('addedAt');
    if (lines.length === 0) return { ok: false, message: 'The cart is empty.' };
    if (lines.length > limits.maxItemsPerOrder) {
      return { ok: false, message: `An order can have at most ${limits.maxItemsPerOrder} lines; send it in two.` };
    }
    const menu = (await db.menu.get('menu'))?.menu;
    if (!menu) return { ok: false, message: 'The menu has not been loaded yet.' };
    const byId = new Map(menu.items.map((item) => [item.id, item]));
    const now = ctx.now();
    const takenAt = new Date(now).toISOString();
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
    const body: CreateBody = {
      id: orderId,
      ...orderFor(draft, input.cartId),
      items: rows.map((row) => ({
        id: row.id,
        menuItemId: row.menuItemId,
        quantity: row.quantity,
        modifierOptionIds: row.modifiers.map((m) => m.optionId),
        note: row.note,
      })),
      note: input.note?.trim() ?? '',
      ...(input.allergy ? { allergy: input.allergy } : {}),
      staffName: input.staffName.trim(),
      deviceTime: takenAt,
    };
    // A bug here must show now, on the waiter's screen, not later as a refusal nobody can fix.
    const checked = CreateOrderRequest.safeParse(body);
    if (!checked.success) return { ok: false, message: checked.error.issues[0]?.message ?? 'The order is invalid.' };

    await db.orders.add({
      id: orderId,
      ticketNumber: null,
      allergy: checked.data.allergy ?? null,
      type: draft?.type ?? 'dine_in',
      tableId,
      customer: draft?.customer ?? null,
      note: body.note,
      staffName: body.staffName,
      takenAt,
      createdAt: null,
      sync: 'local',
      mine: true,
    });
    await db.items.bulkAdd(rows);
    await db.outbox.add(
      newEntry(ctx, {
        kind: 'createOrder',
        method: 'POST',
        path: '/api/orders',
        body,
        orderId,
        tableId: tableId ?? '',
        itemId: null,
      }),
    );
    await clearCart(db, input.cartId);
    if (draft) await db.drafts.delete(draft.id);
    return { ok: true, orderId };
  });
}

/**
 * The order's create can still be edited in place when the server has certainly not stored
 * it: never tried, or refused (the server keeps the refusal with its key, so the edited
 * create goes under a new key). Otherwise a change goes behind it as its own write.
 */
async function foldableCreate(db: ChitDb, orderId: string): Promise<OutboxEntry | null> {
  const entries = await db.outbox.where('orderId').equals(orderId).sortBy('seq');
  const create = entries[0];
  if (!create || create.kind !== 'createOrder' || entries.length !== 1) return null;
  if (create.state === 'refused') return create;
  if (create.state === 'pending' && create.attempts === 0) return create;
  return null;
}

export interface ItemChange {
  quantity?: number;
  note?: string;
  served?: boolean;
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
    const patch: PatchBody = {};
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
        const body = create.body as CreateBody;
        const items = body.items.map((item) =>
          item.id === itemId
            ? { ...item, quantity: patch.quantity ?? item.quantity, note: patch.note ?? item.note }
            : item,
        );
        await db.outbox.update(create.seq, {
          body: { ...body, items },
          ...(create.state === 'refused' ? { idempotencyKey: ctx.uuid() } : {}),
        });
        await db.items.update(itemId, { quantity: patch.quantity ?? row.quantity, note: patch.note ?? row.note });
        return { ok: true };
      }
    }
    // A newer edit of the same item replaces an edit the server refused: that is how it gets fixed.
    const superseded = (await entriesFor(db, row)).filter(
      (e) => e.kind === 'patchItem' && e.itemId === itemId && e.state === 'refused',
    );
    await db.outbox.bulkDelete(superseded.map((e) => e.seq!));
    await db.outbox.add(
      newEntry(ctx, {
        kind: 'patchItem',
        method: 'PATCH',
        path: itemPath(row),
        body: { ...patch, staffName: staffName.trim() },
        orderId: row.orderId,
        tableId: row.tableId ?? '',
        itemId,
      }),
    );
    await recomputeItems(db, [itemId]);
    return { ok: true };
  });
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
        const body = create.body as CreateBody;
        const items = body.items.filter((item) => item.id !== itemId);
        await db.items.delete(itemId);
        if (items.length === 0) {
          await db.outbox.delete(create.seq);
          await db.orders.delete(row.orderId);
        } else {
          await db.outbox.update(create.seq, {
            body: { ...body, items },
            ...(create.state === 'refused' ? { idempotencyKey: ctx.uuid() } : {}),
          });
        }
        return { ok: true };
      }
    }
    const superseded = (await entriesFor(db, row)).filter(
      (e) => e.kind === 'patchItem' && e.itemId === itemId && e.state === 'refused',
    );
    await db.outbox.bulkDelete(superseded.map((e) => e.seq!));
    const body: { reason?: string; staffName: string } = { staffName: staffName.trim() };
    if (reason.trim() !== '') body.reason = reason.trim().slice(0, limits.maxNoteLength);
    await db.outbox.add(
      newEntry(ctx, {
        kind: 'voidItem' satisfies OutboxKind,
        method: 'DELETE',
        path: itemPath(row),
        body,
        orderId: row.orderId,
        tableId: row.tableId ?? '',
        itemId,
      }),
    );
    await recomputeItems(db, [itemId]);
    return { ok: true };
  });
}

/**
 * The party left: the table's served items leave this tablet now, and the server hears it
 * through the outbox (offline too). Dishes still to come stay on the table.
 */
export async function clearTable(db: ChitDb, ctx: Ctx, tableId: string, staffName: string): Promise<WriteResult> {
  return db.transaction('rw', [db.items, db.orders, db.outbox], async () => {
    await forgetClearedItems(db, { tableId, clearedAt: new Date(ctx.now()).toISOString() });
    const body: { staffName?: string } = {};
    if (staffName.trim() !== '') body.staffName = staffName.trim();
    await db.outbox.add(
      newEntry(ctx, {
        kind: 'clearTable',
        method: 'POST',
        path: `/api/tables/${encodeURIComponent(tableId)}/clear`,
        body,
        // Clears of one table keep their order; they hold no order's writes back.
        orderId: `table:${tableId}`,
        tableId,
        itemId: null,
      }),
    );
    return { ok: true };
  });
}

// ---------------------------------------------------------------------------------------------
// Kitchen

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
      const body: PatchBody = { status: move.to };
      if (staffName.trim() !== '') body.staffName = staffName.trim();
      await db.outbox.add(
        newEntry(ctx, {
          kind: 'bumpItem',
          method: 'PATCH',
          path: itemPath(row),
          body,
          orderId: row.orderId,
          tableId: row.tableId ?? '',
          itemId: row.id,
        }),
      );
      moved.push(move);
    }
    await recomputeItems(
      db,
      moved.map((m) => m.itemId),
    );
    return moved.length > 0 ? { ok: true, moved } : { ok: false, message: 'Nothing to bump.', moved };
  });
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
    await db.outbox.add(
      newEntry(ctx, {
        kind: 'setAvailability',
        method: 'PATCH',
        path: `/api/menu/items/${encodeURIComponent(menuItemId)}/availability`,
        body: { available },
        // Writes for the same dish keep their order; they hold nothing else.
        orderId: `menu:${menuItemId}`,
        tableId: '',
        itemId: null,
      }),
    );
    return { ok: true };
  });
}

/**
 * A cook read the order's allergy banner: the board shows it acknowledged now (so the
 * ticket can be bumped, offline too), and the server hears it via the outbox like a bump.
 */
export async function acknowledgeAllergy(
  db: ChitDb,
  ctx: Ctx,
  orderId: string,
  by: Omit<AllergyAck, 'at'>,
): Promise<WriteResult> {
  return db.transaction('rw', [db.orders, db.outbox], async () => {
    const order = await db.orders.get(orderId);
    if (!order) return { ok: false, message: 'That order is not on this board.' };
    if (order.allergyAck) return { ok: true };
    await db.orders.put({ ...order, allergyAck: { ...by, at: new Date(ctx.now()).toISOString() } });
    await db.outbox.add(
      newEntry(ctx, {
        kind: 'ackAllergy',
        method: 'POST',
        path: `/api/orders/${encodeURIComponent(orderId)}/allergy-ack`,
        body: by.staffName ? { staffName: by.staffName } : {},
        orderId,
        tableId: order.tableId ?? '',
        itemId: null,
      }),
    );
    return { ok: true };
  });
}
