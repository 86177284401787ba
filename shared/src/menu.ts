import { z } from 'zod';
import { Text } from './text.js';
import { idAndName } from './fields.js';

export const Station = Text.min(1).max(40);

export const ModifierOption = z.object({
  ...idAndName,
  priceDeltaCents: z.number().int(),
  /** The dish sheet starts with it chosen (size: medium). The server always says; absent means no. */
  isDefault: z.boolean().optional(),
});
export type ModifierOption = z.infer<typeof ModifierOption>;

export const ModifierGroup = z.object({
  ...idAndName,
  minChoices: z.number().int().min(0),
  maxChoices: z.number().int().min(1),
  options: z.array(ModifierOption),
});
export type ModifierGroup = z.infer<typeof ModifierGroup>;

export const MenuItem = z.object({
  id: z.uuid(),
  categoryId: z.uuid(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int().min(0),
  /** Minutes from "sent" to "ready"; null when the kitchen has not said. */
  prepMinutes: z.number().int().positive().nullable(),
  station: Station,
  available: z.boolean(),
  allergens: z.array(z.string()),
  modifierGroups: z.array(ModifierGroup),
});
export type MenuItem = z.infer<typeof MenuItem>;

export const Category = z.object({
  ...idAndName,
  sort: z.number().int(),
});
export type Category = z.infer<typeof Category>;

export const MenuResponse = z.object({
  categories: z.array(Category),
  items: z.array(MenuItem),
});
export type MenuResponse = z.infer<typeof MenuResponse>;

export interface ModifierProblem {
  groupId: string | null;
  message: string;
}

/**
 * The one place the min/max rules of modifier groups live: the server refuses an
 * order that breaks them and the item sheet disables Add until they hold.
 */
export function checkModifierChoices(
  item: Pick<MenuItem, 'name' | 'modifierGroups'>,
  optionIds: readonly string[],
): ModifierProblem[] {
  const problems: ModifierProblem[] = [];
  const chosen = new Set(optionIds);
  if (chosen.size !== optionIds.length) {
    problems.push({ groupId: null, message: 'The same option is chosen twice.' });
  }
  const known = new Set<string>();
  for (const group of item.modifierGroups) {
    const count = group.options.filter((option) => chosen.has(option.id)).length;
    for (const option of group.options) known.add(option.id);
    if (count < group.minChoices) {
      problems.push({
        groupId: group.id,
        message:
          group.minChoices === group.maxChoices
            ? `Choose ${group.minChoices} ${group.name.toLowerCase()} for ${item.name}.`
            : `Choose at least ${group.minChoices} ${group.name.toLowerCase()} for ${item.name}.`,
      });
    }
    if (count > group.maxChoices) {
      problems.push({
        groupId: group.id,
        message: `Choose at most ${group.maxChoices} ${group.name.toLowerCase()} for ${item.name}.`,
      });
    }
  }
  for (const id of chosen) {
    if (!known.has(id)) {
      problems.push({ groupId: null, message: `Option ${id} is not offered for ${item.name}.` });
    }
  }
  return problems;
}

/** Price of one unit of `item` with the chosen options. */
export function unitPriceCents(
  item: Pick<MenuItem, 'priceCents' | 'modifierGroups'>,
  optionIds: readonly string[],
): number {
  const chosen = new Set(optionIds);
  let price = item.priceCents;
  for (const group of item.modifierGroups) {
    for (const option of group.options) {
      if (chosen.has(option.id)) price += option.priceDeltaCents;
    }
  }
  return price;
}

// Without zod, in plain.ts: the waiter's first screen formats prices before it loads the schemas.
export { formatCents } from './plain.js';

/** `PATCH /api/menu/items/:menuItemId/availability`: the kitchen 86es a dish, or brings it back. */
export const SetAvailabilityRequest = z.object({ available: z.boolean() }).strict();
export type SetAvailabilityRequest = z.input<typeof SetAvailabilityRequest>;

export const MenuItemResponse = z.object({ item: MenuItem });
export type MenuItemResponse = z.infer<typeof MenuItemResponse>;
