import { canTransition, type ChosenModifier, type Device, type ItemStatus, type OrderItem } from '@chit/shared';
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
  /** The new choices, all of them; checked against the menu by the store (prepare.ts) first. */
  modifierOptionIds?: readonly string[] | undefined;
}

/** New choices as checked and priced against the menu (`prepareModifierChange`). */
export interface PricedChoices {
  modifiers: ChosenModifier[];
  unitPriceCents: number;
}

export type ItemChange = 'status' | 'quantity' | 'note' | 'modifiers';

/** Refuses a change the actor's role may not make, whatever state the item is in. */
export function checkPatchAllowed(role: Device['role'], patch: ItemPatch): void {
  if (
    (patch.quantity !== undefined || patch.note !== undefined || patch.modifierOptionIds !== undefined) &&
    role === 'kitchen'
  ) {
    throw new Forbidden(
      'A kitchen device can move items through their states but cannot change quantity, note or modifiers.',
    );
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

/** Whether `optionIds` are other choices than the item has (order does not matter). */
export function choicesDiffer(current: OrderItem, optionIds: readonly string[]): boolean {
  const have = new Set(current.modifiers.map((m) => m.optionId));
  const want = new Set(optionIds);
  return have.size !== want.size || [...want].some((id) => !have.has(id));
}

/**
 * Refuses other choices for an item the kitchen has started (or finished): the food on
 * the pass is not the food asked for, so that is a void and a new line, not a change.
 * Checked before the menu, so a cooking item answers this whatever the choices are.
 */
export function checkChoicesChangeable(current: OrderItem, optionIds: readonly string[] | undefined): void {
  if (optionIds === undefined || !choicesDiffer(current, optionIds)) return;
  if (current.status === 'queued') return;
  if (current.status === 'served' || current.status === 'voided') {
    throw new Conflict('illegal_transition', `An item that is ${current.status} can no longer be changed.`, {
      current,
    });
  }
  throw new Conflict(
    'item_already_cooking',
    `The kitchen has already started ${current.name} (it is ${current.status}), so its size and toppings can no longer change. Void it and add a new line instead.`,
    { current },
  );
}

/**
 * The item after a quantity, note, status or modifier change (role already checked;
 * `choices` are the patch's `modifierOptionIds` checked and priced against the menu), and
 * which of them changed; null when the patch changes nothing. Refuses a move the state
 * machine does not allow, any edit of a served or voided item, and new choices once cooking.
 */
export function applyPatch(
  current: OrderItem,
  patch: ItemPatch,
  actor: Actor,
  now: string,
  choices?: PricedChoices,
): { next: OrderItem; changed: ItemChange[] } | null {
  checkChoicesChangeable(current, patch.modifierOptionIds);
  let next: OrderItem = { ...current };
  const changed: ItemChange[] = [];
  if (patch.modifierOptionIds !== undefined && choicesDiffer(current, patch.modifierOptionIds)) {
    if (!choices) throw new Error('new choices must be priced against the menu before they are applied');
    next = { ...next, modifiers: choices.modifiers, unitPriceCents: choices.unitPriceCents };
    changed.push('modifiers');
  }
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
