import type { Table, TablePatch } from '@chit/shared';
import { useId, useState, type FormEvent } from 'react';
import { Dialog, DialogActions } from '../../../ui/Dialog.js';
import { Confirm } from '../../../ui/Confirm.js';
import { ErrorNote } from '../../../ui/ErrorNote.js';
import { EditRemoveActions, ManageSection } from '../ManageSection.js';
import { useConfirm, useLoad, useWrite } from '../useWrite.js';

/** Tables by area: add, rename, renumber, move between areas, remove (the server refuses while a table has open items). */
export function TablesEditor() {
  const { data, error: loadError, reload } = useLoad((api) => api.tables());
  const write = useWrite();
  const [number, setNumber] = useState('');
  const [label, setLabel] = useState('');
  const [area, setArea] = useState('');
  const [editing, setEditing] = useState<Table | null>(null);
  const removing = useConfirm<Table>();

  const tables = data?.tables ?? [];
  const areas = [...new Set(tables.map((t) => t.area ?? ''))].sort((a, b) =>
    a === '' ? 1 : b === '' ? -1 : a.localeCompare(b),
  );

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      number: Number(number),
      ...(label.trim() ? { label: label.trim() } : {}),
      area: area.trim() || null,
      ...write.who,
    };
    const done = await write.run(['add-table', body], (api, key) => api.diningTables.create(body, key));
    if (done) {
      setNumber('');
      setLabel('');
      await reload();
    }
  };

  const remove = async (table: Table) => {
    const done = await write.run(['remove-table', table.id], (api, key) =>
      api.diningTables.remove(table.id, write.who, key),
    );
    if (done) await reload();
  };

  return (
    <ManageSection id="tables" title="Tables" loadError={loadError} writeError={write.error}>
      <form className="manage-inline-form" onSubmit={(e) => void add(e)} aria-label="Add a table">
        <label className="field">
          <span>Number</span>
          <input
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            inputMode="numeric"
            pattern="[0-9]*"
            required
            size={6}
          />
        </label>
        <label className="field">
          <span>Label (optional)</span>
          <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Table 12" maxLength={80} />
        </label>
        <label className="field">
          <span>Area</span>
          <input value={area} onChange={(e) => setArea(e.target.value)} list="table-areas" maxLength={80} />
          <datalist id="table-areas">
            {areas.filter(Boolean).map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <button type="submit" className="button button--primary" disabled={write.busy || !/^\d+$/.test(number)}>
          Add table
        </button>
      </form>
      {data === undefined ? <p aria-busy="true">Loading the tables…</p> : null}
      {areas.map((areaName) => (
        <section key={areaName || '-'} className="manage-card" aria-labelledby={`area-${areaName || '-'}`}>
          <h2 id={`area-${areaName || '-'}`}>{areaName || 'No area'}</h2>
          <ul className="manage-list">
            {tables
              .filter((t) => (t.area ?? '') === areaName)
              .sort((a, b) => a.number - b.number)
              .map((table) => (
                <li key={table.id} className="manage-row">
                  <div className="manage-row__main">
                    <strong>{table.number}</strong>
                    <span>{table.label}</span>
                  </div>
                  <EditRemoveActions
                    what={`table ${table.number}`}
                    onEdit={() => setEditing(table)}
                    onRemove={() => removing.ask(table)}
                  />
                </li>
              ))}
          </ul>
        </section>
      ))}
      {editing ? (
        <TableDialog table={editing} areas={areas.filter(Boolean)} onClose={() => setEditing(null)} onSaved={reload} />
      ) : null}
      {removing.pending ? (
        <Confirm
          title={`Remove table ${removing.pending.number}?`}
          confirmLabel="Remove"
          onConfirm={() => void removing.confirm(remove)}
          onClose={removing.cancel}
        >
          <p>It leaves every tablet. A table with open items cannot be removed until they are served or voided.</p>
        </Confirm>
      ) : null}
    </ManageSection>
  );
}

function TableDialog({
  table,
  areas,
  onClose,
  onSaved,
}: {
  table: Table;
  areas: string[];
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const write = useWrite();
  const [number, setNumber] = useState(String(table.number));
  const [label, setLabel] = useState(table.label);
  const [area, setArea] = useState(table.area ?? '');

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const patch: TablePatch = {};
    if (Number(number) !== table.number) patch.number = Number(number);
    if (label.trim() !== table.label) patch.label = label.trim();
    const nextArea = area.trim() || null;
    if (nextArea !== table.area) patch.area = nextArea;
    if (Object.keys(patch).length === 0) return onClose();
    const body = { ...patch, ...write.who };
    const done = await write.run(['table', table.id, body], (api, key) => api.diningTables.update(table.id, body, key));
    if (done) {
      await onSaved();
      onClose();
    }
  };

  return (
    <DialogForm title={`Edit table ${table.number}`} onClose={onClose} onSubmit={save} busy={write.busy}>
      <label className="field">
        <span>Number</span>
        <input value={number} onChange={(e) => setNumber(e.target.value)} inputMode="numeric" required />
      </label>
      <label className="field">
        <span>Label</span>
        <input value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={80} />
      </label>
      <label className="field">
        <span>Area (empty for none)</span>
        <input value={area} onChange={(e) => setArea(e.target.value)} list="table-areas-edit" maxLength={80} />
        <datalist id="table-areas-edit">
          {areas.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <ErrorNote error={write.error} />
    </DialogForm>
  );
}

function DialogForm({
  title,
  onClose,
  onSubmit,
  busy,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: (event: FormEvent) => Promise<void> | void;
  busy: boolean;
  children: React.ReactNode;
}) {
  const id = useId();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      actions={<DialogActions onCancel={onClose} confirmLabel="Save" form={id} disabled={busy} />}
    >
      <form id={id} className="manage-form" onSubmit={(e) => void onSubmit(e)}>
        {children}
      </form>
    </Dialog>
  );
}
