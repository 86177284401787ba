import { formatCents } from '@chit/shared';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { useServices } from '../../../ui/context.js';
import { useNow } from '../../../ui/time.js';
import { OrderCard, ServeAllButton } from '../../../ui/OrderCard.js';
import { useCart, useTable, useTableOrders } from '../../../db/hooks.js';
import { Confirm } from '../../../ui/forms.js';
import './TableScreen.css';
import { BackToTables } from '../BackToTables.js';

/** One table: what was ordered, where each dish is, and the waiter's actions on it. */
export function TableScreen({ tableId }: { tableId: string }) {
  const { db, engine } = useServices();
  const table = useTable(db, tableId);
  const orders = useTableOrders(db, tableId);
  const cart = useCart(db, tableId) ?? [];
  const now = useNow(15_000);
  const [confirmClear, setConfirmClear] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    engine.watch({ tableId });
    return () => engine.watch(null);
  }, [engine, tableId]);

  if (table === undefined || orders === undefined) return <main className="screen" aria-busy="true" />;
  if (table === null) {
    return (
      <main className="screen">
        <h1>Unknown table</h1>
        <Link href="/">Back to all tables</Link>
      </main>
    );
  }
  const active = orders.filter((o) => o.items.some((i) => i.status !== 'served'));
  const done = orders.filter((o) => !active.includes(o));
  const cartCount = cart.reduce((sum, line) => sum + line.quantity, 0);
  const totalCents = orders
    .flatMap((view) => view.items)
    .filter((item) => item.status !== 'voided')
    .reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
  const notServed = orders.flatMap((o) => o.items).filter((i) => i.status !== 'served' && i.status !== 'voided').length;

  const clear = async () => {
    setConfirmClear(false);
    const result = await engine.mutate('clearTable', { tableId });
    setProblem(result.ok ? null : result.message);
  };

  return (
    <main className="screen table">
      <div className="table__head">
        <BackToTables />
        <h1>
          Table {table.number}
          {table.area ? <span className="table__area"> · {table.area}</span> : null}
        </h1>
        <Link href={`/tables/${table.id}/menu`} className="button button--primary button--large">
          {cartCount > 0 ? `Add items (${cartCount} in cart)` : 'Add items'}
        </Link>
      </div>
      {orders.length === 0 ? (
        <p className="table__empty">Nothing ordered at this table yet.</p>
      ) : (
        <div className="table__summary">
          <p className="table__total">
            Table total <strong>{formatCents(totalCents)}</strong>
          </p>
          {active.length > 1 ? (
            <ServeAllButton items={active.flatMap((view) => view.items)} label="Mark all {n} ready served" />
          ) : null}
        </div>
      )}
      {active.map((view) => (
        <OrderCard key={view.order.id} view={view} now={now} />
      ))}
      {done.length > 0 ? (
        <details className="table__done">
          <summary>Served earlier ({done.length})</summary>
          {done.map((view) => (
            <OrderCard key={view.order.id} view={view} now={now} />
          ))}
        </details>
      ) : null}
      {problem ? (
        <p className="table__problem" role="alert">
          {problem}
        </p>
      ) : null}
      {orders.length > 0 ? (
        <div className="table__foot">
          <button type="button" className="button button--danger-outline" onClick={() => setConfirmClear(true)}>
            Clear table
          </button>
        </div>
      ) : null}
      {confirmClear ? (
        <Confirm
          title={`Clear table ${table.number}?`}
          confirmLabel="Clear table"
          cancelLabel="Keep it"
          onConfirm={() => void clear()}
          onClose={() => setConfirmClear(false)}
        >
          <p>
            The party has left: served dishes leave this table (the reports keep them).
            {notServed > 0
              ? ` ${notServed} dish${notServed === 1 ? ' is' : 'es are'} not served yet and will stay.`
              : ''}
          </p>
        </Confirm>
      ) : null}
    </main>
  );
}
