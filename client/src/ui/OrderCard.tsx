import { checkModifierChoices, formatCents, limits, unitPriceCents } from '@chit/shared';
import { useState } from 'react';
import { useServices } from './context.js';
import { ticketNumberText } from './ticket-number.js';
import { ago, clockTime, minutesBetween } from './time.js';
import { useMenu, type OrderView } from '../db/hooks.js';
import type { ItemRow } from '../db/schema.js';
import { Dialog, DialogActions } from './Dialog.js';
import { QuantityStepper } from './QuantityStepper.js';
import { Confirm, ErrorNote, TextField } from './forms.js';
import { GroupPicker } from './ModifierPicker.js';
import './OrderCard.css';

// One order and its items with the waiter's actions (change, void, mark served): the same
// card on a table's screen and on a takeaway or delivery order's screen.

export function stateLabel(item: ItemRow): string {
  if (item.status === 'voided') return 'Voiding…';
  if (item.sync === 'local') return 'On this tablet only';
  switch (item.status) {
    case 'queued':
      return 'Sent';
    case 'cooking':
      return 'Cooking';
    case 'ready':
      return 'Ready';
    case 'served':
      return 'Served';
  }
}

function timing(item: ItemRow, now: number): string {
  const parts: string[] = [];
  if (item.sentAt) parts.push(`sent ${ago(Date.parse(item.sentAt), now)}`);
  else parts.push(`taken ${ago(Date.parse(item.takenAt), now)}`);
  if (item.status === 'cooking' && item.cookingAt) parts.push(`cooking ${minutesBetween(item.cookingAt, now)} min`);
  if (item.status === 'ready' && item.readyAt) parts.push(`ready ${ago(Date.parse(item.readyAt), now)}`);
  if (item.status !== 'served' && item.status !== 'ready' && item.cookMinutes)
    parts.push(`cook ~${item.cookMinutes} min`);
  return parts.join(' · ');
}

function EditDialog({ item, onClose }: { item: ItemRow; onClose: () => void }) {
  const { engine, db } = useServices();
  const menu = useMenu(db);
  const [quantity, setQuantity] = useState(item.quantity);
  const [note, setNote] = useState(item.note);
  const [chosen, setChosen] = useState<string[]>(() => item.modifiers.map((m) => m.optionId));
  const [error, setError] = useState<string | null>(null);
  // Size and toppings change only while the kitchen has not started the dish; after that a
  // different dish is a void and a new line (the server refuses it too: item_already_cooking).
  const menuItem = item.status === 'queued' ? menu?.items.find((i) => i.id === item.menuItemId) : undefined;
  const problem = menuItem ? (checkModifierChoices(menuItem, chosen)[0]?.message ?? null) : null;
  const save = async () => {
    const change = menuItem ? { quantity, note, modifierOptionIds: chosen } : { quantity, note };
    const result = await engine.mutate('patchItem', { itemId: item.id, change });
    if (result.ok) onClose();
    else setError(result.message);
  };
  return (
    <Dialog
      title={`Change ${item.name}`}
      onClose={onClose}
      actions={
        <DialogActions
          onCancel={onClose}
          confirmLabel="Save change"
          disabled={problem !== null}
          onConfirm={() => void save()}
        />
      }
    >
      {menuItem?.modifierGroups.map((group) => (
        <GroupPicker key={group.id} group={group} chosen={chosen} onChange={setChosen} />
      ))}
      {menuItem && menuItem.modifierGroups.length > 0 ? (
        <p className="sheet__status" role="status">
          {problem ?? `${formatCents(unitPriceCents(menuItem, chosen))} each`}
        </p>
      ) : null}
      {item.status !== 'queued' && item.modifiers.length > 0 ? (
        <p>The kitchen has started it: to change its size or toppings, void it and add a new line.</p>
      ) : null}
      <QuantityStepper value={quantity} onChange={setQuantity} />
      <TextField label="Note for the kitchen" value={note} onChange={setNote} maxLength={limits.maxNoteLength} />
      <ErrorNote error={error} />
    </Dialog>
  );
}

function VoidDialog({ item, onClose }: { item: ItemRow; onClose: () => void }) {
  const { engine } = useServices();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    const result = await engine.mutate('voidItem', { itemId: item.id, reason });
    if (result.ok) onClose();
    else setError(result.message);
  };
  return (
    <Confirm
      title={`Void ${item.quantity} × ${item.name}?`}
      confirmLabel="Void item"
      cancelLabel="Keep it"
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>
        {item.sync === 'local'
          ? 'The kitchen has not seen it yet; it simply leaves the order.'
          : item.status === 'cooking' || item.status === 'ready'
            ? 'The kitchen has already started it and will be told to stop.'
            : 'The kitchen will be told.'}
      </p>
      <TextField label="Reason (optional)" value={reason} onChange={setReason} maxLength={limits.maxNoteLength} />
      <ErrorNote error={error} />
    </Confirm>
  );
}

function ItemLine({ item, now }: { item: ItemRow; now: number }) {
  const { engine } = useServices();
  const [dialog, setDialog] = useState<'edit' | 'void' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const finished = item.status === 'served' || item.status === 'voided';
  const stateClass = item.sync === 'local' ? 'local' : item.status;
  return (
    <li className={`item item--${stateClass}`}>
      <div className="item__main">
        <span className="item__name">
          <strong>{item.quantity} ×</strong> {item.name}
        </span>
        {item.modifiers.length > 0 ? (
          <span className="item__mods">{item.modifiers.map((m) => m.name).join(', ')}</span>
        ) : null}
        {item.note ? <span className="item__note">“{item.note}”</span> : null}
        <span className="item__timing">{timing(item, now)}</span>
        {item.problem ? (
          <span className="item__problem" role="alert">
            Refused: {item.problem}
          </span>
        ) : null}
        {error ? (
          <span className="item__problem" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      <span className={`state state--${stateClass}`}>
        {stateLabel(item)}
        {item.pendingWrites > 0 && item.sync === 'synced' ? (
          <span className="state__sub"> · change not sent</span>
        ) : null}
      </span>
      <span className="item__price">{formatCents(item.unitPriceCents * item.quantity)}</span>
      <div className="item__actions">
        {item.status === 'ready' ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() =>
              void engine
                .mutate('patchItem', { itemId: item.id, change: { served: true } })
                .then((r) => setError(r.ok ? null : r.message))
            }
          >
            Mark served
          </button>
        ) : null}
        {!finished ? (
          <>
            <button type="button" className="button" onClick={() => setDialog('edit')}>
              Change
            </button>
            <button type="button" className="button button--danger-outline" onClick={() => setDialog('void')}>
              Void
            </button>
          </>
        ) : null}
      </div>
      {dialog === 'edit' ? <EditDialog item={item} onClose={() => setDialog(null)} /> : null}
      {dialog === 'void' ? <VoidDialog item={item} onClose={() => setDialog(null)} /> : null}
    </li>
  );
}

/**
 * "Mark N served" for every ready dish at once: a tray of plates goes out together. Each is
 * its own write in the outbox (offline too); one the server refuses shows on its line.
 */
export function ServeAllButton({ items, label }: { items: readonly ItemRow[]; label: string }) {
  const { engine } = useServices();
  const [error, setError] = useState<string | null>(null);
  const ready = items.filter((i) => i.status === 'ready');
  if (ready.length < 2) return null;
  const serveAll = async () => {
    setError(null);
    for (const item of ready) {
      const result = await engine.mutate('patchItem', { itemId: item.id, change: { served: true } });
      if (!result.ok) setError(result.message);
    }
  };
  return (
    <>
      <button type="button" className="button button--primary" onClick={() => void serveAll()}>
        {label.replace('{n}', String(ready.length))}
      </button>
      {error ? (
        <span className="item__problem" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

export function OrderCard({ view, now }: { view: OrderView; now: number }) {
  const { order, items } = view;
  const total = items
    .filter((i) => i.status !== 'voided')
    .reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
  return (
    <section className="order" aria-label={`Order taken at ${clockTime(order.takenAt)}`}>
      <header className="order__head">
        <h2>
          <span className={order.sync === 'local' ? 'order__number order__number--pending' : 'order__number'}>
            {ticketNumberText(order)}
          </span>{' '}
          Order {clockTime(order.takenAt)}
          {order.staffName ? ` · ${order.staffName}` : ''}
        </h2>
        <span className={order.sync === 'local' ? 'chip chip--warn' : 'chip'}>
          {order.sync === 'local' ? 'Not sent yet' : order.mine ? 'Sent from this tablet' : 'From another device'}
        </span>
        <span className="order__total">{formatCents(total)}</span>
        <ServeAllButton items={items} label="Mark all {n} served" />
      </header>
      <ul className="order__items">
        {items.map((item) => (
          <ItemLine key={item.id} item={item} now={now} />
        ))}
      </ul>
    </section>
  );
}
