export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Longest Retry-After we obey; a broken proxy must not park the outbox for a day. */
  maxRetryAfterMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, capMs: 30_000, maxRetryAfterMs: 5 * 60_000 };

/**
 * Delay before retry number `failures` (1 = first retry): exponential, capped, with "equal
 * jitter" — between half and all of the exponential step — so a room of tablets coming
 * back online together does not retry in lockstep, yet never retries at once in a loop.
 */
export function backoffDelay(failures: number, random: () => number, policy: BackoffPolicy = defaultBackoff): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** `Retry-After` as seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(
  value: string | null,
  now: number,
  policy: BackoffPolicy = defaultBackoff,
): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(policy.maxRetryAfterMs, Math.max(0, ms));
}
