import type { Category, MenuItem } from '@chit/shared';
import { useId, useState, type FormEvent } from 'react';
import { Dialog, DialogActions } from '../../../ui/Dialog.js';
import { ErrorNote } from '../../../ui/ErrorNote.js';
import { useWrite } from '../useWrite.js';
import { ModifierGroupsField } from './GroupEditor.js';
import { createBody, fieldsOf, formOf, patchBody, type ItemForm } from './itemForm.js';
import { StationField } from './StationField.js';

/**
 * Adds a dish, or edits one, with its modifier groups: one Save sends the dish and its
 * groups in one request, which the server applies in one transaction (all or nothing).
 */
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
  const [form, setForm] = useState<ItemForm>(() => formOf(item, categoryId, stations[0] ?? 'kitchen'));
  const [problem, setProblem] = useState<string | null>(null);
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
    if (item === null) {
      const body = { ...createBody(parsed.fields), ...write.who };
      if (!(await write.run(['create', body], (api, key) => api.menuItems.create(body, key)))) return;
    } else {
      const patch = patchBody(item, parsed.fields);
      if (patch) {
        const body = { ...patch, ...write.who };
        const id = item.id;
        if (!(await write.run(['patch', id, body], (api, key) => api.menuItems.update(id, body, key)))) return;
      }
    }
    onSaved();
    onClose();
  };

  return (
    <Dialog
      title={item ? `Edit ${item.name}` : 'Add item'}
      wide
      onClose={onClose}
      actions={<DialogActions onCancel={onClose} confirmLabel="Save" form={formId} disabled={write.busy} />}
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
        <StationField value={form.station} stations={stations} onChange={(station) => set({ station })} />
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
      <ModifierGroupsField groups={form.groups} onChange={(groups) => set({ groups })} />
      <ErrorNote error={problem ?? write.error} />
    </Dialog>
  );
}
