import { appVersionStatus, deviceHealth, type AppVersionStatus, type DeviceSummary } from '@chit/shared';

/*
 * The device health columns of the Devices screen: what each device last reported (its
 * outbox, its app build, its storage), in words a manager can act on.
 */

/** "4 min", "2 h 5 min": how long, for a person glancing at the list. */
export function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return `${Math.max(0, Math.floor(seconds))} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

export function unsent(device: DeviceSummary): string {
  const outbox = device.outbox;
  if (!outbox) return '—';
  if (outbox.length === 0) return 'None';
  const wait = outbox.oldestWaitSeconds === null ? '' : `, oldest ${duration(outbox.oldestWaitSeconds)}`;
  return `${outbox.length}${wait}`;
}

/** What is wrong with a device, in words; empty when nothing is. */
export function problems(device: DeviceSummary, now: Date): string[] {
  const health = deviceHealth(device, now);
  const found: string[] = [];
  if (health.writesStuck) found.push(`Writes waiting ${duration(device.outbox?.oldestWaitSeconds ?? 0)}`);
  if (health.notSeen && device.lastSeenAt) {
    found.push(`Not seen for ${duration((now.getTime() - Date.parse(device.lastSeenAt)) / 1000)}`);
  }
  return found;
}

const versionNotes: Partial<Record<AppVersionStatus, string>> = {
  older: 'older than the server’s',
  newer: 'newer than this server’s',
  different: 'not the server’s',
};

/** The version a device last reported, marked when it is not the build the server serves now. */
export function AppVersion({ device, current }: { device: DeviceSummary; current: string | null }) {
  if (device.appVersion === null) return '—';
  const note = device.revokedAt ? undefined : versionNotes[appVersionStatus(device.appVersion, current)];
  return (
    <span className="manage-version">
      {device.appVersion}
      {note ? <span className="manage-health manage-health--bad"> ({note})</span> : null}
    </span>
  );
}

/** Whether the browser keeps the device's storage: what its requests last said. */
export function StorageState({ device }: { device: DeviceSummary }) {
  if (device.storagePersisted === null) return '—';
  if (device.storagePersisted) return <span className="manage-health">Persistent</span>;
  return <span className={`manage-health${device.revokedAt ? '' : ' manage-health--warn'}`}>May be cleared</span>;
}

const list = new Intl.ListFormat('en', { type: 'conjunction' });

/**
 * What a manager can do about devices whose browser may clear their storage (and with it
 * writes not sent yet) when short of space; null when there are none.
 */
export function StorageNote({ devices }: { devices: readonly DeviceSummary[] }) {
  const names = devices.filter((d) => !d.revokedAt && d.storagePersisted === false).map((d) => d.name);
  if (names.length === 0) return null;
  return (
    // Standing advice rather than news, so not a live region (the flags above are).
    <p className="manage-health-note">
      {names.length === 1 ? `${names[0]}’s browser` : `The browsers of ${list.format(names)}`} may clear Chit’s storage
      when the device runs short of space, with any orders not sent yet. Install Chit to the home screen on{' '}
      {names.length === 1 ? 'it' : 'each'} (the browser’s menu: “Install app” or “Add to Home Screen”) and open it from
      there: its storage then shows as persistent here within a minute.
    </p>
  );
}
