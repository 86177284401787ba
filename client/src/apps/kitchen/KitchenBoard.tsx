import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ItemStatus } from '@chit/shared';
import { useServices } from '../../ui/context.js';
import { clockTime, serverClockOffset, useNow } from '../../ui/time.js';
import { Dialog } from '../../ui/Dialog.js';
import { UpdateBanner } from '../../ui/UpdateBanner.js';
import { useMeta, useOutbox } from '../../db/hooks.js';
import { deleteMeta, setMeta } from '../../db/meta.js';
import type { StatusMove } from '../../db/mutations/bumpItem.js';
import { dropsOnRefusal } from '../../db/mutations/index.js';
import { connectionLabel, type SyncStatus } from '../../sync/engine.js';
import {
  allDayCounts,
  buildTickets,
  elapsed,
  isReady,
  itemBump,
  newTickets,
  onBoard,
  recallMoves,
  stationsOf,
  ticketBump,
  ticketUnready,
  timerState,
  timerText,
  type Ticket,
  type TicketItem,
} from './board.js';
import { useKitchenData } from './data.js';
import { keyAction, moveSelection, shortcuts } from './keys.js';
import { withDefaults, type KitchenSettings } from './settings.js';
import { chime, unlockSound } from './sound.js';
import './KitchenBoard.css';

const statusText: Record<ItemStatus, string> = {
  queued: 'Queued',
  cooking: 'Cooking',
  ready: 'Ready',
  served: 'Served',
  voided: 'Voided',
};

const nextText: Record<string, string> = { queued: 'Start', cooking: 'Ready' };

function minutesSince(since: number, now: number): string {
  const minutes = Math.floor((now - since) / 60_000);
  if (minutes < 1) return 'under a minute';
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Loud when the board cannot trust what it shows: red, with since when. */
export function ConnectionBanner({ status, now, waiting }: { status: SyncStatus; now: number; waiting: number }) {
  const since = status.notLiveSince;
  // A second or two of "connecting" at start is not news.
  if (since === null || now - since < 3_000) return null;
  const pollingOnly = status.online && status.events === 'unavailable';
  return (
    <div className={pollingOnly ? 'kbanner kbanner--warn' : 'kbanner kbanner--down'} role="alert">
      <strong>
        {pollingOnly ? 'Live updates are off' : 'NOT CONNECTED'}
        {status.online ? '' : ` (${connectionLabel(status).toLowerCase()})`}
      </strong>{' '}
      <span>
        since {clockTime(since)} ({minutesSince(since, now)}).{' '}
        {pollingOnly
          ? 'New tickets show up within 15 seconds.'
          : 'Reconnecting by itself. New tickets may be missing until then.'}
        {waiting > 0 ? ` ${waiting} bump${waiting === 1 ? '' : 's'} saved here, sent when the connection is back.` : ''}
      </span>
    </div>
  );
}

interface TicketCardProps {
  ticket: Ticket;
  position: number;
  selected: boolean;
  fresh: boolean;
  now: number;
  settings: KitchenSettings;
  readyView: boolean;
  onSelect: () => void;
  onMove: (ticket: Ticket, moves: StatusMove[]) => void;
  onDismiss: (ticket: Ticket) => void;
}

function ItemLine({ item, onBump }: { item: TicketItem; onBump: (() => void) | null }) {
  const classes = ['kitem', `kitem--${item.status}`];
  if (item.edit && !item.voided) classes.push('kitem--edited');
  if (item.voidedAfterCooking) classes.push('kitem--alert');
  const label = `${item.quantity} × ${item.name}`;
  return (
    <li className={classes.join(' ')}>
      <div className="kitem__body">
        <span className="kitem__text">{item.voided ? <s>{label}</s> : label}</span>
        {item.modifiers.length > 0 ? (
          <ul className="kitem__mods">
            {item.modifiers.map((m, i) => (
              <li key={`${m}-${i}`}>{m}</li>
            ))}
          </ul>
        ) : null}
        {item.note ? <p className="kitem__note">“{item.note}”</p> : null}
        {item.edit && !item.voided ? (
          <p className="kitem__flag kitem__flag--edit">
            EDITED
            {item.edit.quantityWas !== null ? ` · was ${item.edit.quantityWas}` : ''}
            {item.edit.noteWas !== null ? ` · note was “${item.edit.noteWas || 'none'}”` : ''}
          </p>
        ) : null}
        {item.voided ? (
          <p className={item.voidedAfterCooking ? 'kitem__flag kitem__flag--alert' : 'kitem__flag'}>
            {item.voidedAfterCooking ? 'VOIDED AFTER COOKING STARTED' : 'VOIDED'}
            {item.voidReason ? ` · ${item.voidReason}` : ''}
          </p>
        ) : null}
      </div>
      <div className="kitem__side">
        <span className="kitem__status">
          {statusText[item.status]}
          {item.pending ? <span className="kitem__pending"> · sending</span> : null}
        </span>
        {onBump ? (
          <button type="button" className="kbutton kitem__bump" onClick={onBump} aria-label={`Bump ${item.name}`}>
            Bump
          </button>
        ) : null}
      </div>
    </li>
  );
}

export function TicketCard(props: TicketCardProps) {
  const { ticket, position, selected, fresh, now, settings, readyView } = props;
  const age = now - Date.parse(ticket.sentAt);
  const timer = timerState(age, ticket.cookMinutes, settings);
  const headingId = `ticket-${ticket.orderId}`;
  const bump = ticketBump(ticket);
  const classes = ['ticket', `ticket--${readyView ? 'ready' : timer}`];
  if (selected) classes.push('ticket--selected');
  if (fresh) classes.push('ticket--fresh');
  if (ticket.alerts.length > 0) classes.push('ticket--alert');
  return (
    <article className={classes.join(' ')} aria-labelledby={headingId} aria-current={selected ? 'true' : undefined}>
      <header className="ticket__head" onClick={props.onSelect}>
        <span className="ticket__pos" aria-label={`Position ${position}`}>
          {position <= 9 ? position : ''}
        </span>
        <h2 id={headingId}>{ticket.tableLabel}</h2>
        <div className="ticket__timer">
          <span className="ticket__elapsed">{elapsed(age)}</span>
          <span className="ticket__state">{readyView ? 'Ready' : timerText[timer]}</span>
        </div>
      </header>
      <p className="ticket__meta">
        {ticket.staffName || 'Waiter ?'} · sent {clockTime(ticket.sentAt)} · cook {ticket.cookMinutes} min
        {ticket.edited ? <strong className="ticket__edited"> · EDITED</strong> : null}
      </p>
      {ticket.alerts.length > 0 ? (
        <div className="ticket__alert">
          <p>
            <strong>VOID AFTER COOKING:</strong> {ticket.alerts.map((a) => `${a.quantity} × ${a.name}`).join(', ')}
          </p>
          <button type="button" className="kbutton" onClick={() => props.onDismiss(ticket)}>
            Acknowledge
          </button>
        </div>
      ) : null}
      {ticket.note ? <p className="ticket__note">Order note: “{ticket.note}”</p> : null}
      <ul className="ticket__items">
        {ticket.items.map((item) => {
          const move = readyView ? null : itemBump(item);
          return <ItemLine key={item.id} item={item} onBump={move ? () => props.onMove(ticket, [move]) : null} />;
        })}
      </ul>
      <footer className="ticket__foot">
        {readyView ? (
          <button type="button" className="kbutton" onClick={() => props.onMove(ticket, ticketUnready(ticket))}>
            Back to cooking
          </button>
        ) : bump.length > 0 ? (
          <button
            type="button"
            className="kbutton kbutton--primary ticket__bump"
            onClick={() => props.onMove(ticket, bump)}
          >
            Bump ticket <span aria-hidden="true">▸ {nextText[ticket.state]}</span>
          </button>
        ) : null}
      </footer>
    </article>
  );
}

function SettingsDialog({
  settings,
  onSave,
  onClose,
}: {
  settings: KitchenSettings;
  onSave: (s: KitchenSettings) => void;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState(settings);
  const num = (key: 'nearPercent' | 'overduePercent' | 'defaultCookMinutes', label: string, hint: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        inputMode="numeric"
        value={draft[key]}
        onChange={(e) => setDraft({ ...draft, [key]: Number(e.target.value) })}
        aria-describedby={`${key}-hint`}
      />
      <small id={`${key}-hint`}>{hint}</small>
    </label>
  );
  return (
    <Dialog
      title="Board settings"
      onClose={onClose}
      actions={
        <button type="button" className="button button--primary" onClick={() => onSave(withDefaults(draft))}>
          Save
        </button>
      }
    >
      <p>Saved on this device only.</p>
      {num(
        'nearPercent',
        '“Near” from (% of cook time)',
        'Default 80: the timer turns amber at 80 % of the longest cook time.',
      )}
      {num('overduePercent', '“Overdue” after (% of cook time)', 'Default 100: red once the cook time has passed.')}
      {num(
        'defaultCookMinutes',
        'Cook time when a dish has none (minutes)',
        'Used for tickets whose dishes have no cook time.',
      )}
      <label className="field field--inline">
        <input
          type="checkbox"
          checked={draft.flash}
          onChange={(e) => setDraft({ ...draft, flash: e.target.checked })}
        />
        <span>Flash the screen for a new ticket</span>
      </label>
    </Dialog>
  );
}

function EightySixDialog({ station, onClose }: { station: string | null; onClose: () => void }) {
  const { db, engine } = useServices();
  const data = useKitchenData(db);
  const dishes = (data?.menu?.items ?? []).filter((d) => station === null || d.station === station);
  return (
    <Dialog title="86 a dish" onClose={onClose} wide>
      <p>An 86’d dish cannot be ordered on any tablet until it is back.</p>
      <ul className="k86">
        {dishes.map((dish) => (
          <li key={dish.id} className={dish.available ? 'k86__dish' : 'k86__dish k86__dish--off'}>
            <span>
              {dish.name} <small>({dish.station})</small>
              {dish.available ? null : <strong> · 86’d</strong>}
            </span>
            <button
              type="button"
              className={dish.available ? 'button button--danger-outline' : 'button button--primary'}
              onClick={() => void engine.mutate('setAvailability', { menuItemId: dish.id, available: !dish.available })}
            >
              {dish.available ? `86 ${dish.name}` : `Back on: ${dish.name}`}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

function HelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard and bump bar" onClose={onClose}>
      <table className="khelp">
        <tbody>
          {shortcuts.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Tap an item’s Bump to move just that item: queued ▸ cooking ▸ ready.</p>
    </Dialog>
  );
}

function targetKind(target: EventTarget | null): 'text' | 'button' | 'other' {
  if (!(target instanceof HTMLElement)) return 'other';
  if (target.closest('dialog')) return 'text';
  const tag = target.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable) return 'text';
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return 'button';
  return 'other';
}

export function KitchenBoard() {
  const { db, engine } = useServices();
  const status = useSyncExternalStore(engine.subscribe, engine.getStatus);
  const data = useKitchenData(db);
  const savedSettings = useMeta(db, 'kitchenSettings');
  const settings = useMemo(() => withDefaults(savedSettings), [savedSettings]);
  const dismissedList = useMeta(db, 'kitchenDismissed');
  const lastBump = useMeta(db, 'kitchenLastBump');
  const notice = useMeta(db, 'kitchenNotice');
  const outbox = useOutbox(db) ?? [];
  const now = useNow(1_000);
  // Ticket times are the server's: age them on the server's clock, not this screen's.
  const serverNow = now + serverClockOffset();
  const [view, setView] = useState<'board' | 'ready'>('board');
  const [panel, setPanel] = useState<null | 'help' | 'settings' | '86'>(null);
  const [showAllDay, setShowAllDay] = useState(true);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [flash, setFlash] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const seen = useRef<Set<string> | null>(null);
  const alerted = useRef<Set<string> | null>(null);

  useEffect(() => {
    engine.watchKitchen(true);
    return () => engine.watchKitchen(false);
  }, [engine]);

  const saveSettings = useCallback((next: KitchenSettings) => void setMeta(db, 'kitchenSettings', next), [db]);
  const dismissed = useMemo(() => new Set(dismissedList ?? []), [dismissedList]);
  // Tickets are rebuilt when the data changes, and every 30 s for the void-alert window.
  const slowNow = Math.floor(serverNow / 30_000);
  const tickets = useMemo(
    () =>
      data
        ? buildTickets({
            orders: data.orders,
            items: data.items,
            tables: data.tables,
            station: settings.station,
            dismissed,
            now: slowNow * 30_000,
            defaultCookMinutes: settings.defaultCookMinutes,
          })
        : [],
    [data, settings.station, settings.defaultCookMinutes, dismissed, slowNow],
  );
  const board = useMemo(() => tickets.filter(onBoard), [tickets]);
  const ready = useMemo(() => tickets.filter(isReady), [tickets]);
  const shown = view === 'board' ? board : ready;
  const counts = useMemo(() => allDayCounts(board), [board]);
  const stations = useMemo(() => stationsOf(data?.menu?.items ?? []), [data?.menu]);
  const eightySixed = (data?.menu?.items ?? []).filter(
    (d) => !d.available && (settings.station === null || d.station === settings.station),
  );
  const waiting = outbox.filter(dropsOnRefusal).length;

  // New tickets: flash and chime (not for what was there when the board opened).
  useEffect(() => {
    if (!data) return;
    const ids = tickets.map((t) => t.orderId);
    const alerts = tickets.flatMap((t) => t.alerts.map((a) => a.id));
    const added = newTickets(seen.current, tickets);
    const newAlerts = alerted.current === null ? [] : alerts.filter((id) => !alerted.current!.has(id));
    seen.current = new Set([...(seen.current ?? []), ...ids]);
    alerted.current = new Set([...(alerted.current ?? []), ...alerts]);
    if (added.length > 0) {
      setFresh((prev) => new Set([...prev, ...added]));
      if (settings.flash) setFlash(true);
      if (settings.sound) chime('new');
      const timer = setTimeout(() => {
        setFlash(false);
        setFresh((prev) => new Set([...prev].filter((id) => !added.includes(id))));
      }, 8_000);
      return () => clearTimeout(timer);
    }
    if (newAlerts.length > 0) {
      if (settings.flash) setFlash(true);
      if (settings.sound) chime('alert');
    }
    return undefined;
  }, [data, tickets, settings.flash, settings.sound]);

  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(() => setFlash(false), 1_500);
    return () => clearTimeout(timer);
  }, [flash]);

  const selectedIndex = Math.max(
    0,
    shown.findIndex((t) => t.orderId === selectedId),
  );
  const selected = shown[selectedIndex] ?? null;

  const move = useCallback(
    async (ticket: Ticket, moves: StatusMove[]) => {
      setSelectedId(ticket.orderId);
      if (moves.length === 0) return;
      const result = await engine.mutate('bumpItem', moves);
      if (result.moved.length > 0) {
        await setMeta(db, 'kitchenLastBump', {
          orderId: ticket.orderId,
          tableLabel: ticket.tableLabel,
          at: engine.now(),
          moves: result.moved,
        });
      }
    },
    [db, engine],
  );

  const recall = useCallback(async () => {
    if (!lastBump || !data) {
      setMessage('Nothing to recall.');
      return;
    }
    const statuses = new Map(data.items.map((i) => [i.id, i.status]));
    const moves = recallMoves(lastBump, statuses);
    await deleteMeta(db, 'kitchenLastBump');
    if (moves.length === 0) {
      setMessage(`${lastBump.tableLabel} has moved on since; nothing to recall.`);
      return;
    }
    await engine.mutate('bumpItem', moves);
    setSelectedId(lastBump.orderId);
    setView('board');
    setMessage(`Recalled ${lastBump.tableLabel}.`);
  }, [data, db, engine, lastBump]);

  const dismiss = useCallback(
    (ticket: Ticket) => {
      const ids = new Set(dismissedList ?? []);
      for (const a of ticket.alerts) ids.add(a.id);
      // Alerts only live 15 minutes; a few hundred ids is plenty to remember.
      void setMeta(db, 'kitchenDismissed', [...ids].slice(-300));
    },
    [db, dismissedList],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (panel !== null) return;
      const action = keyAction({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        target: targetKind(event.target),
      });
      if (!action) return;
      event.preventDefault();
      switch (action.type) {
        case 'select': {
          const ticket = shown[action.index];
          if (ticket) setSelectedId(ticket.orderId);
          break;
        }
        case 'move': {
          const grid = gridRef.current;
          const columns = grid ? getComputedStyle(grid).gridTemplateColumns.split(' ').filter(Boolean).length : 1;
          const next = shown[moveSelection(selectedIndex, action.by, shown.length, columns)];
          if (next) setSelectedId(next.orderId);
          break;
        }
        case 'bump':
          if (selected) void move(selected, view === 'board' ? ticketBump(selected) : []);
          break;
        case 'recall':
          void recall();
          break;
        case 'toggleReady':
          setView((v) => (v === 'board' ? 'ready' : 'board'));
          break;
        case 'help':
          setPanel('help');
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [panel, shown, selected, selectedIndex, move, recall, view]);

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), 5_000);
    return () => clearTimeout(timer);
  }, [message]);

  const live = status.notLiveSince === null;
  return (
    <div className={flash ? 'kitchen kitchen--flash' : 'kitchen'}>
      <header className="kbar">
        <h1 className="kbar__title">Kitchen</h1>
        <label className="kbar__station">
          <span>Station</span>
          <select
            value={settings.station ?? ''}
            onChange={(e) => saveSettings({ ...settings, station: e.target.value || null })}
          >
            <option value="">All stations</option>
            {stations.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <div className="kbar__views" role="group" aria-label="View">
          <button type="button" className="kbutton" aria-pressed={view === 'board'} onClick={() => setView('board')}>
            Board <span className="kbar__count">{board.length}</span>
          </button>
          <button type="button" className="kbutton" aria-pressed={view === 'ready'} onClick={() => setView('ready')}>
            Ready <span className="kbar__count">{ready.length}</span>
          </button>
        </div>
        <button type="button" className="kbutton" onClick={() => void recall()} disabled={!lastBump}>
          Recall{lastBump ? ` ${lastBump.tableLabel}` : ''}
        </button>
        <button type="button" className="kbutton" aria-pressed={showAllDay} onClick={() => setShowAllDay((v) => !v)}>
          All day
        </button>
        <button type="button" className="kbutton" onClick={() => setPanel('86')}>
          86
        </button>
        <button
          type="button"
          className="kbutton"
          aria-pressed={settings.sound}
          onClick={() => {
            const on = !settings.sound;
            if (on) unlockSound();
            saveSettings({ ...settings, sound: on });
            if (on) setTimeout(() => chime('new'), 50);
          }}
        >
          Sound {settings.sound ? 'on' : 'off'}
        </button>
        <button type="button" className="kbutton" onClick={() => setPanel('settings')}>
          Settings
        </button>
        <button type="button" className="kbutton" onClick={() => setPanel('help')} aria-label="Keyboard shortcuts">
          ?
        </button>
        <span className={live ? 'kbar__live kbar__live--on' : 'kbar__live kbar__live--off'} role="status">
          {live
            ? 'Live'
            : !status.online
              ? connectionLabel(status)
              : status.events === 'unavailable'
                ? 'Polling'
                : 'Connecting'}
        </span>
      </header>
      <ConnectionBanner status={status} now={now} waiting={waiting} />
      <UpdateBanner />
      {notice && now - notice.at < 60_000 ? (
        <div className="kbanner kbanner--warn" role="alert">
          <strong>Not done:</strong> <span>{notice.message}</span>{' '}
          <button type="button" className="kbutton" onClick={() => void deleteMeta(db, 'kitchenNotice')}>
            OK
          </button>
        </div>
      ) : null}
      {message ? (
        <p className="kmessage" role="status">
          {message}
        </p>
      ) : null}
      {eightySixed.length > 0 ? (
        <p className="k86strip">
          <strong>86’d:</strong> {eightySixed.map((d) => d.name).join(', ')}
        </p>
      ) : null}
      <div className={showAllDay ? 'kbody kbody--allday' : 'kbody'}>
        <main className="kmain" aria-busy={data === undefined}>
          <h2 className="visually-hidden">{view === 'board' ? 'Tickets' : 'Ready tickets'}</h2>
          {data !== undefined && shown.length === 0 ? (
            <p className="kempty">{view === 'board' ? 'No tickets. All caught up.' : 'Nothing waiting at the pass.'}</p>
          ) : null}
          <div className="kgrid" ref={gridRef}>
            {shown.map((ticket, index) => (
              <TicketCard
                key={ticket.orderId}
                ticket={ticket}
                position={index + 1}
                selected={selected?.orderId === ticket.orderId}
                fresh={fresh.has(ticket.orderId)}
                now={serverNow}
                settings={settings}
                readyView={view === 'ready'}
                onSelect={() => setSelectedId(ticket.orderId)}
                onMove={(t, moves) => void move(t, moves)}
                onDismiss={dismiss}
              />
            ))}
          </div>
        </main>
        {showAllDay ? (
          <aside className="kallday" aria-labelledby="allday-title">
            <h2 id="allday-title">All day</h2>
            {counts.length === 0 ? (
              <p>Nothing open.</p>
            ) : (
              <ul>
                {counts.map((c) => (
                  <li key={c.menuItemId}>
                    <strong className="kallday__qty">{c.quantity}</strong> <span>{c.name}</span>
                    {c.cooking > 0 ? <small> ({c.cooking} cooking)</small> : null}
                  </li>
                ))}
              </ul>
            )}
          </aside>
        ) : null}
      </div>
      {panel === 'help' ? <HelpDialog onClose={() => setPanel(null)} /> : null}
      {panel === 'settings' ? (
        <SettingsDialog
          settings={settings}
          onClose={() => setPanel(null)}
          onSave={(next) => {
            saveSettings(next);
            setPanel(null);
          }}
        />
      ) : null}
      {panel === '86' ? <EightySixDialog station={settings.station} onClose={() => setPanel(null)} /> : null}
    </div>
  );
}
