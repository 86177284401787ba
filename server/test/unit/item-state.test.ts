import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/http/errors.js';
import { applyPatch, applyVoid, checkPatchAllowed, checkVersion } from '../../src/orders/item-state.js';
import { actor, orderItem, thrown } from './fixtures.js';

const now = '2026-11-30T12:05:00.000Z';

function code(fn: () => unknown): string {
  const err = thrown(fn);
  if (!(err instanceof HttpError)) throw err;
  return `${err.status} ${err.code}`;
}

describe('the item state machine (no database)', () => {
  it('lets the kitchen move items through their states but not edit them, and waiters only serve', () => {
    expect(() => checkPatchAllowed('kitchen', { status: 'cooking' })).not.toThrow();
    expect(code(() => checkPatchAllowed('kitchen', { quantity: 2 }))).toBe('403 forbidden');
    expect(code(() => checkPatchAllowed('kitchen', { status: 'served' }))).toBe('403 forbidden');
    expect(code(() => checkPatchAllowed('waiter', { status: 'cooking' }))).toBe('403 forbidden');
    expect(() => checkPatchAllowed('waiter', { status: 'served', note: 'no salt' })).not.toThrow();
    expect(() => checkPatchAllowed('manager', { status: 'queued', quantity: 3 })).not.toThrow();
  });

  it('refuses a change made against another version, with the current item', () => {
    const item = orderItem({ version: 3 });
    expect(() => checkVersion(item, undefined)).not.toThrow();
    expect(() => checkVersion(item, 3)).not.toThrow();
    const err = thrown(() => checkVersion(item, 2));
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).extra.current).toBe(item);
    expect((err as HttpError).code).toBe('version_conflict');
  });

  it('stamps the time of each move, and a recall forgets that cooking started', () => {
    const cook = actor('kitchen', 'Lu');
    const cooking = applyPatch(orderItem(), { status: 'cooking' }, cook, now)!;
    expect(cooking.changed).toEqual(['status']);
    expect(cooking.next).toMatchObject({
      status: 'cooking',
      cookingAt: now,
      version: 2,
      updatedAt: now,
      updatedByDeviceId: cook.device.id,
      updatedByStaffName: 'Lu',
    });
    const ready = applyPatch(cooking.next, { status: 'ready' }, cook, now)!.next;
    expect(ready).toMatchObject({ status: 'ready', readyAt: now, cookingAt: now, version: 3 });
    // A recall goes one step back: a ready item goes back to cooking, not to the queue.
    expect(code(() => applyPatch(ready, { status: 'queued' }, cook, now))).toBe('409 illegal_transition');
  });

  it('recalls a cooking item to the queue without its cooking and ready times', () => {
    const cooking = orderItem({ status: 'cooking', cookingAt: now, version: 2 });
    expect(applyPatch(cooking, { status: 'queued' }, actor('kitchen'), now)!.next).toMatchObject({
      status: 'queued',
      cookingAt: null,
      readyAt: null,
      version: 3,
    });
  });

  it('changes nothing (and keeps the version) when the patch asks for what the item already is', () => {
    const item = orderItem({ quantity: 2, note: 'x' });
    expect(applyPatch(item, { quantity: 2, note: 'x', status: 'queued' }, actor(), now)).toBeNull();
  });

  it('edits quantity and note until the item is served or voided', () => {
    const edited = applyPatch(orderItem(), { quantity: 3, note: 'no salt' }, actor(), now)!;
    expect(edited.changed).toEqual(['quantity', 'note']);
    expect(edited.next).toMatchObject({ quantity: 3, note: 'no salt', version: 2 });
    expect(code(() => applyPatch(orderItem({ status: 'served' }), { quantity: 3 }, actor(), now))).toBe(
      '409 illegal_transition',
    );
    expect(code(() => applyPatch(orderItem({ status: 'voided' }), { note: 'x' }, actor(), now))).toBe(
      '409 illegal_transition',
    );
  });

  it('takes new choices, re-priced, only while queued; the same choices are no change anywhere', () => {
    const waiter = actor('waiter', 'Ana');
    const large = { modifiers: [], unitPriceCents: 1400 };
    const queued = orderItem({ status: 'queued' });
    const changed = applyPatch(queued, { modifierOptionIds: ['large'] }, waiter, now, large)!;
    expect(changed.changed).toEqual(['modifiers']);
    expect(changed.next).toMatchObject({ unitPriceCents: 1400, version: queued.version + 1 });
    for (const status of ['cooking', 'ready'] as const) {
      expect(code(() => applyPatch(orderItem({ status }), { modifierOptionIds: ['large'] }, waiter, now, large))).toBe(
        '409 item_already_cooking',
      );
    }
    expect(code(() => applyPatch(orderItem({ status: 'served' }), { modifierOptionIds: ['x'] }, waiter, now))).toBe(
      '409 illegal_transition',
    );
    const cooking = orderItem({ status: 'cooking' });
    const same = cooking.modifiers.map((m) => m.optionId);
    expect(applyPatch(cooking, { modifierOptionIds: same }, waiter, now)).toBeNull();
    expect(code(() => checkPatchAllowed('kitchen', { modifierOptionIds: [] }))).toBe('403 forbidden');
  });

  it('voids an item once, keeping it for the bill, and never a served one', () => {
    const waiter = actor('waiter', 'Ana');
    const voided = applyVoid(orderItem({ status: 'cooking' }), 'spilled', waiter, now)!;
    expect(voided).toMatchObject({ status: 'voided', voidedAt: now, voidReason: 'spilled', version: 2 });
    expect(applyVoid(voided, 'again', waiter, now)).toBeNull();
    expect(applyVoid(orderItem(), undefined, waiter, now)!.voidReason).toBeNull();
    expect(code(() => applyVoid(orderItem({ status: 'served' }), undefined, waiter, now))).toBe(
      '409 illegal_transition',
    );
  });
});
