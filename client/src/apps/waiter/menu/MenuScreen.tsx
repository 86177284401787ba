import { formatCents, type AllergyInput, type MenuItem } from '@chit/shared';
import { useMemo, useState } from 'react';
import { Link, Redirect, useLocation } from 'wouter';
import { useServices } from '../../../ui/context.js';
import { useCart, useDraft, useMenu, useTable } from '../../../db/hooks.js';
import { customerLabel } from '../../../domain/customer.js';
import { menuAllergens } from './AllergyFields.js';
import { CartPanel } from './CartPanel.js';
import { ItemSheet } from './ItemSheet.js';
import { orderableCategories } from './categories.js';
import './MenuScreen.css';

/**
 * Taking an order: pick dishes into the cart (kept on the tablet), then Send. The cart is a
 * table's, or a draft's: a takeaway or delivery order whose customer was just entered.
 */
export function MenuScreen(props: { tableId: string } | { draftId: string }) {
  const { db, engine } = useServices();
  const cartId = 'tableId' in props ? props.tableId : props.draftId;
  const menu = useMenu(db);
  const table = useTable(db, 'tableId' in props ? props.tableId : '');
  const draft = useDraft(db, 'draftId' in props ? props.draftId : '');
  const cart = useCart(db, cartId) ?? [];
  const [, navigate] = useLocation();
  const [category, setCategory] = useState<string | null>(null);
  // The whole order's allergy, set in the cart before Send (null: none).
  const [allergy, setAllergy] = useState<AllergyInput | null>(null);
  const [search, setSearch] = useState('');
  // `forNote`: opened with ✎, so the note field has the focus (the waiter came to type).
  const [sheet, setSheet] = useState<{ item: MenuItem; forNote: boolean } | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const categories = useMemo(() => (menu ? orderableCategories(menu) : []), [menu]);
  const byId = useMemo(() => new Map((menu?.items ?? []).map((item) => [item.id, item])), [menu]);
  // The chosen category may have just gone (its last dish 86'd): fall back to the first.
  const activeCategory = categories.some((c) => c.id === category) ? category : (categories[0]?.id ?? null);
  const query = search.trim().toLowerCase();
  const shown = (menu?.items ?? []).filter((item) =>
    query
      ? item.name.toLowerCase().includes(query) || item.description.toLowerCase().includes(query)
      : item.categoryId === activeCategory,
  );

  if (menu === undefined || table === undefined || draft === undefined) {
    return <main className="screen" aria-busy="true" />;
  }
  // Sent (or discarded): the order is all there is.
  if ('draftId' in props && draft === null) return <Redirect to={`/orders/${props.draftId}`} replace />;
  const target = table
    ? { title: `table ${table.number}`, back: `/tables/${table.id}`, backLabel: `Table ${table.number}` }
    : draft
      ? { title: customerLabel(draft), back: `/orders/${draft.id}/customer`, backLabel: 'Customer' }
      : null;
  if (menu === null || target === null) {
    return (
      <main className="screen">
        <h1>The menu is not on this tablet yet</h1>
        <p>It is loaded the first time the tablet reaches the server.</p>
        <Link href="/">Back to tables</Link>
      </main>
    );
  }

  const addOne = (item: MenuItem) => {
    void engine.addToCart(cartId, { menuItemId: item.id, modifierOptionIds: [], quantity: 1, note: '' });
    setAdded(`Added 1 × ${item.name}`);
  };

  const send = async () => {
    setSending(true);
    setError(null);
    const result = await engine.mutate('createOrder', { cartId, allergy });
    setSending(false);
    // A draft's id is its order's.
    if (result.ok) navigate(table ? `/tables/${table.id}` : `/orders/${cartId}`, { replace: !table });
    else setError(result.message);
  };

  return (
    <main className="screen menu">
      <section className="menu__browse" aria-label="Menu">
        <div className="menu__head">
          <Link href={target.back} className="button button--ghost">
            ← {target.backLabel}
          </Link>
          <h1>Add to {target.title}</h1>
          <label className="menu__search">
            <span className="visually-hidden">Search the menu</span>
            <input
              type="search"
              placeholder="Search dishes"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </label>
        </div>
        {query ? null : (
          <nav className="menu__categories" aria-label="Categories">
            {categories.map((c) => (
              <button
                key={c.id}
                type="button"
                className={`button category${c.id === activeCategory ? ' category--active' : ''}`}
                aria-pressed={c.id === activeCategory}
                onClick={() => setCategory(c.id)}
              >
                {c.name}
              </button>
            ))}
          </nav>
        )}
        <p className="visually-hidden" role="status">
          {added}
        </p>
        <ul className="menu__items" aria-label={query ? 'Search results' : 'Dishes'}>
          {shown.map((item) => {
            // A dish with nothing to choose goes in with one tap; its line's stepper sits on the tile.
            const oneTap = item.modifierGroups.length === 0;
            const plainLine = oneTap ? cart.find((l) => l.menuItemId === item.id && l.note === '') : undefined;
            return (
              <li key={item.id} className="dish-tile">
                <button
                  type="button"
                  className="dish"
                  disabled={!item.available}
                  onClick={() => (oneTap ? addOne(item) : setSheet({ item, forNote: false }))}
                >
                  <span className="dish__name">{item.name}</span>
                  <span className="dish__desc">{item.available ? item.description : 'Unavailable'}</span>
                  <span className="dish__price">{formatCents(item.priceCents)}</span>
                </button>
                {item.available ? (
                  <div className="dish-tile__extra">
                    {plainLine ? (
                      <div className="stepper dish-tile__stepper" role="group" aria-label={`${item.name} in the order`}>
                        <button
                          type="button"
                          className="button"
                          aria-label={plainLine.quantity === 1 ? `Remove ${item.name}` : `One less ${item.name}`}
                          onClick={() => void engine.setCartQuantity(plainLine.id, plainLine.quantity - 1)}
                        >
                          −
                        </button>
                        <span className="stepper__value">{plainLine.quantity}</span>
                        <button
                          type="button"
                          className="button"
                          aria-label={`One more ${item.name}`}
                          onClick={() => addOne(item)}
                        >
                          +
                        </button>
                      </div>
                    ) : null}
                    <button
                      type="button"
                      className="button button--ghost dish-tile__note"
                      aria-label={`${item.name} with a note`}
                      title="With a note"
                      onClick={() => setSheet({ item, forNote: true })}
                    >
                      <span aria-hidden="true">✎</span>
                    </button>
                  </div>
                ) : null}
              </li>
            );
          })}
          {shown.length === 0 ? <li className="menu__none">No dish matches “{search}”.</li> : null}
        </ul>
      </section>
      <CartPanel
        lines={cart}
        menuItems={byId}
        onQuantity={(lineId, quantity) => void engine.setCartQuantity(lineId, quantity)}
        onSend={() => void send()}
        allergy={allergy}
        onAllergy={setAllergy}
        sending={sending}
        error={error}
      />
      {sheet ? (
        <ItemSheet
          item={sheet.item}
          focusNote={sheet.forNote}
          knownAllergens={menuAllergens(byId.values())}
          onClose={() => setSheet(null)}
          onAdd={(choice) => {
            void engine.addToCart(cartId, choice);
            setAdded(`Added ${choice.quantity} × ${sheet.item.name}`);
            setSheet(null);
          }}
        />
      ) : null}
    </main>
  );
}
