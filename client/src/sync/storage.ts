/** The parts of the browser's `StorageManager` this needs (older browsers lack them). */
export type Persistence = Pick<StorageManager, 'persist' | 'persisted'>;

/**
 * Whether the browser keeps this device's IndexedDB (the outbox) under storage pressure, for
 * the manager's device health (`Chit-Storage-Persisted` on every request). Asks once, at
 * once, to keep it (`persist()`: Chrome grants it to an installed app without a prompt; if
 * refused, the outbox still works, just less safely), then reads the state again at most
 * every `everyMs`, since installing the app later can turn it persistent.
 *
 * The reader answers at once with what is known (null before the first answer, or where the
 * browser cannot say): a request never waits on it, and Firefox's `persist()` waits for the
 * user to answer its prompt.
 */
export function storagePersistence(
  storage: Persistence | undefined,
  now: () => number,
  everyMs = 60_000,
): () => boolean | null {
  if (typeof storage?.persist !== 'function' || typeof storage.persisted !== 'function') return () => null;
  let known: boolean | null = null;
  const learn = (answer: Promise<boolean>) =>
    void answer.then(
      (value) => (known = value),
      () => undefined,
    );
  learn(storage.persist());
  let readAt = now();
  return () => {
    if (now() - readAt >= everyMs) {
      readAt = now();
      learn(storage.persisted());
    }
    return known;
  };
}
