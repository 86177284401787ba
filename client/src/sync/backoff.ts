import type { deferEntry } from '../db/outbox.js';
import type { OutboxEntry } from '../db/schema.js';
import type { ApiResult } from './api.js';

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Longest Retry-After we obey; a broken proxy must not park the outbox for a day. */
  maxRetryAfterMs: number;
  /**
   * `equal`: between half and all of the exponential step; `full`: anywhere between 0 and
   * all of it (the least synchronised retries for the least total wait).
   */
  jitter: 'equal' | 'full';
}

/** The event stream's reconnection (the probe below brings it back sooner when writes wait). */
export const defaultBackoff: BackoffPolicy = {
  baseMs: 1000,
  capMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
  jitter: 'equal',
};

/**
 * A write the server answered with a 5xx it did not call temporary (500, 501, …), or with
 * 408/429/409 in-flight: retried soon, so that a passing fault costs seconds and a write
 * that fails every time is found out (and set aside, see `stuckAfter`) within seconds too.
 * A room of tablets cannot stampede with it: each device sends one request at a time, and
 * `Retry-After` is a floor.
 */
export const writeBackoff: BackoffPolicy = { baseMs: 500, capMs: 2_000, maxRetryAfterMs: 5 * 60_000, jitter: 'full' };

/**
 * The cheap probe (`GET /api/health`) while the server does not answer (no answer, 502,
 * 503, 504) and writes wait: full jitter up to 1.5 s, so the first write goes out about
 * 0.75 s (median) after the server is back and thirty tablets spread over 1.5 s.
 */
export const probeBackoff: BackoffPolicy = { baseMs: 250, capMs: 1_500, maxRetryAfterMs: 5 * 60_000, jitter: 'full' };

/** A stuck write (see `stuckAfter`) is tried again this often, give or take half. */
export const stuckRetryMs = 30_000;

/**
 * A write answered with a server error (5xx other than 502/503/504) this many times, or
 * for this long, is stuck: shown as such, stepped over by writes of other orders, and
 * retried every `stuckRetryMs`.
 */
export const stuckAfter = { answers: 10, ms: 2 * 60_000 };

/**
 * Delay before retry number `failures` (1 = first retry): exponential, capped, jittered
 * (see `BackoffPolicy.jitter`) so a room of tablets coming back together does not retry in
 * lockstep. A floor of 50 ms keeps a loop from spinning.
 */
export function backoffDelay(failures: number, random: () => number, policy: BackoffPolicy = defaultBackoff): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  const low = policy.jitter === 'equal' ? exp / 2 : 0;
  return Math.max(50, Math.round(low + (exp - low) * random()));
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

/** 502, 503, 504, or no answer at all: the server is not there for now, whatever was asked. */
export function serverAway(result: { kind: string; status?: number }): boolean {
  return result.kind === 'network' || (result.status !== undefined && result.status >= 502 && result.status <= 504);
}

/** When a write the server did not take goes again, and what its answer counts for. */
export function retryOf(
  entry: Pick<OutboxEntry, 'failures' | 'serverErrors' | 'firstServerErrorAt' | 'stuckSince'>,
  result: Exclude<ApiResult<unknown>, { kind: 'ok' }>,
  at: { now: number; away: boolean; random: () => number; policies: { write: BackoffPolicy; probe: BackoffPolicy } },
): Parameters<typeof deferEntry>[2] {
  const { now, away, random, policies } = at;
  const retryAfter = result.kind === 'http' ? parseRetryAfter(result.retryAfter, now, policies.write) : null;
  // Away: the probe decides when to try again; a fresh chance may go at once.
  let wait = backoffDelay(entry.failures + 1, random, away ? policies.probe : policies.write);
  // A 5xx that is not "come back later": this write may be what fails. Counted, and once it
  // fails over and over it is set aside (see claimNext), retried slowly.
  let serverErrors: { count: number; since: number | null; stuckSince: number | null } | undefined;
  if (result.kind === 'http' && result.status >= 500 && !away) {
    const count = (entry.serverErrors ?? 0) + 1;
    const since = entry.firstServerErrorAt ?? now;
    const stuckSince = entry.stuckSince ?? (count >= stuckAfter.answers || now - since >= stuckAfter.ms ? now : null);
    serverErrors = { count, since, stuckSince };
  }
  if ((serverErrors?.stuckSince ?? entry.stuckSince) != null) {
    wait = Math.round(stuckRetryMs / 2 + (stuckRetryMs / 2) * random());
  }
  return {
    nextAttemptAt: now + Math.max(wait, retryAfter ?? 0),
    notBefore: retryAfter === null ? 0 : now + retryAfter,
    error: result.kind === 'http' ? result.error : { status: 0, code: 'network', message: result.message },
    ...(serverErrors ? { serverErrors } : {}),
  };
}
