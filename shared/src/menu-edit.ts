import { z } from 'zod';
import { Text } from './text.js';
import { limits } from './http.js';
import { Category, MenuItem } from './menu.js';
import { changesSomething, editRequests, StaffName } from './fields.js';

/*
 * The manager's menu editor. One schema per wire shape; updates are the create shape made
 * partial. Answers are `{ category }`, `{ item }` (a MenuItem, as in `GET /api/menu`) or,
 * for DELETE, a RemovalResponse.
 */

const Name = Text.trim().min(1, 'Give it a name.').max(limits.maxNameLength);
const Sort = z.number().int().min(-1_000_000).max(1_000_000);
const Cents = z.number().int().min(-1_000_000).max(10_000_000);

export const { input: CategoryInput, patch: CategoryPatch } = editRequests(
  { name: Name, sort: Sort, staffName: StaffName },
  {
    /** Its place on the menu; left out, it goes last. */
    sort: Sort.optional(),
  },
  'Change the name or the sort order.',
);
export type CategoryInput = z.input<typeof CategoryInput>;
export type CategoryPatch = z.input<typeof CategoryPatch>;

export const CategoryResponse = z.object({ category: Category });
export type CategoryResponse = z.infer<typeof CategoryResponse>;

export const ModifierOptionInput = z.object({
  /** Keeps an existing option (and its id) when a group is edited; omit for a new one. */
  id: z.uuid().optional(),
  name: Name,
  priceDeltaCents: Cents.default(0),
  /** Chosen when the waiter opens the dish (size: medium); at most the group's maximum. */
  isDefault: z.boolean().default(false),
});
export type ModifierOptionInput = z.input<typeof ModifierOptionInput>;

/** The min/max rules a group must keep; checked on the merged group when it is edited. */
export function modifierGroupProblems(group: {
  minChoices: number;
  maxChoices: number;
  optionCount: number;
  /** How many options are marked default, when the options are known. */
  defaultCount?: number;
}): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (group.minChoices > group.maxChoices) {
    problems.push({ path: 'minChoices', message: 'The minimum number of choices cannot be above the maximum.' });
  }
  if (group.minChoices > group.optionCount) {
    problems.push({ path: 'options', message: 'The group needs at least as many options as its minimum.' });
  }
  if (group.defaultCount !== undefined && group.defaultCount > group.maxChoices) {
    problems.push({
      path: 'options',
      message: `At most ${group.maxChoices} option${group.maxChoices === 1 ? '' : 's'} of this group can be chosen by default.`,
    });
  }
  return problems;
}

const modifierGroupFields = {
  name: Name,
  minChoices: z.number().int().min(0).max(limits.maxModifiersPerItem),
  maxChoices: z.number().int().min(1).max(limits.maxModifiersPerItem),
  sort: Sort,
  options: z.array(ModifierOptionInput).max(limits.maxModifiersPerItem),
  staffName: StaffName,
};

function refineGroup(
  group: {
    minChoices?: number | undefined;
    maxChoices?: number | undefined;
    options?: { isDefault?: boolean | undefined }[] | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  if (group.minChoices === undefined || group.maxChoices === undefined) return;
  const problems = modifierGroupProblems({
    minChoices: group.minChoices,
    maxChoices: group.maxChoices,
    optionCount: group.options?.length ?? Number.MAX_SAFE_INTEGER,
    ...(group.options ? { defaultCount: group.options.filter((o) => o.isDefault === true).length } : {}),
  });
  for (const p of problems) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
}

const modifierGroup = editRequests(
  modifierGroupFields,
  { sort: Sort.default(0) },
  'Change at least one of name, minChoices, maxChoices, sort or options.',
);

export const ModifierGroupInput = modifierGroup.input.superRefine(refineGroup);
export type ModifierGroupInput = z.input<typeof ModifierGroupInput>;

/** `options`, when given, replaces the group's options: listed ids are kept, others removed. */
export const ModifierGroupPatch = modifierGroup.patch.superRefine(refineGroup);
export type ModifierGroupPatch = z.input<typeof ModifierGroupPatch>;

const menuItemFields = {
  categoryId: z.uuid(),
  name: Name,
  description: Text.trim().max(limits.maxNoteLength),
  priceCents: z.number().int().min(0).max(10_000_000),
  prepMinutes: z.number().int().min(1).max(600).nullable(),
  station: Text.trim().min(1).max(40),
  available: z.boolean(),
  allergens: z.array(Text.trim().min(1).max(40)).max(limits.maxAllergens),
  sort: Sort,
  staffName: StaffName,
};

export const MenuItemInput = z.object({
  ...menuItemFields,
  description: menuItemFields.description.default(''),
  prepMinutes: menuItemFields.prepMinutes.default(null),
  available: menuItemFields.available.default(true),
  allergens: menuItemFields.allergens.default([]),
  /** Its place in its category; left out, it goes last. */
  sort: Sort.optional(),
  staffName: StaffName.default(''),
  modifierGroups: z.array(ModifierGroupInput).max(limits.maxModifiersPerItem).default([]),
});
export type MenuItemInput = z.input<typeof MenuItemInput>;

/**
 * A dish's group as the dish editor saves it: with its `id` it is that group, edited (its
 * `options` replace the old ones, listed option ids kept); without, a new group.
 */
export const ModifierGroupEdit = z
  .object({
    id: z.uuid().optional(),
    name: modifierGroupFields.name,
    minChoices: modifierGroupFields.minChoices,
    maxChoices: modifierGroupFields.maxChoices,
    options: modifierGroupFields.options,
  })
  .strict()
  .superRefine(refineGroup);
export type ModifierGroupEdit = z.input<typeof ModifierGroupEdit>;

/**
 * A patch changes only the fields it names. `modifierGroups`, when given, is the dish's
 * whole list of groups in their order (one Save for a dish and its groups, one
 * transaction): groups listed by id are edited, new ones added, unlisted ones removed.
 * Without it the groups are left alone (they also have routes of their own).
 */
export const MenuItemPatch = z
  .object({
    ...menuItemFields,
    modifierGroups: z
      .array(ModifierGroupEdit)
      .max(limits.maxModifiersPerItem)
      .refine((groups) => unique(groups.flatMap((g) => (g.id ? [g.id] : []))), {
        message: 'A group is listed twice.',
      }),
  })
  .partial()
  .strict()
  .refine(changesSomething, { message: 'Change at least one field.' });
export type MenuItemPatch = z.input<typeof MenuItemPatch>;

function unique(ids: readonly string[]): boolean {
  return new Set(ids).size === ids.length;
}

/**
 * A new order of things: every one of them, by id under `key`, each once. A list that is
 * not exactly the things there are (one was added or removed meanwhile) is refused with
 * 409 `menu_order_stale`, changing nothing.
 */
function reorderRequest<K extends string>(key: K, what: string) {
  const ids = z
    .array(z.uuid())
    .min(1, `List the ${what} in their new order.`)
    .max(1000)
    .refine(unique, { message: `Each of the ${what} is listed once.` });
  return z.object({ ...({ [key]: ids } as Record<K, typeof ids>), staffName: StaffName.default('') }).strict();
}

/** `POST /api/menu/category-order`: every category on the menu, in the order the waiter's menu shows them. */
export const CategoryOrderInput = reorderRequest('categoryIds', 'categories');
export type CategoryOrderInput = z.input<typeof CategoryOrderInput>;

export const CategoryOrderResponse = z.object({ categories: z.array(Category) });
export type CategoryOrderResponse = z.infer<typeof CategoryOrderResponse>;

/** `POST /api/menu/categories/:categoryId/item-order`: every dish of the category, in order. */
export const MenuItemOrderInput = reorderRequest('menuItemIds', 'dishes');
export type MenuItemOrderInput = z.input<typeof MenuItemOrderInput>;

/** The category's dishes in their new order. */
export const MenuItemOrderResponse = z.object({ items: z.array(MenuItem) });
export type MenuItemOrderResponse = z.infer<typeof MenuItemOrderResponse>;

/** What a DELETE did: rows nothing refers to are deleted; ordered items are archived. */
export const RemovalResponse = z.object({
  id: z.uuid(),
  outcome: z.enum(['deleted', 'archived']),
});
export type RemovalResponse = z.infer<typeof RemovalResponse>;

export const RemoveRequest = z.object({ staffName: StaffName.optional() }).strict();
export type RemoveRequest = z.input<typeof RemoveRequest>;
