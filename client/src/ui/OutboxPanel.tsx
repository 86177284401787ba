import { useState, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { useServices } from './context.js';
import { ago, clockTime, useNow } from './time.js';
import { useItemNames, useOutbox, useMeta } from '../db/hooks.js';
import { definitionOf } from '../db/mutations/index.js';
import type { OutboxEntry } from '../db/schema.js';
import { connectionLabel, type SyncStatus } from '../sync/engine.js';
import { Dialog } from './Dialog.js';
import { usePlaceNames } from './usePlaceNames.js';
import './OutboxPanel.css';

/** `place`: "table 12", or "Takeaway · Mia". */
function describe(entry: OutboxEntry, itemNames: Map<string, string>, place: string): string {
  const item = (id: string | null) => itemNames.get(id ?? '') ?? 'item';
  return definitionOf(entry.mutation).describe(entry.mutation.args, { item, place });
}

/**
 * A stuck or refused write: why (`children`), then what the waiter can do about it: `fix`
 * (when there is something to fix), send it again, or discard it (after `onDiscard` asks).
 */
function WriteProblem(props: {
  entry: OutboxEntry;
  retry: 'Try now' | 'Resend';
  fix?: ReactNode;
  onDiscard: (entry: OutboxEntry) => void;
  children: ReactNode;
}) {
  const { engine } = useServices();
  return (
    <div className="outbox__refusal" role="alert">
      {props.children}
      <div className="outbox__actions">
        {props.fix}
        <button type="button" className="button button--primary" onClick={() => void engine.resend(props.entry.seq!)}>
          {props.retry}
        </button>
        <button type="button" className="button button--danger" onClick={() => props.onDiscard(props.entry)}>
          Discard
        </button>
      </div>
    </div>
  );
}

export function OutboxPanel({ onClose, status }: { onClose: () => void; status: SyncStatus }) {
  const { db, engine } = useServices();
  const entries = useOutbox(db) ?? [];
  const itemNames = useItemNames(db) ?? new Map<string, string>();
  const placeOf = usePlaceNames();
  const lastSyncAt = useMeta(db, 'lastSyncAt');
  const now = useNow(1_000);
  const [, navigate] = useLocation();
  const [confirmDiscard, setConfirmDiscard] = useState<OutboxEntry | null>(null);
  const refused = entries.filter((e) => e.state === 'refused');
  const held = new Set(refused.map((e) => e.lane));
  const stuckOrders = new Set(entries.filter((e) => e.stuckSince != null).map((e) => e.lane));

  const download = async () => {
    const file = await engine.exportOutbox();
    const blob = new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `chit-outbox-${file.device?.name.replace(/\W+/g, '-') ?? 'device'}-${file.exportedAt.replace(/[:.]/g, '-')}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <Dialog
      title="Outbox"
      onClose={onClose}
      wide
      actions={
        <>
          <button type="button" className="button" onClick={() => void download()} disabled={entries.length === 0}>
            Export unsynced writes
          </button>
          <button type="button" className="button button--primary" onClick={() => void engine.kick()}>
            Send now
          </button>
        </>
      }
    >
      <p className="outbox__summary">
        <strong>{connectionLabel(status)}</strong>
        {' · '}
        {entries.length === 0
          ? 'everything is on the server'
          : `${entries.length} write${entries.length === 1 ? '' : 's'} on this tablet only`}
        {' · '}
        {lastSyncAt ? `last sync ${clockTime(lastSyncAt)} (${ago(lastSyncAt, now)})` : 'never synced'}
        {' · '}
        {status.events === 'live' ? 'live updates on' : 'checking for updates every few seconds'}
      </p>
      {status.failure ? (
        <p className="outbox__meta" role="status">
          This tablet failed while {status.failure.what} ({clockTime(status.failure.at)}): {status.failure.message}
        </p>
      ) : null}
      {entries.length === 0 ? null : (
        <ol className="outbox__list" aria-label="Writes waiting to be sent">
          {entries.map((entry) => {
            const place = placeOf(entry);
            const isHeld = entry.state !== 'refused' && held.has(entry.lane);
            const stuck = entry.state === 'pending' && entry.stuckSince != null;
            const due = Math.max(entry.nextAttemptAt, entry.notBefore);
            return (
              <li key={entry.seq} className={`outbox__entry outbox__entry--${entry.state}`}>
                <div className="outbox__what">
                  <strong>{describe(entry, itemNames, place)}</strong>
                  <span className="outbox__meta">
                    made {ago(entry.createdAt, now)}
                    {entry.attempts > 0 ? ` · ${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'}` : ''}
                    {' · '}
                    {entry.state === 'sending'
                      ? 'sending…'
                      : entry.state === 'refused'
                        ? 'refused by the server'
                        : isHeld
                          ? 'waiting for the refused order above'
                          : stuck
                            ? `stuck: the server fails it every time · next try ${due > now ? `in ${Math.ceil((due - now) / 1000)} s` : 'now'}`
                            : stuckOrders.has(entry.lane)
                              ? 'waiting for the stuck write above'
                              : entry.failures > 0
                                ? `retrying ${due > now ? `in ${Math.ceil((due - now) / 1000)} s` : 'now'}`
                                : 'waiting'}
                  </span>
                  {entry.lastError && entry.state !== 'refused' && !stuck ? (
                    <span className="outbox__meta">Last try: {entry.lastError.message}</span>
                  ) : null}
                </div>
                {stuck ? (
                  <WriteProblem entry={entry} retry="Try now" onDiscard={setConfirmDiscard}>
                    <p>
                      The server failed this write {entry.serverErrors ?? 0} times. Its last answer:{' '}
                      {entry.lastError?.message ?? 'none'}
                    </p>
                    <p>
                      Other orders go on; this one is tried again every half minute. Export it for the manager, or
                      discard it.
                    </p>
                  </WriteProblem>
                ) : null}
                {entry.state === 'refused' && entry.lastError ? (
                  <WriteProblem
                    entry={entry}
                    retry="Resend"
                    onDiscard={setConfirmDiscard}
                    fix={
                      <button
                        type="button"
                        className="button"
                        onClick={() => {
                          onClose();
                          navigate(entry.tableId === null ? `/orders/${entry.orderId}` : `/tables/${entry.tableId}`);
                        }}
                      >
                        Fix at {place}
                      </button>
                    }
                  >
                    <p>{entry.lastError.message}</p>
                    {entry.lastError.details?.length ? (
                      <ul>
                        {entry.lastError.details.map((d) => (
                          <li key={`${d.path}-${d.message}`}>{d.message}</li>
                        ))}
                      </ul>
                    ) : null}
                  </WriteProblem>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      {confirmDiscard ? (
        <Dialog
          title="Discard this write?"
          role="alertdialog"
          onClose={() => setConfirmDiscard(null)}
          actions={
            <>
              <button type="button" className="button" onClick={() => setConfirmDiscard(null)}>
                Keep it
              </button>
              <button
                type="button"
                className="button button--danger"
                onClick={() => {
                  void engine.discard(confirmDiscard.seq!);
                  setConfirmDiscard(null);
                }}
              >
                Discard
              </button>
            </>
          }
        >
          <p>
            {describe(confirmDiscard, itemNames, placeOf(confirmDiscard))} will never reach the kitchen.
            {definitionOf(confirmDiscard.mutation).discardNote ?? ''}
          </p>
        </Dialog>
      ) : null}
    </Dialog>
  );
}
