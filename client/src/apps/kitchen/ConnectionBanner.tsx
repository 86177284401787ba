import { connectionLabel, type SyncStatus } from '../../sync/engine.js';
import { clockTime } from '../../ui/time.js';

function minutesSince(since: number, now: number): string {
  const minutes = Math.floor((now - since) / 60_000);
  if (minutes < 1) return 'under a minute';
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Loud when the board cannot trust what it shows: red, with since when. */
export function ConnectionBanner({ status, now, waiting }: { status: SyncStatus; now: number; waiting: number }) {
  const since = status.notLiveSince;
  // A second or two of "connecting" at start is not news.
  if (since === null || now - since < 3_000) return null;
  const pollingOnly = status.online && status.events === 'unavailable';
  return (
    <div className={pollingOnly ? 'kbanner kbanner--warn' : 'kbanner kbanner--down'} role="alert">
      <strong>
        {pollingOnly ? 'Live updates are off' : 'NOT CONNECTED'}
        {status.online ? '' : ` (${connectionLabel(status).toLowerCase()})`}
      </strong>{' '}
      <span>
        since {clockTime(since)} ({minutesSince(since, now)}).{' '}
        {pollingOnly
          ? 'New tickets show up within 15 seconds.'
          : 'Reconnecting by itself. New tickets may be missing until then.'}
        {waiting > 0 ? ` ${waiting} bump${waiting === 1 ? '' : 's'} saved here, sent when the connection is back.` : ''}
      </span>
    </div>
  );
}
