/** Runs `fn` while holding a lock shared by every tab of this device (or, in tests, this process). */
export interface SendLock {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** The Web Locks API: one holder across all tabs and workers of the origin; released if the tab dies. */
export function webLock(name: string, locks: LockManager): SendLock {
  return {
    run: <T>(fn: () => Promise<T>) => locks.request(name, { mode: 'exclusive' }, fn) as Promise<T>,
  };
}

/** A promise-chain mutex, for tests and for browsers without `navigator.locks` (one tab only then). */
export function inProcessLock(): SendLock {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(fn, fn);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

export function deviceLock(name = 'chit-outbox'): SendLock {
  return typeof navigator !== 'undefined' && 'locks' in navigator ? webLock(name, navigator.locks) : inProcessLock();
}
