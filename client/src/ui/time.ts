import { useEffect, useState } from 'react';

/** The current time, re-rendering every `everyMs`, for "7 min ago" labels. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

// Screens read the server's clock from here; the API below them keeps it up to date.
export { serverClockOffset } from '../sync/server-clock.js';

export function ago(fromMs: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - fromMs) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min ago`;
}

export function minutesBetween(from: string, to: number): number {
  return Math.max(0, Math.round((to - Date.parse(from)) / 60_000));
}

export function clockTime(iso: string | number): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
