import { AllergyAckResponse, type AllergyAckRequest } from '@chit/shared';
import { saveAllergyAck } from '../cache.js';
import { getMeta } from '../meta.js';
import type { ChitDb } from '../schema.js';
import { newEntry, type Ctx, type MutationDef, type WriteResult } from './define.js';

/** A cook read an order's allergy banner. */
export interface AckAllergyArgs {
  orderId: string;
  staffName?: string;
}

/**
 * A cook read the order's allergy banner: the board shows it acknowledged now (so the
 * ticket can be bumped, offline too), and the server hears it through the outbox like a
 * bump. The first acknowledgement stands: a second one on this board queues nothing.
 */
export async function acknowledgeAllergy(
  db: ChitDb,
  ctx: Ctx,
  orderId: string,
  staffName: string,
): Promise<WriteResult> {
  const device = (await getMeta(db, 'session'))?.device;
  return db.transaction('rw', [db.orders, db.outbox], async () => {
    const order = await db.orders.get(orderId);
    if (!order) return { ok: false, message: 'That order is not on this board.' };
    if (order.allergyAck) return { ok: true };
    const by = staffName.trim();
    await db.orders.put({
      ...order,
      allergyAck: {
        at: new Date(ctx.now()).toISOString(),
        deviceId: device?.id ?? '',
        deviceName: device?.name ?? '',
        staffName: by,
      },
    });
    const args: AckAllergyArgs = { orderId };
    if (by !== '') args.staffName = by;
    await db.outbox.add(newEntry(ctx, { name: 'ackAllergy', args }, mutation.scope(args)));
    return { ok: true };
  });
}

export const mutation = {
  name: 'ackAllergy',
  apply: (db, ctx, input) => acknowledgeAllergy(db, ctx, input.orderId, ctx.staffName),
  // It waits behind its order's writes. No table: after a drop the order itself is read
  // again (the table's items would not carry the order's acknowledgement).
  scope: (args) => ({ lane: args.orderId, orderId: args.orderId, tableId: null, itemId: null }),
  request: (args) => ({
    method: 'POST',
    path: `/api/orders/${encodeURIComponent(args.orderId)}/allergy-ack`,
    body: (args.staffName === undefined ? {} : { staffName: args.staffName }) satisfies AllergyAckRequest,
  }),
  answer: AllergyAckResponse,
  // The server's acknowledgement (the first, which stands) replaces this board's own.
  merge: (db, answer) => saveAllergyAck(db, answer),
  // Like a bump: an order that is gone or has no allergy cannot be fixed by the cook; the
  // write goes, the board says why, and the order is read again.
  refusal: 'drop',
  refresh: 'place',
  describe: (_args, names) => `Allergy acknowledged · ${names.place}`,
} satisfies MutationDef<'ackAllergy', AckAllergyArgs, { orderId: string }, AllergyAckResponse>;
