import {
  formatCents,
  type ReportHour,
  type ReportMenuItem,
  type ReportOrder,
  type ReportTable,
  type ReportVoid,
  type ReportWaiter,
} from '@chit/shared';
import { useEffect, useRef, useState } from 'react';
import { useMeta } from '../../../db/hooks.js';
import { clockTime } from '../../../ui/time.js';
import { ErrorNote } from '../../../ui/ErrorNote.js';
import { ManagerApi } from '../../../sync/manager-api.js';
import { useServices } from '../../../ui/context.js';
import { ticketNumberText } from '../../../ui/ticket-number.js';
import { DataTable, type Column, type DataTableProps } from '../DataTable.js';
import { ManageCard } from '../ManageSection.js';
import { useLoad } from '../useWrite.js';
import { downloadCsv } from './csv.js';
import './today.css';

function orderTitle(order: ReportOrder): string {
  if (order.type === 'dine_in') return order.tableNumber !== null ? `Table ${order.tableNumber}` : 'Dine-in';
  const kind = order.type === 'takeaway' ? 'Takeaway' : 'Delivery';
  return order.customer ? `${kind}: ${order.customer.name}` : kind;
}

function minutes(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)} min`;
}

/** "14:00" in the report's time zone (the server's, which may not be this device's). */
function hourOf(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: timezone }).format(
    new Date(iso),
  );
}

// The report's tables: how each keys its rows, what it says when empty, and its columns (the
// first column heads each row). The screen gives each its rows.
type ReportTableOf<T> = Omit<DataTableProps<T>, 'rows'>;

/** Orders, items and sales: what a waiter or an hour sold. */
const salesColumns: Column<{ orders: number; items: number; totalCents: number }>[] = [
  { header: 'Orders', cell: (row) => row.orders },
  { header: 'Items', cell: (row) => row.items },
  { header: 'Sales', cell: (row) => formatCents(row.totalCents) },
];

/** A "sales per …" table: who or when, then what was sold. */
function salesTable<T extends { orders: number; items: number; totalCents: number }>(
  rowKey: (row: T) => string,
  ...first: Column<T>[]
): ReportTableOf<T> {
  return { rowKey, empty: 'No orders yet.', columns: [...first, ...salesColumns] };
}

const waiterTable = salesTable<ReportWaiter>(
  (w) => `${w.deviceId}:${w.staffName}`,
  { header: 'Waiter', cell: (w) => w.staffName || 'No name given' },
  { header: 'Tablet', cell: (w) => w.deviceName },
);

/** Hours as the report's time zone tells them. */
const hourTable = (timezone: string) =>
  salesTable<ReportHour>((h) => h.hour, { header: 'Hour', cell: (h) => `${hourOf(h.hour, timezone)}` });

const tableTable: ReportTableOf<ReportTable> = {
  rowKey: (t) => t.tableId,
  empty: 'No table orders.',
  columns: [
    { header: 'Table', cell: (t) => t.label },
    { header: 'Area', cell: (t) => t.area ?? '—' },
    { header: 'Orders', cell: (t) => t.orders },
    { header: 'Open items', cell: (t) => t.openItems },
    { header: 'Total', cell: (t) => formatCents(t.totalCents) },
  ],
};

const voidTable: ReportTableOf<ReportVoid> = {
  rowKey: (v) => v.itemId,
  empty: 'Nothing voided.',
  columns: [
    {
      header: 'Dish',
      cell: (v) => `${v.quantity} × ${v.name}${v.afterCookingStarted ? ' (after cooking started)' : ''}`,
    },
    { header: 'Table', cell: (v) => v.tableNumber ?? '—' },
    { header: 'Value', cell: (v) => formatCents(v.quantity * v.unitPriceCents) },
    { header: 'Who', cell: (v) => `${v.voidedByStaffName || 'Someone'} on ${v.voidedByDeviceName}` },
    { header: 'When', cell: (v) => clockTime(v.voidedAt) },
    { header: 'Reason', cell: (v) => v.reason ?? '—' },
  ],
};

const dishTable: ReportTableOf<ReportMenuItem> = {
  rowKey: (m) => m.menuItemId,
  empty: 'No dishes ordered.',
  columns: [
    { header: 'Dish', cell: (m) => m.name },
    { header: 'Sold', cell: (m) => m.quantity },
    { header: 'Total', cell: (m) => formatCents(m.totalCents) },
    { header: 'Reached ready', cell: (m) => m.readyCount },
    { header: 'Average sent → ready', cell: (m) => minutes(m.avgMinutesToReady) },
    { header: '90th percentile', cell: (m) => minutes(m.p90MinutesToReady) },
  ],
};

/**
 * At most one reload per this interval while events stream in: a rush sends several a
 * second, and the report is a dozen aggregate queries.
 */
const liveReloadMs = 5_000;

/**
 * Reads today's report again whenever this device's event stream moves (an order, a bump, a
 * void anywhere), at most every `liveReloadMs`. The stream is already open for every paired
 * device, so "live" costs no polling; without it (offline) nothing changes to show anyway.
 */
function useLiveReload(enabled: boolean, reload: () => Promise<void>): void {
  const { db } = useServices();
  const position = useMeta(db, 'lastEventId');
  // The position the report on screen already reflects, and when it was last read again.
  const shown = useRef<number | null | undefined>(undefined);
  const last = useRef(0);
  useEffect(() => {
    if (position === undefined) return;
    if (shown.current === undefined) shown.current = position;
    if (!enabled || position === shown.current) return;
    const timer = setTimeout(
      () => {
        shown.current = position;
        last.current = Date.now();
        void reload();
      },
      Math.max(0, last.current + liveReloadMs - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [enabled, position, reload]);
}

/** Today's (or another day's) orders with totals per table and order, voids, and kitchen times per dish. */
export function TodayScreen() {
  const [day, setDay] = useState('');
  const { data: report, error, reload } = useLoad((api) => api.todayReport(day ? { from: day, to: day } : {}));
  const { engine } = useServices();
  // Today's report follows the service; a past day's does not change.
  useLiveReload(day === '', reload);
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
    const api = new ManagerApi(engine.online);
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
        <button
          type="button"
          className="button"
          disabled={!report}
          onClick={() => report && downloadCsv(report, `chit-report-${day || report.from.slice(0, 10)}.csv`)}
        >
          Export CSV
        </button>
        <button type="button" className="button" disabled={!report} onClick={() => window.print()}>
          Print
        </button>
      </div>
      <ErrorNote error={error} />
      {report === undefined ? (
        <p aria-busy="true">Loading the report…</p>
      ) : (
        <>
          <p className="manage-muted" aria-live="polite">
            From {new Date(report.from).toLocaleString()} to {new Date(report.to).toLocaleString()} ({report.timezone})
            {day ? '' : ' · updates as orders come in'}
          </p>
          <ManageCard id="totals" title="Totals">
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
          </ManageCard>

          <ManageCard id="by-waiter" title="Sales per waiter">
            <p className="manage-muted">
              Sales as ordered (voids left out). Chit has no billing yet, so there is no paid or unpaid state here.
            </p>
            <DataTable rows={report.waiters} {...waiterTable} />
          </ManageCard>

          <ManageCard id="by-hour" title="Sales per hour">
            <DataTable rows={report.hours} {...hourTable(report.timezone)} />
          </ManageCard>

          <ManageCard id="by-table" title="By table">
            <DataTable rows={report.tables} {...tableTable} />
          </ManageCard>

          <ManageCard id="orders" title="Orders">
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
          </ManageCard>

          <ManageCard id="voids" title="Voids">
            <DataTable rows={voids} {...voidTable} />
            {nextVoids ? (
              <button type="button" className="button" onClick={() => void showMore('voids')}>
                Show more voids
              </button>
            ) : null}
          </ManageCard>

          <ManageCard id="dishes" title="Dishes and kitchen times">
            <DataTable rows={report.menuItems} {...dishTable} />
          </ManageCard>
        </>
      )}
    </section>
  );
}
