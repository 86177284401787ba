import type { Seen } from './mutations/define.js';
import type { ChitDb, Session } from './schema.js';
import type { KitchenSettings, LastBump } from './kitchen-meta.js';

/** The keys of the meta store and what each holds. */
export interface MetaValues {
  session: Session;
  staffName: string;
  deviceName: string;
  /** ms since epoch of the last request the server answered with success. */
  lastSyncAt: number;
  /** The SSE position to resume from. */
  lastEventId: number;
  /** Why the device was sent back to pairing (e.g. token revoked); cleared when paired again. */
  signedOutReason: string;
  /** The kitchen board's settings on this device. */
  kitchenSettings: KitchenSettings;
  /** The kitchen's last bump, for Recall. */
  kitchenLastBump: LastBump;
  /** The last kitchen write the server refused, shown on the board. */
  kitchenNotice: { message: string; at: number };
  /** Voided-after-cooking alerts the kitchen has acknowledged (item ids). */
  kitchenDismissed: string[];
  /** How this device tells its waiter food is ready, besides the header (`readyAlertDefaults`). */
  readyAlerts: ReadyAlerts;
}

/** The waiter's ready alerts on this device. */
export interface ReadyAlerts {
  /** Buzz (phones; tablets have no vibration). */
  vibrate: boolean;
  /** A short chime (ui/sound.ts). */
  sound: boolean;
}

/** Buzzing as before this was a setting; sound only for who turns it on. */
export const readyAlertDefaults: ReadyAlerts = { vibrate: true, sound: false };

export async function getMeta<K extends keyof MetaValues>(db: ChitDb, key: K): Promise<MetaValues[K] | undefined> {
  const row = await db.meta.get(key);
  return row?.value as MetaValues[K] | undefined;
}

export async function setMeta<K extends keyof MetaValues>(db: ChitDb, key: K, value: MetaValues[K]): Promise<void> {
  await db.meta.put({ key, value });
}

export async function deleteMeta(db: ChitDb, key: keyof MetaValues): Promise<void> {
  await db.meta.delete(key);
}

/** A 401 drops the token only: the outbox, orders and names stay for when the device is paired again. */
export async function signOut(db: ChitDb, reason: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    await db.meta.delete('session');
    await db.meta.put({ key: 'signedOutReason', value: reason });
  });
}

export async function saveSession(db: ChitDb, session: Session): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: 'session', value: session });
    await db.meta.put({ key: 'deviceName', value: session.device.name });
    await db.meta.delete('signedOutReason');
  });
}

/** Who this device is, for merges (`mine`), and when it saw what it merges (its clock). */
export async function seenBy(db: ChitDb, now: number): Promise<Seen> {
  return { myDeviceId: (await getMeta(db, 'session'))?.device.id ?? null, now };
}
