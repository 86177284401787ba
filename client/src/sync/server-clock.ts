/*
 * How far this device's clock is from the server's. The API learns it from every answer;
 * screens add it to `Date.now()` to time tickets on the server's clock. It lives in sync/
 * (not ui/) because the API, below the screens, is what feeds it.
 */

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
