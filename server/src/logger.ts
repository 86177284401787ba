import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** `destination` defaults to stdout; tests pass their own to read what would be logged. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'chit' }, redact: ['req.headers.authorization'] };
  return destination ? pino(options, destination) : pino(options);
}
