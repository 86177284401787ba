import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useKitchenData } from '../../db/kitchen.js';
import { useMeta, useOutbox } from '../../db/hooks.js';
import { deleteMeta, setMeta } from '../../db/meta.js';
import type { StatusMove } from '../../db/writes.js';
import { useServices } from '../../ui/context.js';
import { serverClockOffset, useNow } from '../../ui/time.js';
import { UpdateBanner } from '../../ui/UpdateBanner.js';
import { AllDayPanel } from './AllDayPanel.js';
import { allDayCounts, buildTickets, isReady, onBoard, stationsOf, ticketBump, type Ticket } from './board.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { EightySixDialog } from './EightySixDialog.js';
import { HelpDialog } from './HelpDialog.js';
import { KitchenBar, type BoardPanel, type BoardView } from './KitchenBar.js';
import type { KeyAction } from './keys.js';
import { moveSelection } from './keys.js';
import { withDefaults, type KitchenSettings } from './settings.js';
import { SettingsDialog } from './SettingsDialog.js';
import { TicketCard } from './TicketCard.js';
import { useBumpBar } from './useBumpBar.js';
import { useKitchenActions } from './useKitchenActions.js';
import { useNewTicketAlerts } from './useNewTicketAlerts.js';
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
  const gridRef = useRef<HTMLDivElement>(null);

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
        : null,
    [data, settings.station, settings.defaultCookMinutes, dismissed, slowNow],
  );
  const board = useMemo(() => (tickets ?? []).filter(onBoard), [tickets]);
  const ready = useMemo(() => (tickets ?? []).filter(isReady), [tickets]);
  const shown = view === 'board' ? board : ready;
  const counts = useMemo(() => allDayCounts(board), [board]);
  const stations = useMemo(() => stationsOf(data?.menu?.items ?? []), [data?.menu]);
  const eightySixed = (data?.menu?.items ?? []).filter(
    (d) => !d.available && (settings.station === null || d.station === settings.station),
  );
  const waiting = outbox.filter(
    (e) => e.kind === 'bumpItem' || e.kind === 'setAvailability' || e.kind === 'ackAllergy',
  ).length;
  const { fresh, flash } = useNewTicketAlerts(tickets, settings);
  const actions = useKitchenActions(db, engine, data, lastBump, dismissedList);

  const selectedIndex = Math.max(
    0,
    shown.findIndex((t) => t.orderId === selectedId),
  );
  const selected = shown[selectedIndex] ?? null;

  const move = useCallback(
    (ticket: Ticket, moves: StatusMove[]) => {
      setSelectedId(ticket.orderId);
      void actions.move(ticket, moves);
    },
    [actions],
  );
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
    <div className={flash ? 'kitchen kitchen--flash' : 'kitchen'}>
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
                onMove={move}
                onDismiss={actions.dismiss}
                askingAllergyAck={actions.asking === ticket.orderId}
                onAcknowledgeAllergy={actions.acknowledgeAllergy}
              />
            ))}
          </div>
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
