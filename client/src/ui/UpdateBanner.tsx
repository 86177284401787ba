import { useState, useSyncExternalStore } from 'react';
import { useServices } from './context.js';

/** Shown when a new version waits; it is applied only on the waiter's tap, after any send in flight. */
export function UpdateBanner() {
  const { updates } = useServices();
  const waiting = useSyncExternalStore(updates.subscribe, updates.getSnapshot);
  const [applying, setApplying] = useState(false);
  if (!waiting) return null;
  return (
    <div className="update-banner" role="status">
      <span>Update available. Orders waiting to be sent are kept.</span>
      <button
        type="button"
        className="button button--primary"
        disabled={applying}
        onClick={() => {
          setApplying(true);
          void updates.apply().finally(() => setApplying(false));
        }}
      >
        {applying ? 'Updating…' : 'Update now'}
      </button>
    </div>
  );
}
