import type { Category, MenuItem, MenuItemPatch, ModifierGroup } from '@chit/shared';
import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '../../../ui/Dialog.js';
import { ErrorNote } from '../../../ui/ErrorNote.js';
import { euros, parseEuros, useWrite } from '../useWrite.js';

interface ItemForm {
  name: string;
  categoryId: string;
  price: string;
  prepMinutes: string;
  station: string;
  allergens: string;
  description: string;
  available: boolean;
}

function formOf(item: MenuItem | null, categoryId: string): ItemForm {
  return {
    name: item?.name ?? '',
    categoryId: item?.categoryId ?? categoryId,
    price: item ? euros(item.priceCents) : '',
    prepMinutes: item?.prepMinutes ? String(item.prepMinutes) : '',
    station: item?.station ?? 'kitchen',
    allergens: item?.allergens.join(', ') ?? '',
    description: item?.description ?? '',
    available: item?.available ?? true,
  };
}

/** The form's fields as the wire wants them, or the first problem. */
function fieldsOf(
  form: ItemForm,
): { fields: Required<Omit<MenuItemPatch, 'sort' | 'staffName'>> } | { problem: string } {
  const priceCents = parseEuros(form.price);
  if (priceCents === null || priceCents < 0) return { problem: 'Enter the price as an amount, e.g. 12.50.' };
  const prep = form.prepMinutes.trim();
  const prepMinutes = prep === '' ? null : Number(prep);
  if (prepMinutes !== null && (!Number.isInteger(prepMinutes) || prepMinutes < 1 || prepMinutes > 600)) {
    return { problem: 'Prep time is whole minutes, from 1 to 600 (or empty).' };
  }
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
    },
  };
}

/** The station picker's "add one" entry; no station name can be empty. */
const newStationChoice = '';

/** Adds a dish, or edits one and its modifier groups. */
export function ItemDialog({
  item,
  categoryId,
  categories,
  stations,
  onSaved,
  onClose,
}: {
  item: MenuItem | null;
  categoryId: string;
  categories: Category[];
  /** The stations dishes already go to: a new one is added on purpose, not by a typo. */
  stations: string[];
  onSaved: () => void;
  onClose: () => void;
}) {
  const write = useWrite();
  const [current, setCurrent] = useState<MenuItem | null>(item);
  const [form, setForm] = useState<ItemForm>(() => ({
    ...formOf(item, categoryId),
    ...(item ? {} : { station: stations[0] ?? 'kitchen' }),
  }));
  const [problem, setProblem] = useState<string | null>(null);
  const [newStation, setNewStation] = useState(() => stations.length === 0);
  const formId = useId();
  const set = (patch: Partial<ItemForm>) => setForm((f) => ({ ...f, ...patch }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = fieldsOf(form);
    if ('problem' in parsed) {
      setProblem(parsed.problem);
      return;
    }
    setProblem(null);
    const { fields } = parsed;
    if (current === null) {
      const body = { ...fields, ...write.who };
      const done = await write.run(['create', body], (api, key) => api.createMenuItem(body, key));
      if (!done) return;
    } else {
      // Only what changed: a patch that mentions a field sets it.
      const was = fieldsOf(formOf(current, current.categoryId));
      const before = 'fields' in was ? was.fields : null;
      const patch: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) {
        if (JSON.stringify(v) !== JSON.stringify(before?.[k as keyof typeof fields])) patch[k] = v;
      }
      if (Object.keys(patch).length > 0) {
        const body = { ...patch, ...write.who } as MenuItemPatch;
        const id = current.id;
        const done = await write.run(['patch', id, body], (api, key) => api.updateMenuItem(id, body, key));
        if (!done) return;
      }
    }
    onSaved();
    onClose();
  };

  const title = current ? `Edit ${current.name}` : 'Add item';
  return (
    <Dialog
      title={title}
      wide
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button--primary" disabled={write.busy}>
            Save
          </button>
        </>
      }
    >
      <form id={formId} className="manage-form" onSubmit={(e) => void save(e)} aria-label="Dish">
        <label className="field">
          <span>Name</span>
          <input value={form.name} onChange={(e) => set({ name: e.target.value })} required maxLength={80} />
        </label>
        <label className="field">
          <span>Category</span>
          <select value={form.categoryId} onChange={(e) => set({ categoryId: e.target.value })}>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Price (€)</span>
          <input value={form.price} onChange={(e) => set({ price: e.target.value })} inputMode="decimal" required />
        </label>
        <label className="field">
          <span>Prep time (minutes)</span>
          <input value={form.prepMinutes} onChange={(e) => set({ prepMinutes: e.target.value })} inputMode="numeric" />
        </label>
        {newStation ? (
          <label className="field">
            <span>New station</span>
            <input
              value={form.station}
              onChange={(e) => set({ station: e.target.value })}
              required
              maxLength={40}
              placeholder="e.g. grill"
            />
          </label>
        ) : (
          <label className="field">
            <span>Station</span>
            <select
              value={form.station}
              onChange={(e) => {
                if (e.target.value === newStationChoice) {
                  setNewStation(true);
                  set({ station: '' });
                } else set({ station: e.target.value });
              }}
            >
              {(stations.includes(form.station) ? stations : [form.station, ...stations]).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
              <option value={newStationChoice}>New station…</option>
            </select>
          </label>
        )}
        <label className="field">
          <span>Allergens (comma separated)</span>
          <input value={form.allergens} onChange={(e) => set({ allergens: e.target.value })} />
        </label>
        <label className="field manage-form__wide">
          <span>Description</span>
          <input value={form.description} onChange={(e) => set({ description: e.target.value })} />
        </label>
        <label className="manage-check">
          <input type="checkbox" checked={form.available} onChange={(e) => set({ available: e.target.checked })} />
          Available to order
        </label>
      </form>
      <ErrorNote error={problem ?? write.error} />
      {current ? (
        <ModifierGroups item={current} onChanged={(next) => (setCurrent(next), onSaved())} />
      ) : (
        <p className="manage-muted">Save the dish first, then add its modifier groups (sizes, extras).</p>
      )}
    </Dialog>
  );
}

interface GroupForm {
  name: string;
  minChoices: string;
  maxChoices: string;
  options: { id?: string; name: string; price: string; isDefault: boolean }[];
}

const emptyOption = { name: '', price: '0.00', isDefault: false };
const emptyGroup: GroupForm = { name: '', minChoices: '0', maxChoices: '1', options: [emptyOption] };

function groupFormOf(group: ModifierGroup): GroupForm {
  return {
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

function groupBody(form: GroupForm) {
  const options = form.options
    .filter((o) => o.name.trim() !== '')
    .map((o) => ({
      ...(o.id ? { id: o.id } : {}),
      name: o.name.trim(),
      priceDeltaCents: parseEuros(o.price) ?? NaN,
      isDefault: o.isDefault,
    }));
  if (options.some((o) => Number.isNaN(o.priceDeltaCents)))
    return { problem: 'Enter option prices as amounts, e.g. 1.50.' };
  return {
    body: { name: form.name.trim(), minChoices: Number(form.minChoices), maxChoices: Number(form.maxChoices), options },
  };
}

function ModifierGroups({ item, onChanged }: { item: MenuItem; onChanged: (item: MenuItem) => void }) {
  const write = useWrite();
  const [adding, setAdding] = useState<GroupForm | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const saveGroup = async (group: ModifierGroup | null, form: GroupForm) => {
    const parsed = groupBody(form);
    if ('problem' in parsed) {
      setProblem(parsed.problem ?? null);
      return;
    }
    setProblem(null);
    const body = { ...parsed.body, ...write.who };
    const done = group
      ? await write.run(['group', group.id, body], (api, key) => api.updateModifierGroup(group.id, body, key))
      : await write.run(['group', item.id, body], (api, key) => api.addModifierGroup(item.id, body, key));
    if (done) {
      if (!group) setAdding(null);
      onChanged(done.item);
    }
  };

  const removeGroup = async (group: ModifierGroup) => {
    const done = await write.run(['remove-group', group.id], (api, key) =>
      api.removeModifierGroup(group.id, write.who, key),
    );
    if (done) onChanged(done.item);
  };

  return (
    <section className="manage-groups" aria-labelledby="groups-title">
      <h3 id="groups-title">Modifier groups</h3>
      <ErrorNote error={problem ?? write.error} />
      {item.modifierGroups.map((group) => (
        <GroupEditor
          key={`${group.id}:${JSON.stringify(group)}`}
          initial={groupFormOf(group)}
          legend={group.name}
          busy={write.busy}
          saveLabel="Save group"
          onSave={(form) => void saveGroup(group, form)}
          onRemove={() => void removeGroup(group)}
        />
      ))}
      {adding ? (
        <GroupEditor
          initial={adding}
          legend="New modifier group"
          busy={write.busy}
          saveLabel="Add group"
          onSave={(form) => void saveGroup(null, form)}
          onRemove={() => setAdding(null)}
          removeLabel="Cancel"
        />
      ) : (
        <button type="button" className="button" onClick={() => setAdding(emptyGroup)}>
          Add modifier group
        </button>
      )}
    </section>
  );
}

function GroupEditor({
  initial,
  legend,
  busy,
  saveLabel,
  onSave,
  onRemove,
  removeLabel,
}: {
  initial: GroupForm;
  legend: string;
  busy: boolean;
  saveLabel: string;
  onSave: (form: GroupForm) => void;
  onRemove: () => void;
  removeLabel?: string;
}) {
  const [form, setForm] = useState(initial);
  const setOption = (index: number, patch: Partial<GroupForm['options'][number]>) =>
    setForm((f) => ({ ...f, options: f.options.map((o, i) => (i === index ? { ...o, ...patch } : o)) }));
  return (
    <fieldset className="manage-group">
      <legend>{legend}</legend>
      <div className="manage-group__head">
        <label className="field">
          <span>Group name</span>
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
        </label>
        <label className="field">
          <span>Minimum choices</span>
          <input
            type="number"
            min={0}
            value={form.minChoices}
            onChange={(e) => setForm({ ...form, minChoices: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Maximum choices</span>
          <input
            type="number"
            min={1}
            value={form.maxChoices}
            onChange={(e) => setForm({ ...form, maxChoices: e.target.value })}
          />
        </label>
      </div>
      <ul className="manage-options">
        {form.options.map((option, index) => (
          <li key={option.id ?? `new-${index}`}>
            <label className="field">
              <span>Option {index + 1}</span>
              <input value={option.name} onChange={(e) => setOption(index, { name: e.target.value })} />
            </label>
            <label className="field">
              <span>Extra price for option {index + 1} (€)</span>
              <input
                value={option.price}
                inputMode="decimal"
                onChange={(e) => setOption(index, { price: e.target.value })}
              />
            </label>
            <label className="manage-options__default">
              <input
                type="checkbox"
                checked={option.isDefault}
                onChange={(e) =>
                  // One default in a pick-one group (size): choosing another moves it.
                  form.maxChoices === '1' && e.target.checked
                    ? setForm((f) => ({ ...f, options: f.options.map((o, i) => ({ ...o, isDefault: i === index })) }))
                    : setOption(index, { isDefault: e.target.checked })
                }
              />
              <span>Default</span>
              <span className="visually-hidden"> for option {index + 1}</span>
            </label>
            <button
              type="button"
              className="button button--ghost"
              aria-label={`Remove option ${index + 1}`}
              onClick={() => setForm((f) => ({ ...f, options: f.options.filter((_, i) => i !== index) }))}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      <div className="manage-actions">
        <button
          type="button"
          className="button"
          onClick={() => setForm((f) => ({ ...f, options: [...f.options, emptyOption] }))}
        >
          Add option
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => onSave(form)}
          aria-label={`${saveLabel}: ${legend}`}
        >
          {saveLabel}
        </button>
        <button
          type="button"
          className="button button--danger-outline"
          disabled={busy}
          onClick={onRemove}
          aria-label={`${removeLabel ?? 'Remove group'}: ${legend}`}
        >
          {removeLabel ?? `Remove group`}
        </button>
      </div>
    </fieldset>
  );
}
