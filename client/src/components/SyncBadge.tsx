import { lazy, Suspense, useState, useSyncExternalStore } from 'react';
import { useServices } from '../app/context.js';
import { ago, clockTime, useNow } from '../app/time.js';
import { useMeta, useOutbox } from '../db/hooks.js';
import './SyncBadge.css';

const OutboxPanel = lazy(() => import('./OutboxPanel.js').then((m) => ({ default: m.OutboxPanel })));

/** Always on screen: is the tablet connected, what waits to be sent, when did it last get through. */
export function SyncBadge() {
  const { db, engine } = useServices();
  const status = useSyncExternalStore(engine.subscribe, engine.getStatus);
  const outbox = useOutbox(db) ?? [];
  const lastSyncAt = useMeta(db, 'lastSyncAt');
  const now = useNow(5_000);
  const [open, setOpen] = useState(false);

  const refused = outbox.filter((e) => e.state === 'refused').length;
  const waiting = outbox.length - refused;
  const oldest = outbox.reduce<number | null>(
    (min, e) => (min === null || e.createdAt < min ? e.createdAt : min),
    null,
  );
  const tone = refused > 0 ? 'problem' : !status.online ? 'offline' : waiting > 0 ? 'waiting' : 'ok';

  return (
    <>
      <button
        type="button"
        className={`sync-badge sync-badge--${tone}`}
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        aria-label={`Sync status: ${status.online ? 'online' : 'offline'}, ${waiting} waiting${refused ? `, ${refused} refused` : ''}. Open the outbox.`}
      >
        <span className="sync-badge__dot" aria-hidden="true" />
        <span className="sync-badge__main">
          <strong>{status.online ? 'Online' : 'Offline'}</strong>
          <span>
            {refused > 0
              ? `${refused} refused · ${waiting} waiting`
              : waiting > 0
                ? `${waiting} waiting${oldest !== null ? ` · oldest ${ago(oldest, now)}` : ''}`
                : 'All sent'}
          </span>
        </span>
        <span className="sync-badge__last">{lastSyncAt ? `Synced ${clockTime(lastSyncAt)}` : 'Never synced'}</span>
      </button>
      {open ? (
        <Suspense fallback={null}>
          <OutboxPanel onClose={() => setOpen(false)} status={status} />
        </Suspense>
      ) : null}
    </>
  );
}
