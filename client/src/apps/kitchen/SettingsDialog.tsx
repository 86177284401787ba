import { useState } from 'react';
import { Dialog } from '../../ui/Dialog.js';
import { textSizes, withDefaults, type KitchenSettings } from './settings.js';

export function SettingsDialog({
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
      <label className="field">
        <span>Text size</span>
        <select
          value={draft.textSize}
          onChange={(e) => setDraft({ ...draft, textSize: Number(e.target.value) })}
          aria-describedby="textSize-hint"
        >
          {textSizes.map((size) => (
            <option key={size.value} value={size.value}>
              {size.label}
            </option>
          ))}
        </select>
        <small id="textSize-hint">Larger text fits fewer tickets on a page; the pager says where the rest are.</small>
      </label>
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
