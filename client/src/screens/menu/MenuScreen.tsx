import { formatCents, type MenuItem } from '@chit/shared';
import { useMemo, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useServices } from '../../app/context.js';
import { useCart, useMenu, useTable } from '../../db/hooks.js';
import { CartPanel } from './CartPanel.js';
import { ItemSheet } from './ItemSheet.js';
import './MenuScreen.css';

/** Taking an order: pick dishes into the table's cart (kept on the tablet), then Send. */
export function MenuScreen({ tableId }: { tableId: string }) {
  const { db, engine } = useServices();
  const menu = useMenu(db);
  const table = useTable(db, tableId);
  const cart = useCart(db, tableId) ?? [];
  const [, navigate] = useLocation();
  const [category, setCategory] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [sheet, setSheet] = useState<MenuItem | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const categories = useMemo(() => [...(menu?.categories ?? [])].sort((a, b) => a.sort - b.sort), [menu]);
  const byId = useMemo(() => new Map((menu?.items ?? []).map((item) => [item.id, item])), [menu]);
  const activeCategory = category ?? categories[0]?.id ?? null;
  const query = search.trim().toLowerCase();
  const shown = (menu?.items ?? []).filter((item) =>
    query
      ? item.name.toLowerCase().includes(query) || item.description.toLowerCase().includes(query)
      : item.categoryId === activeCategory,
  );

  if (menu === undefined || table === undefined) return <main className="screen" aria-busy="true" />;
  if (menu === null || table === null) {
    return (
      <main className="screen">
        <h1>The menu is not on this tablet yet</h1>
        <p>It is loaded the first time the tablet reaches the server.</p>
        <Link href="/">Back to tables</Link>
      </main>
    );
  }

  const send = async () => {
    setSending(true);
    setError(null);
    const result = await engine.sendCart(tableId);
    setSending(false);
    if (result.ok) navigate(`/tables/${tableId}`);
    else setError(result.message);
  };

  return (
    <main className="screen menu">
      <section className="menu__browse" aria-label="Menu">
        <div className="menu__head">
          <Link href={`/tables/${tableId}`} className="button button--ghost">
            ← Table {table.number}
          </Link>
          <h1>Add to table {table.number}</h1>
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
          {shown.map((item) => (
            <li key={item.id}>
              <button type="button" className="dish" disabled={!item.available} onClick={() => setSheet(item)}>
                <span className="dish__name">{item.name}</span>
                <span className="dish__desc">{item.available ? item.description : 'Unavailable'}</span>
                <span className="dish__price">{formatCents(item.priceCents)}</span>
              </button>
            </li>
          ))}
          {shown.length === 0 ? <li className="menu__none">No dish matches “{search}”.</li> : null}
        </ul>
      </section>
      <CartPanel
        lines={cart}
        menuItems={byId}
        onQuantity={(lineId, quantity) => void engine.setCartQuantity(lineId, quantity)}
        onSend={() => void send()}
        sending={sending}
        error={error}
      />
      {sheet ? (
        <ItemSheet
          item={sheet}
          onClose={() => setSheet(null)}
          onAdd={(choice) => {
            void engine.addToCart(tableId, choice);
            setAdded(`Added ${choice.quantity} × ${sheet.name}`);
            setSheet(null);
          }}
        />
      ) : null}
    </main>
  );
}
