import { useState } from 'react';

/** The picker's "add one" entry; no station name can be empty. */
const newStationChoice = '';

/**
 * Which kitchen station makes the dish: one of the stations dishes already go to, so a
 * typo cannot open a station no screen shows; a new one is added on purpose, by choosing
 * "New station…" and naming it.
 */
export function StationField({
  value,
  stations,
  onChange,
}: {
  value: string;
  stations: string[];
  onChange: (station: string) => void;
}) {
  const [adding, setAdding] = useState(() => stations.length === 0);
  if (adding) {
    return (
      <div className="field manage-station">
        <label className="field">
          <span>New station</span>
          <input
            value={value}
            onChange={(e) => onChange(e.target.value)}
            required
            maxLength={40}
            placeholder="e.g. grill"
          />
        </label>
        {stations.length > 0 ? (
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              setAdding(false);
              onChange(stations[0]!);
            }}
          >
            Pick an existing station
          </button>
        ) : null}
      </div>
    );
  }
  return (
    <label className="field">
      <span>Station</span>
      <select
        value={value}
        onChange={(e) => {
          if (e.target.value === newStationChoice) {
            setAdding(true);
            onChange('');
          } else onChange(e.target.value);
        }}
      >
        {(stations.includes(value) ? stations : [value, ...stations]).map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
        <option value={newStationChoice}>New station…</option>
      </select>
    </label>
  );
}
