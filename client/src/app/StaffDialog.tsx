import { useState } from 'react';
import { Dialog } from '../ui/Dialog.js';
import { useServices } from '../ui/context.js';

/** Who is using this tablet: the name that goes with every order and change. */
export default function StaffDialog({ initial, onClose }: { initial: string; onClose: () => void }) {
  const { engine } = useServices();
  const [name, setName] = useState(initial);
  return (
    <Dialog
      title="Who is using this tablet?"
      onClose={onClose}
      actions={
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            void engine.setStaffName(name);
            onClose();
          }}
        >
          Save
        </button>
      }
    >
      <label className="field">
        <span>Your name (goes with every order and change)</span>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} autoComplete="name" />
      </label>
    </Dialog>
  );
}
