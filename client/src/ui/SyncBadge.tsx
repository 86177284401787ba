import { useState, useSyncExternalStore } from 'react';
import { useServices } from './context.js';
import { ago, clockTime, useNow } from './time.js';
import { useMeta, useOutbox } from '../db/hooks.js';
import { connectionLabel } from '../sync/engine.js';
import { lazyPart } from './lazyPart.js';
import './SyncBadge.css';

const OutboxPanel = lazyPart(() => import('./OutboxPanel.js').then((m) => m.OutboxPanel));

/** Always on screen: is the tablet connected, what waits to be sent, when did it last get through. */
export function SyncBadge() {
  const { db, engine } = useServices();
  const status = useSyncExternalStore(engine.subscribe, engine.getStatus);
  const outbox = useOutbox(db) ?? [];
  const lastSyncAt = useMeta(db, 'lastSyncAt');
  const now = useNow(5_000);
  const [open, setOpen] = useState(false);

  const refused = outbox.filter((e) => e.state === 'refused').length;
  const stuck = outbox.filter((e) => e.state !== 'refused' && e.stuckSince != null).length;
  const waiting = outbox.length - refused;
  const label = connectionLabel(status);
  const oldest = outbox.reduce<number | null>(
    (min, e) => (min === null || e.createdAt < min ? e.createdAt : min),
    null,
  );
  const tone = refused + stuck > 0 ? 'problem' : !status.online ? 'offline' : waiting > 0 ? 'waiting' : 'ok';
  const problems = [refused ? `${refused} refused` : '', stuck ? `${stuck} stuck` : ''].filter(Boolean).join(' · ');
  const detail = problems
    ? `${problems} · ${waiting} waiting`
    : waiting > 0
      ? `${waiting} waiting${oldest !== null ? ` · oldest ${ago(oldest, now)}` : ''}`
      : 'All sent';
  const last = lastSyncAt ? `Synced ${clockTime(lastSyncAt)}` : 'Never synced';

  return (
    <>
      <button
        type="button"
        className={`sync-badge sync-badge--${tone}`}
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        // The name says what the badge shows, in its order (a voice-control user says what they
        // see: WCAG 2.5.3), then what it does.
        aria-label={`${label}, ${detail.replaceAll(' · ', ', ')}, ${last}. Open the outbox.`}
      >
        <span className="sync-badge__dot" aria-hidden="true" />
        {/* The spaces keep the words apart in the text a checker reads; the layout ignores them. */}
        <span className="sync-badge__main">
          <strong>{label}</strong> <span>{detail}</span>
        </span>{' '}
        <span className="sync-badge__last">{last}</span>
      </button>
      {open ? <OutboxPanel onClose={() => setOpen(false)} status={status} /> : null}
    </>
  );
}
