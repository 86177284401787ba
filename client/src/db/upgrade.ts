import type { Transaction } from 'dexie';
import type { Scope } from './mutations/define.js';
import type { Mutation } from './mutations/index.js';
import type { OutboxEntry } from './schema.js';

/** An outbox entry as versions 1 and 2 of the database stored it: the HTTP request itself. */
export interface LegacyOutboxEntry extends Omit<OutboxEntry, 'mutation' | 'lane' | 'orderId' | 'tableId' | 'itemId'> {
  kind: 'createOrder' | 'patchItem' | 'voidItem' | 'bumpItem' | 'setAvailability' | 'clearTable';
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body: unknown;
  /** The order's id; `table:<id>` for a clear, `menu:<id>` for a dish's availability. */
  orderId: string;
  /** '' when there is none. */
  tableId: string;
  itemId: string | null;
}

/**
 * The mutation a stored request was. Bodies are this client's own (see the old
 * db/writes.ts), so each field is where that code put it.
 */
export function mutationOf(old: LegacyOutboxEntry): Mutation {
  const body = old.body as Record<string, unknown>;
  const staff = typeof body.staffName === 'string' ? { staffName: body.staffName } : {};
  const tableId = old.tableId === '' ? null : old.tableId;
  const item = { itemId: old.itemId ?? '', orderId: old.orderId, tableId };
  switch (old.kind) {
    case 'createOrder':
      return { name: 'createOrder', args: old.body as Extract<Mutation, { name: 'createOrder' }>['args'] };
    case 'patchItem': {
      const { staffName, ...patch } = body as {
        staffName?: string;
        quantity?: number;
        note?: string;
        status?: 'served';
      };
      return { name: 'patchItem', args: { ...item, patch, staffName: staffName ?? '' } };
    }
    case 'voidItem':
      return {
        name: 'voidItem',
        args: {
          ...item,
          staffName: (body.staffName as string | undefined) ?? '',
          ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
        },
      };
    case 'bumpItem':
      return { name: 'bumpItem', args: { ...item, status: body.status as 'queued' | 'cooking' | 'ready', ...staff } };
    case 'setAvailability':
      return {
        name: 'setAvailability',
        args: { menuItemId: old.orderId.replace(/^menu:/, ''), available: body.available === true },
      };
    case 'clearTable':
      return { name: 'clearTable', args: { tableId: old.tableId, ...staff } };
  }
}

/**
 * Where it belongs, from the fields the old entry kept for its indexes: the old `orderId`
 * was already the lane (`table:<id>`, `menu:<id>` for writes of no order).
 */
function scopeOf(old: LegacyOutboxEntry): Scope {
  const ofNoOrder = old.kind === 'clearTable' || old.kind === 'setAvailability';
  return {
    lane: old.orderId,
    orderId: ofNoOrder ? null : old.orderId,
    tableId: old.tableId === '' ? null : old.tableId,
    itemId: old.itemId,
  };
}

/** Dexie version 3: every waiting and refused write keeps its key, state and place in line. */
export async function upgradeOutbox(tx: Transaction): Promise<void> {
  await tx
    .table('outbox')
    .toCollection()
    .modify((row: Record<string, unknown>) => {
      if ('mutation' in row) return;
      const old = row as unknown as LegacyOutboxEntry;
      const converted = { mutation: mutationOf(old), ...scopeOf(old) };
      for (const key of ['kind', 'method', 'path', 'body']) delete row[key];
      Object.assign(row, converted);
    });
}
