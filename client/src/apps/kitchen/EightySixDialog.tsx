import { useMemo, useState } from 'react';
import { useMenu } from '../../db/hooks.js';
import { useServices } from '../../ui/context.js';
import { Dialog } from '../../ui/Dialog.js';
import { eightySixGroups } from './eightySix.js';
import './EightySixDialog.css';

/**
 * 86 a dish, or bring it back: what is 86'd first, then every dish of the station (or of
 * every station, one group each), by name; a search narrows both.
 */
export function EightySixDialog({ station, onClose }: { station: string | null; onClose: () => void }) {
  const { db, engine } = useServices();
  const menu = useMenu(db);
  const [query, setQuery] = useState('');
  const { off, stations } = useMemo(
    () => eightySixGroups(menu?.items ?? [], { station, query }),
    [menu, station, query],
  );
  const row = (dish: { id: string; name: string; station: string; available: boolean }) => (
    <li key={dish.id} className={dish.available ? 'k86__dish' : 'k86__dish k86__dish--off'}>
      <span>
        {dish.name}
        {station === null && !dish.available ? <small> ({dish.station})</small> : null}
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
  );
  return (
    <Dialog title="86 a dish" onClose={onClose} wide>
      <p>An 86’d dish cannot be ordered on any tablet until it is back.</p>
      <label className="field k86__search">
        <span>Search dishes</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </label>
      <section aria-labelledby="k86-off">
        <h3 id="k86-off">86’d now</h3>
        {off.length === 0 ? (
          <p>Nothing{query ? ' that matches' : ''} is 86’d.</p>
        ) : (
          <ul className="k86">{off.map(row)}</ul>
        )}
      </section>
      {stations.map((group) => (
        <section key={group.station} aria-labelledby={`k86-${group.station}`}>
          <h3 id={`k86-${group.station}`}>{group.station}</h3>
          <ul className="k86">{group.dishes.map(row)}</ul>
        </section>
      ))}
      {stations.length === 0 && query ? <p>No dish on the menu matches “{query}”.</p> : null}
    </Dialog>
  );
}
