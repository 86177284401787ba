import { formatCents } from '@chit/shared';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { useServices } from '../../../ui/context.js';
import { useNow } from '../../../ui/time.js';
import { useTablesOverview, useTakeawayOverview, type TableSummary } from '../../../db/hooks.js';
import TakeawayList from './TakeawayList.js';
import './TablesScreen.css';

/** "5 min", "1 h 20": how long a party has been at the table. */
function minutesSince(fromMs: number, now: number): string {
  const minutes = Math.max(0, Math.floor((now - fromMs) / 60_000));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Where tapping a table goes: a table with nothing going on opens straight on the menu (the
 * waiter is there to take an order); any other opens on its orders.
 */
export function tableHref(summary: TableSummary): string {
  const { table, items, unsynced, problems } = summary;
  const idle = items === 0 && unsynced === 0 && problems === 0;
  return idle ? `/tables/${table.id}/menu` : `/tables/${table.id}`;
}

function TableTile({ summary, now }: { summary: TableSummary; now: number }) {
  const { table, open, ready, unsynced, problems, amountCents, seatedAt } = summary;
  const seatedFor = seatedAt === null ? null : minutesSince(seatedAt, now);
  const parts = [
    open > 0 ? `${open} open` : 'no open items',
    amountCents > 0 ? formatCents(amountCents) : null,
    seatedFor === null ? null : `seated ${seatedFor}`,
    ready > 0 ? `${ready} ready to serve` : null,
    unsynced > 0 ? `${unsynced} not synced` : null,
    problems > 0 ? `${problems} refused` : null,
  ].filter(Boolean);
  const tone = problems > 0 ? 'problem' : ready > 0 ? 'ready' : open > 0 ? 'busy' : 'free';
  return (
    <li>
      <Link
        href={tableHref(summary)}
        className={`table-tile table-tile--${tone}`}
        aria-label={`Table ${table.number}${table.area ? `, ${table.area}` : ''}: ${parts.join(', ')}`}
      >
        <span className="table-tile__number">{table.number}</span>
        {table.label && table.label !== `Table ${table.number}` ? (
          <span className="table-tile__label">{table.label}</span>
        ) : null}
        {amountCents > 0 || seatedFor !== null ? (
          <span className="table-tile__party" aria-hidden="true">
            {amountCents > 0 ? <strong>{formatCents(amountCents)}</strong> : null}
            {seatedFor !== null ? <span>{seatedFor}</span> : null}
          </span>
        ) : null}
        <span className="table-tile__chips" aria-hidden="true">
          {open > 0 ? <span className="chip">{open} open</span> : null}
          {ready > 0 ? <span className="chip chip--ready">{ready} ready</span> : null}
          {unsynced > 0 ? <span className="chip chip--warn">{unsynced} unsynced</span> : null}
        </span>
      </Link>
    </li>
  );
}

/** Every table at a glance; ready food and unsent writes stand out. */
export function TablesScreen() {
  const { db } = useServices();
  const overview = useTablesOverview(db);
  const now = useNow(30_000);
  const takeaway = useTakeawayOverview(db) ?? [];
  const [, navigate] = useLocation();
  const [jump, setJump] = useState('');
  const [jumpError, setJumpError] = useState<string | null>(null);

  const go = (event: FormEvent) => {
    event.preventDefault();
    const found = overview?.find((s) => String(s.table.number) === jump.trim());
    if (!found) {
      setJumpError(`There is no table ${jump.trim()}.`);
      return;
    }
    setJumpError(null);
    navigate(tableHref(found));
  };

  if (overview === undefined) return <main className="screen" aria-busy="true" />;
  const areas = [...new Set(overview.map((s) => s.table.area ?? ''))];
  const readyTotal = overview.reduce((sum, s) => sum + s.ready, 0);
  const readyToHandOver = takeaway.filter((t) => t.state === 'ready').length;
  const readyNews = [
    readyTotal > 0 ? `${readyTotal} item${readyTotal === 1 ? '' : 's'} ready to serve` : null,
    readyToHandOver > 0
      ? `${readyToHandOver} takeaway or delivery order${readyToHandOver === 1 ? '' : 's'} ready`
      : null,
  ].filter(Boolean);

  return (
    <main className="screen tables">
      <div className="tables__head">
        <h1>Tables</h1>
        {readyNews.length > 0 ? (
          <p className="tables__ready" role="status">
            {readyNews.join(' · ')}
          </p>
        ) : null}
        <form className="tables__jump" onSubmit={go} role="search" aria-label="Go to a table">
          <label htmlFor="jump-to-table" className="visually-hidden">
            Table number
          </label>
          <input
            id="jump-to-table"
            inputMode="numeric"
            pattern="[0-9]*"
            placeholder="Table no."
            value={jump}
            onChange={(e) => setJump(e.target.value.replace(/\D/g, ''))}
          />
          <button type="submit" className="button button--primary" disabled={jump === ''}>
            Go
          </button>
          {jumpError ? (
            <span className="form-error" role="alert">
              {jumpError}
            </span>
          ) : null}
        </form>
      </div>
      {/* With the tables, not after them: it sits above the grid, which it would push down
          (a layout shift) if it arrived later. Under 1 kB. */}
      <TakeawayList list={takeaway} />
      {overview.length === 0 ? (
        <p>No tables yet. They appear here once the tablet has reached the server.</p>
      ) : (
        areas.map((area) => (
          <section key={area} aria-label={area || 'Tables'}>
            {areas.length > 1 ? <h2 className="tables__area">{area || 'Other'}</h2> : null}
            <ul className="tables__grid">
              {overview
                .filter((s) => (s.table.area ?? '') === area)
                .map((summary) => (
                  <TableTile key={summary.table.id} summary={summary} now={now} />
                ))}
            </ul>
          </section>
        ))
      )}
    </main>
  );
}
