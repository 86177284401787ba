/** Time and randomness come in as parameters so that cook times and expiries are testable. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Returns a float in [0, 1), like Math.random. */
export type Random = () => number;
