import type { Logger } from '../logger.js';
import { backup } from './backup.js';

export interface BackupSchedule {
  databaseUrl: string;
  dir: string;
  keep: number;
  /** "HH:MM" in `timezone`. */
  at: string;
  timezone: string;
}

/** "HH:MM" of `now` in `timezone`. */
export function localTime(now: Date, timezone: string): { day: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}` };
}

/**
 * The single box's nightly backup, run by the server itself: once a day, at the first check
 * (every 30 s) at or after `at` in TIMEZONE's local time. A failed backup is logged and tried
 * again the next day; it never stops the server. With several instances, set it on one.
 * Returns a function that stops the schedule.
 */
export function scheduleBackups(schedule: BackupSchedule, logger: Logger, now = () => new Date()): () => void {
  let lastDay = localTime(now(), schedule.timezone).day;
  let running = false;
  const tick = () => {
    const local = localTime(now(), schedule.timezone);
    if (running || local.day === lastDay || local.time < schedule.at) return;
    lastDay = local.day;
    running = true;
    backup(schedule.databaseUrl, schedule.dir, { keep: schedule.keep, logger })
      .catch((err: unknown) => logger.error({ err, dir: schedule.dir }, 'the nightly backup failed'))
      .finally(() => {
        running = false;
      });
  };
  // The first day counts from now: a server started at noon does not back up at once.
  const timer = setInterval(tick, 30_000);
  timer.unref();
  return () => clearInterval(timer);
}
