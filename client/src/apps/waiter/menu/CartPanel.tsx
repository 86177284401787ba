import { formatCents, type AllergyInput, type MenuItem } from '@chit/shared';
import { useState } from 'react';
import type { CartLine } from '../../../db/schema.js';
import { priceLine } from '../../../domain/cart.js';
import { ErrorNote } from '../../../ui/forms.js';
import { AllergyFields, menuAllergens } from './AllergyFields.js';

export function CartPanel({
  lines,
  menuItems,
  onQuantity,
  onSend,
  allergy = null,
  onAllergy,
  sending,
  error,
}: {
  lines: CartLine[];
  menuItems: Map<string, MenuItem>;
  onQuantity: (lineId: string, quantity: number) => void;
  onSend: () => void;
  /** The whole order's allergy (null: none), sent with it. */
  allergy?: AllergyInput | null;
  onAllergy?: (allergy: AllergyInput | null) => void;
  sending: boolean;
  error: string | null;
}) {
  const priced = lines.map((line) => ({
    line,
    item: menuItems.get(line.menuItemId),
    ...priceLine(line, menuItems.get(line.menuItemId)),
  }));
  const total = priced.reduce((sum, p) => sum + p.totalCents, 0);
  const blocked = priced.some((p) => p.problem !== null);
  const count = lines.reduce((n, l) => n + l.quantity, 0);
  // On a phone the cart is a bar under the dishes (total and Send), its lines one tap away:
  // open, it would cover most of the menu. Wider screens always show the lines (CSS).
  const [open, setOpen] = useState(false);
  return (
    <aside className={open ? 'cart cart--open' : 'cart'} aria-label="Cart">
      <h2 className="cart__title">Cart</h2>
      <button
        type="button"
        className="button button--ghost cart__toggle"
        aria-expanded={open}
        aria-controls="cart-lines"
        onClick={() => setOpen(!open)}
      >
        Cart · {count} {count === 1 ? 'item' : 'items'}
        <span aria-hidden="true">{open ? ' ▾' : ' ▴'}</span>
      </button>
      {lines.length === 0 ? (
        <p className="cart__empty">Tap a dish to add it.</p>
      ) : (
        <ul className="cart__lines" id="cart-lines">
          {priced.map(({ line, item, modifiers, totalCents, problem }) => (
            <li key={line.id} className="cart__line">
              <div className="cart__what">
                <strong>{item?.name ?? 'Unknown dish'}</strong>
                {modifiers.length > 0 ? <span>{modifiers.map((m) => m.name).join(', ')}</span> : null}
                {line.note ? <span className="item__note">“{line.note}”</span> : null}
                {line.allergy ? (
                  <span className="item__allergy">
                    <span aria-hidden="true">⚠ </span>Allergy:{' '}
                    {[...(line.allergy.allergens ?? []), line.allergy.note ?? ''].filter(Boolean).join(', ')}
                  </span>
                ) : null}
                {problem ? (
                  <span className="item__problem" role="alert">
                    {problem}
                  </span>
                ) : null}
              </div>
              <div className="stepper stepper--small" role="group" aria-label={`Quantity of ${item?.name ?? 'dish'}`}>
                <button
                  type="button"
                  className="button"
                  aria-label={
                    line.quantity === 1 ? `Remove ${item?.name ?? 'dish'}` : `One less ${item?.name ?? 'dish'}`
                  }
                  onClick={() => onQuantity(line.id, line.quantity - 1)}
                >
                  −
                </button>
                <span className="stepper__value">{line.quantity}</span>
                <button
                  type="button"
                  className="button"
                  aria-label={`One more ${item?.name ?? 'dish'}`}
                  onClick={() => onQuantity(line.id, line.quantity + 1)}
                >
                  +
                </button>
              </div>
              <span className="cart__price">{formatCents(totalCents)}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="cart__foot">
        <span className="cart__total">
          Total <strong>{formatCents(total)}</strong>
        </span>
        {onAllergy ? (
          <AllergyFields
            known={menuAllergens(menuItems.values())}
            of="whole order"
            allergy={allergy}
            onChange={onAllergy}
          />
        ) : null}
        <ErrorNote error={error} />
        <button
          type="button"
          className="button button--primary button--large cart__send"
          disabled={lines.length === 0 || blocked || sending}
          onClick={onSend}
        >
          Send to kitchen
        </button>
      </div>
    </aside>
  );
}
