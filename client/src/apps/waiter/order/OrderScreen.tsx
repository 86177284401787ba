import { useEffect } from 'react';
import { Link, Redirect } from 'wouter';
import { useServices } from '../../../ui/context.js';
import { useNow } from '../../../ui/time.js';
import { OrderCard } from '../../../ui/OrderCard.js';
import { useDraft, useOrder } from '../../../db/hooks.js';
import { customerLabel } from '../../../domain/customer.js';
import './OrderScreen.css';
import { BackToTables } from '../BackToTables.js';

/** A takeaway or delivery order: who it is for, where each dish is, and the waiter's actions on it. */
export function OrderScreen({ orderId }: { orderId: string }) {
  const { db, engine } = useServices();
  const view = useOrder(db, orderId);
  const draft = useDraft(db, orderId);
  const now = useNow(15_000);

  useEffect(() => {
    engine.watch({ orderId });
    return () => engine.watch(null);
  }, [engine, orderId]);

  if (view === undefined || draft === undefined) return <main className="screen" aria-busy="true" />;
  // Not sent yet: its cart is where it is.
  if (draft) return <Redirect to={`/orders/${orderId}/menu`} replace />;
  if (view === null) {
    return (
      <main className="screen">
        <h1>This order is not on this tablet</h1>
        <p>It appears here once the tablet has reached the server, if the server has it.</p>
        <Link href="/">Back to all tables</Link>
      </main>
    );
  }
  const { customer } = view.order;
  return (
    <main className="screen takeaway">
      <div className="takeaway__head">
        <BackToTables />
        <h1>{customerLabel(view.order)}</h1>
        {customer?.address || customer?.phone ? (
          <p className="takeaway__contact">
            {customer.address}
            {customer.address && customer.phone ? ' · ' : ''}
            {customer.phone ? <a href={`tel:${customer.phone.replace(/[^+0-9]/g, '')}`}>{customer.phone}</a> : null}
          </p>
        ) : null}
      </div>
      {view.items.length === 0 ? <p className="takeaway__empty">Every dish of this order was voided.</p> : null}
      <OrderCard view={view} now={now} />
    </main>
  );
}
