import {
  type CSSProperties,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { useKitchenData } from '../../db/kitchen.js';
import { useMeta, useOutbox } from '../../db/hooks.js';
import { deleteMeta, setMeta } from '../../db/meta.js';
import type { StatusMove } from '../../db/mutations/bumpItem.js';
import { dropsOnRefusal } from '../../db/mutations/index.js';
import { useServices } from '../../ui/context.js';
import { serverClockOffset, useNow } from '../../ui/time.js';
import { UpdateBanner } from '../../ui/UpdateBanner.js';
import { AllDayPanel } from './AllDayPanel.js';
import {
  allDayCounts,
  buildTickets,
  keepUnchanged,
  isReady,
  onBoard,
  stationsOf,
  ticketBump,
  type Ticket,
} from './board.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { EightySixDialog } from './EightySixDialog.js';
import { HelpDialog } from './HelpDialog.js';
import { KitchenBar, type BoardPanel, type BoardView } from './KitchenBar.js';
import type { KeyAction } from './keys.js';
import { moveAmong } from './keys.js';
import { Pager } from './Pager.js';
import { withPendingMoves } from './pendingMoves.js';
import { withDefaults, type KitchenSettings } from './settings.js';
import { SettingsDialog } from './SettingsDialog.js';
import { TicketCard } from './TicketCard.js';
import { useBumpBar } from './useBumpBar.js';
import { useKitchenActions } from './useKitchenActions.js';
import { useNewTicketAlerts } from './useNewTicketAlerts.js';
import { usePageLayout } from './usePageLayout.js';
import './kitchen.css';

/** `/kitchen`: the live board. Reads come from IndexedDB; taps and keys become outbox writes. */
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
  const [view, setView] = useState<BoardView>('board');
  const [panel, setPanel] = useState<null | BoardPanel>(null);
  const [showAllDay, setShowAllDay] = useState(true);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [page, setPage] = useState(0);
  const columnsRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    engine.watchKitchen(true);
    return () => engine.watchKitchen(false);
  }, [engine]);

  const saveSettings = useCallback((next: KitchenSettings) => void setMeta(db, 'kitchenSettings', next), [db]);
  const dismissed = useMemo(() => new Set(dismissedList ?? []), [dismissedList]);
  // Tickets are rebuilt when the data changes, and every 30 s for the void-alert window.
  const slowNow = Math.floor(serverNow / 30_000);
  const actions = useKitchenActions(db, engine, data, lastBump, dismissedList);
  const built = useRef<Ticket[] | null>(null);
  const pending = actions.pending;
  const tickets = useMemo(() => {
    if (!data) return null;
    const next = buildTickets({
      orders: data.orders,
      items: withPendingMoves(data.items, pending),
      tables: data.tables,
      station: settings.station,
      dismissed,
      now: slowNow * 30_000,
      defaultCookMinutes: settings.defaultCookMinutes,
    });
    built.current = keepUnchanged(built.current, next);
    return built.current;
  }, [data, pending, settings.station, settings.defaultCookMinutes, dismissed, slowNow]);
  const board = useMemo(() => (tickets ?? []).filter(onBoard), [tickets]);
  const ready = useMemo(() => (tickets ?? []).filter(isReady), [tickets]);
  const shown = view === 'board' ? board : ready;
  const counts = useMemo(() => allDayCounts(board), [board]);
  const stations = useMemo(() => stationsOf(data?.menu?.items ?? []), [data?.menu]);
  const eightySixed = (data?.menu?.items ?? []).filter(
    (d) => !d.available && (settings.station === null || d.station === settings.station),
  );
  const waiting = outbox.filter(dropsOnRefusal).length;
  const { fresh, flash } = useNewTicketAlerts(tickets, settings);

  // A selected ticket that left (bumped to ready) hands the selection to the one now at its place.
  const lastIndex = useRef(0);
  const found = shown.findIndex((t) => t.orderId === selectedId);
  const selectedIndex = found >= 0 ? found : Math.max(0, Math.min(lastIndex.current, shown.length - 1));
  lastIndex.current = selectedIndex;
  const selected = shown[selectedIndex] ?? null;

  // Pages: laid out by the browser, read back; the selection and the page follow each other.
  const layoutVersion = useMemo(() => ({ shown, textSize: settings.textSize }), [shown, settings.textSize]);
  const layout = usePageLayout(columnsRef, layoutVersion);
  const pages = layout.pages;
  const current = Math.min(page, pages - 1);
  const placeOf = (t: Ticket) => layout.places.get(t.orderId) ?? { first: 0, last: 0, column: 0, top: 0 };
  const onPage = shown.filter((t) => placeOf(t).first === current);
  const later = shown.filter((t) => placeOf(t).first > current).length;
  const earlier = shown.filter((t) => placeOf(t).last < current).length;
  const selectedPage = selected ? placeOf(selected) : null;
  useEffect(() => {
    if (selectedPage && (current < selectedPage.first || current > selectedPage.last)) setPage(selectedPage.first);
  }, [selectedPage, current]);
  const turnTo = (next: number) => {
    const to = Math.max(0, Math.min(pages - 1, next));
    setPage(to);
    // The first ticket starting on that page, or else the one continuing onto it.
    const first =
      shown.find((t) => placeOf(t).first === to) ?? shown.find((t) => placeOf(t).first <= to && placeOf(t).last >= to);
    if (first) setSelectedId(first.orderId);
  };

  const move = useCallback(
    (ticket: Ticket, moves: StatusMove[]) => {
      setSelectedId(ticket.orderId);
      void actions.move(ticket, moves);
    },
    [actions],
  );
  // The cards' handlers keep their identity across renders (the cards are memoised); they
  // call the latest actions.
  const latest = useRef({ move, dismiss: actions.dismiss, acknowledgeAllergy: actions.acknowledgeAllergy });
  useLayoutEffect(() => {
    latest.current = { move, dismiss: actions.dismiss, acknowledgeAllergy: actions.acknowledgeAllergy };
  });
  const onMove = useCallback((t: Ticket, moves: StatusMove[]) => latest.current.move(t, moves), []);
  const onDismiss = useCallback((t: Ticket) => latest.current.dismiss(t), []);
  const onAcknowledgeAllergy = useCallback((t: Ticket) => latest.current.acknowledgeAllergy(t), []);
  const recall = useCallback(() => {
    void actions.recall().then((orderId) => {
      if (orderId === null) return;
      setSelectedId(orderId);
      setView('board');
    });
  }, [actions]);

  useBumpBar(panel === null, (action: KeyAction) => {
    switch (action.type) {
      case 'select': {
        const ticket = onPage[action.index];
        if (ticket) setSelectedId(ticket.orderId);
        break;
      }
      case 'move': {
        const next = shown[moveAmong(shown.map(placeOf), selectedIndex, action.by)];
        if (next) setSelectedId(next.orderId);
        break;
      }
      case 'page':
        turnTo(current + action.by);
        break;
      case 'bump':
        if (selected) move(selected, view === 'board' ? ticketBump(selected) : []);
        break;
      case 'ackAllergy':
        if (selected) actions.acknowledgeAllergy(selected);
        break;
      case 'recall':
        recall();
        break;
      case 'toggleReady':
        setView((v) => (v === 'board' ? 'ready' : 'board'));
        break;
      case 'help':
        setPanel('help');
        break;
    }
  });

  return (
    <div
      className={flash ? 'kitchen kitchen--flash' : 'kitchen'}
      // The text-size setting scales every size on the board (kitchen.css).
      style={{ '--k-scale': settings.textSize / 100 } as CSSProperties}
    >
      <KitchenBar
        settings={settings}
        onSettings={saveSettings}
        stations={stations}
        view={view}
        onView={setView}
        boardCount={board.length}
        readyCount={ready.length}
        recallLabel={lastBump ? lastBump.tableLabel : null}
        onRecall={recall}
        showAllDay={showAllDay}
        onToggleAllDay={() => setShowAllDay((v) => !v)}
        onPanel={setPanel}
        status={status}
      />
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
      {actions.message ? (
        <p className="kmessage" role="status">
          {actions.message}
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
          <div className="kviewport">
            <div
              className="kcolumns"
              ref={columnsRef}
              style={{ transform: `translateX(calc(${-current} * (100% + var(--k-gap))))` }}
            >
              {shown.map((ticket) => {
                const place = placeOf(ticket);
                const position = place.first === current ? onPage.indexOf(ticket) + 1 : null;
                return (
                  <TicketCard
                    key={ticket.orderId}
                    ticket={ticket}
                    position={position}
                    offPage={current < place.first || current > place.last}
                    selected={selected?.orderId === ticket.orderId}
                    fresh={fresh.has(ticket.orderId)}
                    now={serverNow}
                    settings={settings}
                    readyView={view === 'ready'}
                    onSelect={setSelectedId}
                    onMove={onMove}
                    onDismiss={onDismiss}
                    askingAllergyAck={actions.asking === ticket.orderId}
                    onAcknowledgeAllergy={onAcknowledgeAllergy}
                  />
                );
              })}
              {layout.continuations.map((part) => (
                <span
                  key={`${part.orderId}-${part.left}-${part.top}`}
                  className="kcont"
                  style={{ left: part.left, top: part.top, width: part.width }}
                  aria-hidden="true"
                >
                  {shown.find((t) => t.orderId === part.orderId)?.tableLabel} · cont.
                </span>
              ))}
            </div>
          </div>
          {shown.length > 0 ? (
            <Pager page={current} pages={pages} later={later} earlier={earlier} total={shown.length} onPage={turnTo} />
          ) : null}
        </main>
        {showAllDay ? <AllDayPanel counts={counts} /> : null}
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
