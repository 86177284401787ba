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

let serverOffsetMs = 0;

/**
 * Learns how far this device's clock is from the server's, from an answer's `Date` header
 * (whole seconds: good to about a second, plenty for minute timers). Ticket and item times
 * are the server's, and a kitchen TV's clock may be minutes off. An estimate within a
 * second of the current one is ignored, so the timers do not jitter.
 */
export function noteServerDate(date: string | null, sentAt: number, receivedAt: number): void {
  const server = date === null ? Number.NaN : Date.parse(date);
  if (Number.isNaN(server)) return;
  const estimate = server + 500 - (sentAt + receivedAt) / 2;
  if (Math.abs(estimate - serverOffsetMs) > 1_000) serverOffsetMs = estimate;
}

/** Add to this device's `Date.now()` to get the server's time. */
export function serverClockOffset(): number {
  return serverOffsetMs;
}

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
