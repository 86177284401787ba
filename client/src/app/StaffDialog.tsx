import { useId, useState, type FormEvent } from 'react';
import { Dialog, DialogActions } from '../ui/Dialog.js';
import { useServices } from '../ui/context.js';
import { chime, unlockSound } from '../ui/sound.js';
import { useMeta } from '../db/hooks.js';
import { readyAlertDefaults, setMeta, type ReadyAlerts } from '../db/meta.js';

/**
 * Who is using this tablet: the name that goes with every order and change; and how this
 * device tells them food is ready (kept on the device, like the kitchen board's settings).
 */
export default function StaffDialog({ initial, onClose }: { initial: string; onClose: () => void }) {
  const { db, engine } = useServices();
  const [name, setName] = useState(initial);
  const saved = useMeta(db, 'readyAlerts');
  const [alerts, setAlerts] = useState<Partial<ReadyAlerts>>({});
  const shown = { ...readyAlertDefaults, ...saved, ...alerts };
  const formId = useId();
  const save = (event: FormEvent) => {
    event.preventDefault();
    void engine.setStaffName(name);
    void setMeta(db, 'readyAlerts', shown);
    onClose();
  };
  return (
    <Dialog
      title="Who is using this tablet?"
      onClose={onClose}
      actions={<DialogActions onCancel={onClose} confirmLabel="Save" form={formId} />}
    >
      <form id={formId} onSubmit={save}>
        <label className="field">
          <span>Your name (goes with every order and change)</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} autoComplete="name" />
        </label>
        <fieldset className="field">
          <legend>When food is ready (this device only)</legend>
          <label className="field field--inline">
            <input
              type="checkbox"
              checked={shown.vibrate}
              onChange={(e) => setAlerts({ ...alerts, vibrate: e.target.checked })}
            />
            <span>Vibrate (phones)</span>
          </label>
          <label className="field field--inline">
            <input
              type="checkbox"
              checked={shown.sound}
              onChange={(e) => {
                const on = e.target.checked;
                setAlerts({ ...alerts, sound: on });
                // This tap is what lets the page make sound; the chime says how it will sound.
                if (on && unlockSound()) setTimeout(() => chime('ready'), 50);
              }}
            />
            <span>Play a chime</span>
          </label>
        </fieldset>
      </form>
    </Dialog>
  );
}
