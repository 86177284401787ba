import { canTransition, type Device, type ItemStatus, type OrderItem } from '@chit/shared';
import type { Actor } from '../actor.js';
import { Conflict, Forbidden } from '../http/errors.js';

// The item state machine: who may move an item where, and what a move changes. Pure: the
// store locks the item, asks here for its next state, and saves it.

/** What each role may set an item's status to; managers may do all of it. */
const statusesByRole: Record<Device['role'], readonly ItemStatus[]> = {
  waiter: ['served'],
  kitchen: ['queued', 'cooking', 'ready'],
  manager: ['queued', 'cooking', 'ready', 'served'],
};

export interface ItemPatch {
  quantity?: number | undefined;
  note?: string | undefined;
  status?: Exclude<ItemStatus, 'voided'> | undefined;
}

export type ItemChange = 'status' | 'quantity' | 'note';

/** Refuses a change the actor's role may not make, whatever state the item is in. */
export function checkPatchAllowed(role: Device['role'], patch: ItemPatch): void {
  if ((patch.quantity !== undefined || patch.note !== undefined) && role === 'kitchen') {
    throw new Forbidden('A kitchen device can move items through their states but cannot change quantity or note.');
  }
  if (patch.status !== undefined && !statusesByRole[role].includes(patch.status)) {
    throw new Forbidden(`A ${role} device cannot mark an item ${patch.status}.`);
  }
}

/** Refuses a change made against another version of the item than the stored one (`If-Match`). */
export function checkVersion(item: OrderItem, expected: number | undefined): void {
  if (expected !== undefined && expected !== item.version) {
    throw new Conflict(
      'version_conflict',
      `The item changed since you loaded it (you have version ${expected}, it is at ${item.version}). Reload it and try again.`,
      { current: item },
    );
  }
}

/** `next` with a new version, stamped by `actor` at `now`. */
function stamp(next: OrderItem, current: OrderItem, actor: Actor, now: string): OrderItem {
  return {
    ...next,
    version: current.version + 1,
    updatedAt: now,
    updatedByDeviceId: actor.device.id,
    updatedByStaffName: actor.staffName,
  };
}

/** The times an item records when it moves to `status`. */
function timesFor(status: ItemPatch['status'] & string, now: string): Partial<OrderItem> {
  switch (status) {
    case 'cooking':
      return { cookingAt: now, readyAt: null };
    case 'ready':
      return { readyAt: now };
    case 'served':
      return { servedAt: now };
    case 'queued':
      // Recalled to the queue: it has not started cooking after all.
      return { cookingAt: null, readyAt: null };
  }
}

/**
 * The item after a quantity, note or status change (role already checked), and which of
 * them changed; null when the patch changes nothing. Refuses a move the state machine
 * does not allow and any edit of a served or voided item.
 */
export function applyPatch(
  current: OrderItem,
  patch: ItemPatch,
  actor: Actor,
  now: string,
): { next: OrderItem; changed: ItemChange[] } | null {
  let next: OrderItem = { ...current };
  const changed: ItemChange[] = [];
  if (patch.status !== undefined && patch.status !== current.status) {
    if (!canTransition(current.status, patch.status)) {
      throw new Conflict('illegal_transition', `An item that is ${current.status} cannot become ${patch.status}.`, {
        current,
      });
    }
    next = { ...next, status: patch.status, ...timesFor(patch.status, now) };
    changed.push('status');
  }
  const editing =
    (patch.quantity !== undefined && patch.quantity !== current.quantity) ||
    (patch.note !== undefined && patch.note !== current.note);
  if (editing && (current.status === 'served' || current.status === 'voided')) {
    throw new Conflict('illegal_transition', `An item that is ${current.status} can no longer be changed.`, {
      current,
    });
  }
  if (patch.quantity !== undefined && patch.quantity !== current.quantity) {
    next.quantity = patch.quantity;
    changed.push('quantity');
  }
  if (patch.note !== undefined && patch.note !== current.note) {
    next.note = patch.note;
    changed.push('note');
  }
  if (changed.length === 0) return null;
  return { next: stamp(next, current, actor, now), changed };
}

/**
 * The item voided (it stays stored for billing and audit); null when it already is.
 * Refuses to void an item the state machine does not allow (a served one).
 */
export function applyVoid(current: OrderItem, reason: string | undefined, actor: Actor, now: string): OrderItem | null {
  if (current.status === 'voided') return null;
  if (!canTransition(current.status, 'voided')) {
    throw new Conflict('illegal_transition', `An item that is ${current.status} cannot be voided.`, { current });
  }
  return stamp({ ...current, status: 'voided', voidedAt: now, voidReason: reason ?? null }, current, actor, now);
}

/** Whether voiding an item in `status` takes back food the kitchen already started. */
export function voidedAfterCookingStarted(status: ItemStatus): boolean {
  return status === 'cooking' || status === 'ready';
}
