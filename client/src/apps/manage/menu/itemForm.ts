import type { MenuItem, MenuItemInput, MenuItemPatch, ModifierGroup, ModifierGroupEdit } from '@chit/shared';
import { euros, parseEuros } from '../useWrite.js';

/*
 * The dish editor's form as text fields, and the wire bodies made from it: kept apart from
 * the dialog so the rules (what a price is, what changed) are read and tested on their own.
 */

export interface GroupForm {
  /** The group's id when it is on the server; new groups have none. */
  id?: string;
  name: string;
  minChoices: string;
  maxChoices: string;
  options: { id?: string; name: string; price: string; isDefault: boolean }[];
}

export interface ItemForm {
  name: string;
  categoryId: string;
  price: string;
  prepMinutes: string;
  station: string;
  allergens: string;
  description: string;
  available: boolean;
  groups: GroupForm[];
}

export const emptyOption: GroupForm['options'][number] = { name: '', price: '0.00', isDefault: false };
export const emptyGroup: GroupForm = { name: '', minChoices: '0', maxChoices: '1', options: [emptyOption] };

function groupFormOf(group: ModifierGroup): GroupForm {
  return {
    id: group.id,
    name: group.name,
    minChoices: String(group.minChoices),
    maxChoices: String(group.maxChoices),
    options: group.options.map((o) => ({
      id: o.id,
      name: o.name,
      price: euros(o.priceDeltaCents),
      isDefault: o.isDefault === true,
    })),
  };
}

export function formOf(item: MenuItem | null, categoryId: string, station: string): ItemForm {
  return {
    name: item?.name ?? '',
    categoryId: item?.categoryId ?? categoryId,
    price: item ? euros(item.priceCents) : '',
    prepMinutes: item?.prepMinutes ? String(item.prepMinutes) : '',
    station: item?.station ?? station,
    allergens: item?.allergens.join(', ') ?? '',
    description: item?.description ?? '',
    available: item?.available ?? true,
    groups: item?.modifierGroups.map(groupFormOf) ?? [],
  };
}

type Fields = Required<Omit<MenuItemPatch, 'sort' | 'staffName' | 'modifierGroups'>> & {
  modifierGroups: ModifierGroupEdit[];
};

function groupsOf(groups: GroupForm[]): ModifierGroupEdit[] | string {
  const edits: ModifierGroupEdit[] = [];
  for (const [index, group] of groups.entries()) {
    const name = group.name.trim() || `Group ${index + 1}`;
    const options = group.options
      .filter((o) => o.name.trim() !== '')
      .map((o) => ({
        ...(o.id ? { id: o.id } : {}),
        name: o.name.trim(),
        priceDeltaCents: parseEuros(o.price),
        isDefault: o.isDefault,
      }));
    if (group.name.trim() === '') return `Give modifier group ${index + 1} a name.`;
    const bad = options.find((o) => o.priceDeltaCents === null);
    if (bad) return `${name}: enter the price of ${bad.name} as an amount, e.g. 1.50.`;
    const [minChoices, maxChoices] = [Number(group.minChoices), Number(group.maxChoices)];
    if (!Number.isInteger(minChoices) || !Number.isInteger(maxChoices) || minChoices < 0 || maxChoices < 1) {
      return `${name}: choices are whole numbers, at least 0 and 1.`;
    }
    if (minChoices > maxChoices) return `${name}: the minimum number of choices cannot be above the maximum.`;
    edits.push({
      ...(group.id ? { id: group.id } : {}),
      name: group.name.trim(),
      minChoices,
      maxChoices,
      options: options.map((o) => ({ ...o, priceDeltaCents: o.priceDeltaCents ?? 0 })),
    });
  }
  return edits;
}

/** The form's fields as the wire wants them, or the first problem in words. */
export function fieldsOf(form: ItemForm): { fields: Fields } | { problem: string } {
  const priceCents = parseEuros(form.price);
  if (priceCents === null || priceCents < 0) return { problem: 'Enter the price as an amount, e.g. 12.50.' };
  const prep = form.prepMinutes.trim();
  const prepMinutes = prep === '' ? null : Number(prep);
  if (prepMinutes !== null && (!Number.isInteger(prepMinutes) || prepMinutes < 1 || prepMinutes > 600)) {
    return { problem: 'Prep time is whole minutes, from 1 to 600 (or empty).' };
  }
  if (form.station.trim() === '') return { problem: 'Choose the station that makes it, or name a new one.' };
  const modifierGroups = groupsOf(form.groups);
  if (typeof modifierGroups === 'string') return { problem: modifierGroups };
  return {
    fields: {
      name: form.name.trim(),
      categoryId: form.categoryId,
      priceCents,
      prepMinutes,
      station: form.station.trim(),
      allergens: form.allergens
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
      description: form.description.trim(),
      available: form.available,
      modifierGroups,
    },
  };
}

/** A new dish: everything, its groups included. */
export function createBody(fields: Fields): MenuItemInput {
  const { modifierGroups, ...rest } = fields;
  return { ...rest, modifierGroups: modifierGroups.map(({ id: _new, ...group }) => group) };
}

/**
 * An edited dish: only the fields that changed (a patch that names a field sets it), and
 * the whole list of groups when any of them changed. Null when nothing did.
 */
export function patchBody(before: MenuItem, fields: Fields): MenuItemPatch | null {
  const was = fieldsOf(formOf(before, before.categoryId, before.station));
  const old: Record<string, unknown> = 'fields' in was ? was.fields : {};
  const changed = Object.entries(fields).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(old[key]));
  // Fields' own entries: a MenuItemPatch with only what changed.
  const patch: MenuItemPatch = Object.fromEntries(changed);
  return changed.length > 0 ? patch : null;
}
