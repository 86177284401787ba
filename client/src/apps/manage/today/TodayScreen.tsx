import { formatCents, type ReportOrder, type ReportVoid } from '@chit/shared';
import { useEffect, useState } from 'react';
import { clockTime } from '../../../ui/time.js';
import { ErrorNote } from '../../../ui/ErrorNote.js';
import { ManagerApi } from '../../../sync/manager-api.js';
import { useServices } from '../../../ui/context.js';
import { ticketNumberText } from '../../../ui/ticket-number.js';
import { useLoad } from '../useWrite.js';

function orderTitle(order: ReportOrder): string {
  if (order.type === 'dine_in') return order.tableNumber !== null ? `Table ${order.tableNumber}` : 'Dine-in';
  const kind = order.type === 'takeaway' ? 'Takeaway' : 'Delivery';
  return order.customer ? `${kind}: ${order.customer.name}` : kind;
}

function minutes(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)} min`;
}

/** Today's (or another day's) orders with totals per table and order, voids, and kitchen times per dish. */
export function TodayScreen() {
  const [day, setDay] = useState('');
  const { data: report, error, reload } = useLoad((api) => api.todayReport(day ? { from: day, to: day } : {}));
  const { engine } = useServices();
  // The report carries the first page of orders and voids; "Show more" appends the next ones.
  const [more, setMore] = useState<{
    orders: ReportOrder[];
    nextOrders: string | null;
    voids: ReportVoid[];
    nextVoids: string | null;
  } | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  useEffect(() => setMore(null), [report]);
  const orders = report ? [...report.orders, ...(more?.orders ?? [])] : [];
  const voids = report ? [...report.voids, ...(more?.voids ?? [])] : [];
  const nextOrders = more ? more.nextOrders : (report?.nextOrders ?? null);
  const nextVoids = more ? more.nextVoids : (report?.nextVoids ?? null);

  const showMore = async (what: 'orders' | 'voids') => {
    if (!report) return;
    const api = new ManagerApi(engine.api);
    const period = { from: report.from, to: report.to };
    const base = more ?? { orders: [], nextOrders: report.nextOrders, voids: [], nextVoids: report.nextVoids };
    if (what === 'orders' && base.nextOrders) {
      const page = await api.reportOrders({ ...period, after: base.nextOrders });
      if (page.kind !== 'ok') return setMoreError('Could not load more orders. Try again.');
      setMore({ ...base, orders: [...base.orders, ...page.data.orders], nextOrders: page.data.next });
    } else if (what === 'voids' && base.nextVoids) {
      const page = await api.reportVoids({ ...period, after: base.nextVoids });
      if (page.kind !== 'ok') return setMoreError('Could not load more voids. Try again.');
      setMore({ ...base, voids: [...base.voids, ...page.data.voids], nextVoids: page.data.next });
    }
    setMoreError(null);
  };

  return (
    <section className="manage-section" aria-labelledby="today-title">
      <h1 id="today-title">{day ? `Report for ${day}` : 'Today'}</h1>
      <div className="manage-inline-form">
        <label className="field">
          <span>Day</span>
          <input type="date" value={day} onChange={(e) => setDay(e.target.value)} />
        </label>
        <button type="button" className="button" onClick={() => void reload()}>
          {day ? 'Show' : 'Refresh'}
        </button>
      </div>
      <ErrorNote error={error} />
      {report === undefined ? (
        <p aria-busy="true">Loading the report…</p>
      ) : (
        <>
          <p className="manage-muted">
            From {new Date(report.from).toLocaleString()} to {new Date(report.to).toLocaleString()} ({report.timezone})
          </p>
          <section className="manage-card" aria-labelledby="totals-title">
            <h2 id="totals-title">Totals</h2>
            <dl className="manage-totals">
              <div>
                <dt>Orders</dt>
                <dd>{report.totals.orders}</dd>
              </div>
              <div>
                <dt>Items</dt>
                <dd>{report.totals.items}</dd>
              </div>
              <div>
                <dt>Total</dt>
                <dd>{formatCents(report.totals.totalCents)}</dd>
              </div>
              <div>
                <dt>Voided</dt>
                <dd>
                  {report.totals.voidedItems} ({formatCents(report.totals.voidedCents)})
                </dd>
              </div>
            </dl>
          </section>

          <section className="manage-card" aria-labelledby="by-table-title">
            <h2 id="by-table-title">By table</h2>
            {report.tables.length === 0 ? (
              <p className="manage-muted">No table orders.</p>
            ) : (
              <div className="manage-table-wrap">
                <table className="manage-table">
                  <thead>
                    <tr>
                      <th scope="col">Table</th>
                      <th scope="col">Area</th>
                      <th scope="col">Orders</th>
                      <th scope="col">Open items</th>
                      <th scope="col">Total</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.tables.map((t) => (
                      <tr key={t.tableId}>
                        <th scope="row">{t.label}</th>
                        <td>{t.area ?? '—'}</td>
                        <td>{t.orders}</td>
                        <td>{t.openItems}</td>
                        <td>{formatCents(t.totalCents)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section className="manage-card" aria-labelledby="orders-title">
            <h2 id="orders-title">Orders</h2>
            {orders.length === 0 ? <p className="manage-muted">No orders yet.</p> : null}
            {orders.length < report.totals.orders ? (
              <p className="manage-muted">
                Showing {orders.length} of {report.totals.orders}, oldest first.
              </p>
            ) : null}
            <ul className="manage-orders">
              {orders.map((order) => (
                <li key={order.id}>
                  <article aria-label={`${orderTitle(order)}, ${clockTime(order.createdAt)}`} className="manage-order">
                    <header className="manage-order__header">
                      <h3>
                        {ticketNumberText(order)} · {orderTitle(order)} · {clockTime(order.createdAt)}
                      </h3>
                      <strong>{formatCents(order.totalCents)}</strong>
                    </header>
                    <p className="manage-muted">
                      {order.staffName || 'Someone'} on {order.deviceName}
                      {order.customer?.phone ? ` · ${order.customer.phone}` : ''}
                      {order.customer?.address ? ` · ${order.customer.address}` : ''}
                      {order.openItems > 0 ? ` · ${order.openItems} open` : ''}
                    </p>
                    <ul className="manage-order__items">
                      {order.items.map((item) => (
                        <li key={item.id} className={item.status === 'voided' ? 'manage-voided' : undefined}>
                          {item.quantity} × {item.name}
                          {item.modifiers.length > 0 ? ` (${item.modifiers.map((m) => m.name).join(', ')})` : ''}
                          {item.status === 'voided' ? ' — voided' : ''}
                        </li>
                      ))}
                    </ul>
                  </article>
                </li>
              ))}
            </ul>
            {nextOrders ? (
              <button type="button" className="button" onClick={() => void showMore('orders')}>
                Show more orders
              </button>
            ) : null}
            <ErrorNote error={moreError} />
          </section>

          <section className="manage-card" aria-labelledby="voids-title">
            <h2 id="voids-title">Voids</h2>
            {voids.length === 0 ? (
              <p className="manage-muted">Nothing voided.</p>
            ) : (
              <div className="manage-table-wrap">
                <table className="manage-table">
                  <thead>
                    <tr>
                      <th scope="col">Dish</th>
                      <th scope="col">Table</th>
                      <th scope="col">Value</th>
                      <th scope="col">Who</th>
                      <th scope="col">When</th>
                      <th scope="col">Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {voids.map((v) => (
                      <tr key={v.itemId}>
                        <th scope="row">
                          {v.quantity} × {v.name}
                          {v.afterCookingStarted ? ' (after cooking started)' : ''}
                        </th>
                        <td>{v.tableNumber ?? '—'}</td>
                        <td>{formatCents(v.quantity * v.unitPriceCents)}</td>
                        <td>
                          {v.voidedByStaffName || 'Someone'} on {v.voidedByDeviceName}
                        </td>
                        <td>{clockTime(v.voidedAt)}</td>
                        <td>{v.reason ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {nextVoids ? (
              <button type="button" className="button" onClick={() => void showMore('voids')}>
                Show more voids
              </button>
            ) : null}
          </section>

          <section className="manage-card" aria-labelledby="dishes-title">
            <h2 id="dishes-title">Dishes and kitchen times</h2>
            {report.menuItems.length === 0 ? (
              <p className="manage-muted">No dishes ordered.</p>
            ) : (
              <div className="manage-table-wrap">
                <table className="manage-table">
                  <thead>
                    <tr>
                      <th scope="col">Dish</th>
                      <th scope="col">Sold</th>
                      <th scope="col">Total</th>
                      <th scope="col">Reached ready</th>
                      <th scope="col">Average sent → ready</th>
                      <th scope="col">90th percentile</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.menuItems.map((m) => (
                      <tr key={m.menuItemId}>
                        <th scope="row">{m.name}</th>
                        <td>{m.quantity}</td>
                        <td>{formatCents(m.totalCents)}</td>
                        <td>{m.readyCount}</td>
                        <td>{minutes(m.avgMinutesToReady)}</td>
                        <td>{minutes(m.p90MinutesToReady)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </section>
  );
}
