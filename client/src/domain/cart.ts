import {
  checkModifierChoices,
  limits,
  unitPriceCents,
  type AllergyInput,
  type ChosenModifier,
  type MenuItem,
} from '@chit/shared';

/** What the item sheet hands to the cart. */
export interface CartChoice {
  menuItemId: string;
  modifierOptionIds: readonly string[];
  quantity: number;
  note: string;
  /** This dish's allergy (none: absent or null). */
  allergy?: AllergyInput | null;
}

export interface CartLineLike {
  menuItemId: string;
  modifierOptionIds: string[];
  quantity: number;
  note: string;
  allergy?: AllergyInput | null;
}

export function normaliseChoice(choice: CartChoice): CartLineLike {
  return {
    menuItemId: choice.menuItemId,
    modifierOptionIds: [...new Set(choice.modifierOptionIds)].sort(),
    quantity: clampQuantity(choice.quantity),
    note: choice.note.trim(),
    ...(choice.allergy ? { allergy: choice.allergy } : {}),
  };
}

export function clampQuantity(quantity: number): number {
  if (!Number.isFinite(quantity)) return 1;
  return Math.min(limits.maxQuantity, Math.max(1, Math.round(quantity)));
}

/** Two lines are the same dish when the item, the options and the note match; order of taps does not matter. */
export function sameDish(a: CartLineLike, b: CartLineLike): boolean {
  return (
    a.menuItemId === b.menuItemId &&
    a.note === b.note &&
    // A dish with an allergy is its own line: the kitchen must see it on that dish.
    JSON.stringify(a.allergy ?? null) === JSON.stringify(b.allergy ?? null) &&
    a.modifierOptionIds.length === b.modifierOptionIds.length &&
    a.modifierOptionIds.every((id, i) => id === b.modifierOptionIds[i])
  );
}

/**
 * Adds a choice to a cart: into the identical line when there is one (returned as
 * `merged`), otherwise as a new line at the end.
 */
export function addToLines<L extends CartLineLike>(
  lines: readonly L[],
  choice: CartChoice,
  makeLine: (line: CartLineLike) => L,
): { lines: L[]; changed: L; merged: boolean } {
  const incoming = normaliseChoice(choice);
  const index = lines.findIndex((line) => sameDish(line, incoming));
  if (index >= 0) {
    const existing = lines[index]!;
    const changed = { ...existing, quantity: clampQuantity(existing.quantity + incoming.quantity) };
    const next = [...lines];
    next[index] = changed;
    return { lines: next, changed, merged: true };
  }
  const changed = makeLine(incoming);
  return { lines: [...lines, changed], changed, merged: false };
}

export interface PricedLine {
  unitPriceCents: number;
  totalCents: number;
  modifiers: ChosenModifier[];
  /** Why this line cannot be sent as it is (item gone, unavailable, choices no longer valid). */
  problem: string | null;
}

export function priceLine(line: CartLineLike, item: MenuItem | undefined): PricedLine {
  if (!item) {
    return { unitPriceCents: 0, totalCents: 0, modifiers: [], problem: 'This dish is no longer on the menu.' };
  }
  const unit = unitPriceCents(item, line.modifierOptionIds);
  const problems = checkModifierChoices(item, line.modifierOptionIds);
  return {
    unitPriceCents: unit,
    totalCents: unit * line.quantity,
    modifiers: chosenModifiers(item, line.modifierOptionIds),
    problem: !item.available ? `${item.name} is unavailable right now.` : (problems[0]?.message ?? null),
  };
}

export function chosenModifiers(item: MenuItem, optionIds: readonly string[]): ChosenModifier[] {
  const chosen = new Set(optionIds);
  const result: ChosenModifier[] = [];
  for (const group of item.modifierGroups) {
    for (const option of group.options) {
      if (chosen.has(option.id)) {
        result.push({
          groupId: group.id,
          groupName: group.name,
          optionId: option.id,
          name: option.name,
          priceDeltaCents: option.priceDeltaCents,
        });
      }
    }
  }
  return result;
}
