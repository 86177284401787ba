import { connectionLabel, type SyncStatus } from '../../sync/engine.js';
import type { KitchenSettings } from './settings.js';
import { chime, unlockSound } from '../../ui/sound.js';

export type BoardView = 'board' | 'ready';
export type BoardPanel = 'help' | 'settings' | '86';

export interface KitchenBarProps {
  settings: KitchenSettings;
  onSettings: (next: KitchenSettings) => void;
  stations: readonly string[];
  view: BoardView;
  onView: (view: BoardView) => void;
  boardCount: number;
  readyCount: number;
  /** The table of the last bump, when there is one to recall. */
  recallLabel: string | null;
  onRecall: () => void;
  showAllDay: boolean;
  onToggleAllDay: () => void;
  onPanel: (panel: BoardPanel) => void;
  status: SyncStatus;
}

/** The board's top bar: station, views, recall, panels, and whether it is live. */
export function KitchenBar(props: KitchenBarProps) {
  const { settings, status, view } = props;
  const live = status.notLiveSince === null;
  return (
    <header className="kbar">
      <h1 className="kbar__title">Kitchen</h1>
      <label className="kbar__station">
        <span>Station</span>
        <select
          value={settings.station ?? ''}
          onChange={(e) => props.onSettings({ ...settings, station: e.target.value || null })}
        >
          <option value="">All stations</option>
          {props.stations.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <div className="kbar__views" role="group" aria-label="View">
        <button type="button" className="kbutton" aria-pressed={view === 'board'} onClick={() => props.onView('board')}>
          Board <span className="kbar__count">{props.boardCount}</span>
        </button>
        <button type="button" className="kbutton" aria-pressed={view === 'ready'} onClick={() => props.onView('ready')}>
          Ready <span className="kbar__count">{props.readyCount}</span>
        </button>
      </div>
      <button type="button" className="kbutton" onClick={props.onRecall} disabled={props.recallLabel === null}>
        Recall{props.recallLabel !== null ? ` ${props.recallLabel}` : ''}
      </button>
      <button type="button" className="kbutton" aria-pressed={props.showAllDay} onClick={props.onToggleAllDay}>
        All day
      </button>
      <button type="button" className="kbutton" onClick={() => props.onPanel('86')}>
        86
      </button>
      <button
        type="button"
        className="kbutton"
        aria-pressed={settings.sound}
        onClick={() => {
          const on = !settings.sound;
          if (on) unlockSound();
          props.onSettings({ ...settings, sound: on });
          if (on) setTimeout(() => chime('new'), 50);
        }}
      >
        Sound {settings.sound ? 'on' : 'off'}
      </button>
      <button type="button" className="kbutton" onClick={() => props.onPanel('settings')}>
        Settings
      </button>
      <button type="button" className="kbutton" onClick={() => props.onPanel('help')} aria-label="Keyboard shortcuts">
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
  );
}
