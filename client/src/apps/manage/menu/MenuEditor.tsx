import { formatCents, type Category, type MenuItem, type MenuResponse } from '@chit/shared';
import { useState, type FormEvent } from 'react';
import { Confirm } from '../../../ui/Confirm.js';
import { useLoad, useWrite } from '../useWrite.js';
import { ItemDialog } from './ItemDialog.js';
import { moved, MoveButtons, type Direction } from './MoveButtons.js';
import { EditRemoveActions, ManageSection } from '../ManageSection.js';

/**
 * Categories and their dishes, in the order the waiter's menu shows them (arranged with the
 * ↑ ↓ buttons); every change goes to the server at once and reaches every tablet.
 */
export function MenuEditor() {
  const { data: menu, error: loadError, reload } = useLoad((api) => api.menu());
  const write = useWrite();
  const [newCategory, setNewCategory] = useState('');
  const [editing, setEditing] = useState<{ item: MenuItem | null; categoryId: string } | null>(null);
  const [removing, setRemoving] = useState<{ kind: 'item' | 'category'; id: string; name: string } | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);

  // The entry last moved and which way, so its button keeps the keyboard's focus.
  const [lastMove, setLastMove] = useState<{ id: string; direction: Direction } | null>(null);

  /** Saves the categories' order with one moved: the server stores it and every tablet's menu follows. */
  const moveCategory = async (categories: Category[], index: number, direction: Direction) => {
    const categoryIds = moved(categories, index, direction).map((c) => c.id);
    setLastMove({ id: categories[index]!.id, direction });
    const body = { categoryIds, ...write.who };
    await write.run(['category-order', body], (api, key) => api.reorderCategories(body, key));
    await reload();
  };

  const moveItem = async (categoryId: string, items: MenuItem[], index: number, direction: Direction) => {
    const menuItemIds = moved(items, index, direction).map((i) => i.id);
    setLastMove({ id: items[index]!.id, direction });
    const body = { menuItemIds, ...write.who };
    await write.run(['item-order', categoryId, body], (api, key) => api.reorderMenuItems(categoryId, body, key));
    await reload();
  };

  const addCategory = async (event: FormEvent) => {
    event.preventDefault();
    // No sort: a new category goes last.
    const body = { name: newCategory.trim(), ...write.who };
    const done = await write.run(['category', body], (api, key) => api.categories.create(body, key));
    if (done) {
      setNewCategory('');
      await reload();
    }
  };

  const saveRename = async (event: FormEvent) => {
    event.preventDefault();
    if (!renaming) return;
    const { id } = renaming;
    const body = { name: renaming.name.trim(), ...write.who };
    const done = await write.run(['rename', id, body], (api, key) => api.categories.update(id, body, key));
    if (done) {
      setRenaming(null);
      await reload();
    }
  };

  // The switch moves at once; it moves back if the server refuses.
  const [flipping, setFlipping] = useState<Record<string, boolean>>({});
  const setAvailable = async (item: MenuItem, available: boolean) => {
    setFlipping((f) => ({ ...f, [item.id]: available }));
    const body = { available, ...write.who };
    const done = await write.run(['available', item.id, body], (api, key) => api.menuItems.update(item.id, body, key));
    if (done) await reload();
    setFlipping(({ [item.id]: _, ...rest }) => rest);
  };

  const remove = async () => {
    if (!removing) return;
    const { kind, id } = removing;
    setRemoving(null);
    const done = await write.run(['remove', kind, id], (api, key) =>
      kind === 'item' ? api.menuItems.remove(id, write.who, key) : api.categories.remove(id, write.who, key),
    );
    if (done) await reload();
  };

  return (
    <ManageSection id="menu" title="Menu" loadError={loadError} writeError={write.error}>
      {menu === undefined ? (
        <p aria-busy="true">Loading the menu…</p>
      ) : (
        <>
          <form className="manage-inline-form" onSubmit={(e) => void addCategory(e)}>
            <label className="field">
              <span>New category</span>
              <input value={newCategory} onChange={(e) => setNewCategory(e.target.value)} maxLength={80} required />
            </label>
            <button type="submit" className="button button--primary" disabled={write.busy || !newCategory.trim()}>
              Add category
            </button>
          </form>
          {sortedCategories(menu).map((category, index, categories) => (
            <section key={category.id} className="manage-card" aria-labelledby={`cat-${category.id}`}>
              <header className="manage-card__header">
                <MoveButtons
                  name={category.name}
                  index={index}
                  count={categories.length}
                  busy={write.busy}
                  focus={lastMove?.id === category.id ? lastMove.direction : null}
                  onMove={(direction) => void moveCategory(categories, index, direction)}
                />
                {renaming?.id === category.id ? (
                  <form className="manage-inline-form" onSubmit={(e) => void saveRename(e)}>
                    <label className="field">
                      <span>Category name</span>
                      <input
                        value={renaming.name}
                        onChange={(e) => setRenaming({ id: category.id, name: e.target.value })}
                        maxLength={80}
                        required
                      />
                    </label>
                    <button type="submit" className="button button--primary" disabled={write.busy}>
                      Save
                    </button>
                    <button type="button" className="button" onClick={() => setRenaming(null)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  <h2 id={`cat-${category.id}`}>{category.name}</h2>
                )}
                <div className="manage-actions">
                  <button
                    type="button"
                    className="button button--primary"
                    onClick={() => setEditing({ item: null, categoryId: category.id })}
                    aria-label={`Add item to ${category.name}`}
                  >
                    Add item
                  </button>
                  <button
                    type="button"
                    className="button"
                    onClick={() => setRenaming({ id: category.id, name: category.name })}
                    aria-label={`Rename category ${category.name}`}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    className="button button--danger-outline"
                    onClick={() => setRemoving({ kind: 'category', id: category.id, name: category.name })}
                    aria-label={`Remove category ${category.name}`}
                  >
                    Remove
                  </button>
                </div>
              </header>
              <ItemList
                items={menu.items.filter((item) => item.categoryId === category.id)}
                busy={write.busy}
                lastMove={lastMove}
                onMove={(items, at, direction) => void moveItem(category.id, items, at, direction)}
                flipping={flipping}
                onEdit={(item) => setEditing({ item, categoryId: category.id })}
                onAvailable={(item, available) => void setAvailable(item, available)}
                onRemove={(item) => setRemoving({ kind: 'item', id: item.id, name: item.name })}
              />
            </section>
          ))}
        </>
      )}
      {editing && menu ? (
        <ItemDialog
          item={editing.item}
          categoryId={editing.categoryId}
          categories={sortedCategories(menu)}
          stations={[...new Set(menu.items.map((i) => i.station))].sort()}
          onSaved={() => void reload()}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {removing ? (
        <Confirm
          title={removing.kind === 'item' ? `Remove ${removing.name}?` : `Remove category ${removing.name}?`}
          confirmLabel="Remove"
          onConfirm={() => void remove()}
          onClose={() => setRemoving(null)}
        >
          <p>
            {removing.kind === 'item'
              ? 'It leaves every tablet’s menu. A dish that was ever ordered is archived, so reports keep it.'
              : 'Only an empty category can be removed: move or remove its dishes first.'}
          </p>
        </Confirm>
      ) : null}
    </ManageSection>
  );
}

function sortedCategories(menu: MenuResponse): Category[] {
  return [...menu.categories].sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name));
}

function ItemList({
  items,
  busy,
  lastMove,
  onMove,
  flipping,
  onEdit,
  onAvailable,
  onRemove,
}: {
  items: MenuItem[];
  busy: boolean;
  lastMove: { id: string; direction: Direction } | null;
  onMove: (items: MenuItem[], index: number, direction: Direction) => void;
  flipping: Record<string, boolean>;
  onEdit: (item: MenuItem) => void;
  onAvailable: (item: MenuItem, available: boolean) => void;
  onRemove: (item: MenuItem) => void;
}) {
  if (items.length === 0) return <p className="manage-muted">No dishes in this category yet.</p>;
  return (
    <ul className="manage-list">
      {items.map((item, index) => {
        const available = flipping[item.id] ?? item.available;
        return (
          <li key={item.id} className={available ? 'manage-row' : 'manage-row manage-row--off'}>
            <MoveButtons
              name={item.name}
              index={index}
              count={items.length}
              busy={busy}
              focus={lastMove?.id === item.id ? lastMove.direction : null}
              onMove={(direction) => onMove(items, index, direction)}
            />
            <div className="manage-row__main">
              <strong>{item.name}</strong>
              <span>{formatCents(item.priceCents)}</span>
              <span className="manage-muted">
                {item.station}
                {item.prepMinutes ? ` · ${item.prepMinutes} min` : ''}
                {item.allergens.length > 0 ? ` · ${item.allergens.join(', ')}` : ''}
                {item.modifierGroups.length > 0 ? ` · ${item.modifierGroups.map((g) => g.name).join(', ')}` : ''}
              </span>
            </div>
            <label className="manage-switch">
              <input
                type="checkbox"
                role="switch"
                checked={available}
                disabled={busy}
                onChange={(e) => onAvailable(item, e.target.checked)}
                aria-label={`${item.name} available`}
              />
              <span aria-hidden="true">{available ? 'Available' : 'Sold out'}</span>
            </label>
            <EditRemoveActions what={item.name} onEdit={() => onEdit(item)} onRemove={() => onRemove(item)} />
          </li>
        );
      })}
    </ul>
  );
}
