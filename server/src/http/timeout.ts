import { headers, type ErrorBody } from '@chit/shared';
import type { Request, RequestHandler } from 'express';

/**
 * Answers 503 `request_timeout` when a request has had no answer after `ms` (a stuck lock,
 * an overloaded database), so a tablet is not left waiting on a socket. The work may still
 * finish afterwards; a write retried with the same Idempotency-Key then gets its stored
 * answer, so the tablet can always find out. Long-lived streams are exempt.
 */
export function requestTimeout(ms: number, exempt: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    if (exempt(req)) return next();
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.locals.timedOut = true;
      res.locals.errorCode = 'request_timeout';
      const body: ErrorBody = {
        error: {
          code: 'request_timeout',
          message: `The server did not answer within ${ms / 1000} s. Retry the request (a write with the same Idempotency-Key).`,
        },
      };
      res.setHeader(headers.retryAfter, '1');
      res.setHeader('Cache-Control', 'no-store');
      res.status(503).json(body);
    }, ms);
    res.once('close', () => clearTimeout(timer));
    res.once('finish', () => clearTimeout(timer));
    next();
  };
}
