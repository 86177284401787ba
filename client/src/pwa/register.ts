import type { Workbox } from 'workbox-window';
import type { SendLock } from '../sync/lock.js';

/** "Update available" state for the banner, as a tiny external store. */
export interface UpdateStore {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => boolean;
  /** Applies the waiting version: waits for any send in flight (in any tab) to finish first. */
  apply: () => Promise<void>;
}

const noUpdates: UpdateStore = {
  subscribe: () => () => undefined,
  getSnapshot: () => false,
  apply: () => Promise.resolve(),
};

export function registerServiceWorker(lock: SendLock): UpdateStore {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return noUpdates;
  let wb: Workbox | null = null;
  let waiting = false;
  const listeners = new Set<() => void>();
  const set = (value: boolean) => {
    waiting = value;
    for (const listener of listeners) listener();
  };
  // Not needed for the first paint: loaded after it.
  void import('workbox-window').then(async ({ Workbox }) => {
    const workbox = new Workbox('/sw.js', { scope: '/' });
    wb = workbox;
    workbox.addEventListener('waiting', () => set(true));
    const registration = await workbox.register();
    // Tablets stay open for days: look for a new version every hour, not only at start.
    if (registration) setInterval(() => void registration.update(), 60 * 60_000);
  });

  return {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => waiting,
    apply: async () => {
      // Holding the send lock, no tab can be mid-request when the page reloads; the outbox
      // itself lives in IndexedDB, which an update does not touch.
      const workbox = wb;
      if (!workbox) return;
      await lock.run(
        () =>
          new Promise<void>((resolve) => {
            workbox.addEventListener('controlling', () => window.location.reload());
            workbox.messageSkipWaiting();
            // If the new worker never takes over, give the lock back rather than stall sending.
            setTimeout(resolve, 10_000);
          }),
      );
    },
  };
}
