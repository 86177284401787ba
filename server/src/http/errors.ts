import { headers, limits, type ErrorBody, type ErrorCode, type ErrorDetail } from '@chit/shared';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable, pgCode } from '../db/pool.js';
import type { Logger } from '../logger.js';
import { tooDeep } from './body.js';

/** What an error may carry besides its code and message. */
export interface ErrorExtra {
  details?: ErrorDetail[];
  current?: unknown;
  headers?: Record<string, string>;
}

/**
 * An error a client caused and can act on. Anything else thrown is a 500 with no details.
 * Every subclass takes its arguments in this order, less what it fixes: the stable code,
 * the message a person reads, then the extras.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: ErrorExtra = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  body(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.extra.details ? { details: this.extra.details } : {}),
        ...(this.extra.current !== undefined ? { current: this.extra.current } : {}),
      },
    };
  }
}

/** An HttpError whose status is fixed: the classes below differ only in it. */
function withStatus(status: number) {
  return class extends HttpError {
    constructor(code: ErrorCode, message: string, extra: ErrorExtra = {}) {
      super(status, code, message, extra);
    }
  };
}

export class ValidationFailed extends withStatus(400) {}
export class NotFound extends withStatus(404) {}
export class Conflict extends withStatus(409) {}
export class Unprocessable extends withStatus(422) {}

/** Always `unauthorized`, with the header that says how to authenticate. */
export class Unauthorized extends HttpError {
  constructor(message = 'Sign this device in again: its token is missing, unknown or revoked.') {
    super(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
}

/** Always `forbidden`. */
export class Forbidden extends HttpError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

/** Mounted after every route: anything no route answered. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFound('not_found', `There is no ${req.method} ${req.path}.`));
};

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = 'status' in err ? err.status : 'statusCode' in err ? err.statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Errors Express's own parts raise with a 4xx status (http-errors): the router refuses a
 * path it cannot decode (`/api/orders/%`), the static file server a conditional or range
 * request it cannot satisfy. They are the client's doing, so they keep their status and
 * get our shape, never a 500 and an error log line.
 */
function fromExpress(err: unknown): HttpError | undefined {
  if (err instanceof URIError) {
    return new ValidationFailed('validation_failed', 'The request path is not valid: it has a malformed %-escape.');
  }
  const status = statusOf(err);
  switch (status) {
    case undefined:
      return undefined;
    case 400:
      return new ValidationFailed('validation_failed', 'The request is not valid.');
    case 404:
      return new NotFound('not_found', 'There is no such file.');
    case 412:
      return new HttpError(
        412,
        'precondition_failed',
        "The file does not match the request's If-Match or If-Unmodified-Since.",
      );
    case 416: {
      // send names the file's length here (`bytes */<length>`), as RFC 9110 asks.
      const headers = (err as { headers?: Record<string, string> }).headers;
      const range = headers?.['Content-Range'];
      return new HttpError(416, 'range_not_satisfiable', 'The requested range lies outside the file.', {
        ...(range ? { headers: { 'Content-Range': range } } : {}),
      });
    }
    default:
      return status >= 400 && status < 500
        ? new HttpError(status, 'validation_failed', 'The request cannot be answered as it is.')
        : undefined;
  }
}

/**
 * PostgreSQL restarting, a connection cut or refused, a read-only standby in a failover: the
 * request may be sent again (a write with the same Idempotency-Key, which makes the retry
 * safe whether or not it went through).
 */
export class DatabaseUnavailable extends HttpError {
  constructor() {
    super(
      503,
      'database_unavailable',
      'The database cannot be reached or written to right now. Send the request again in a moment.',
      {
        headers: { [headers.retryAfter]: '1' },
      },
    );
  }
}

/** Body-parser errors carry a `type`; map the ones a client can cause to our codes. */
function fromBodyParser(err: unknown): HttpError | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return fromExpress(err);
  switch (err.type) {
    case 'entity.parse.failed':
      return new ValidationFailed('malformed_json', 'The request body is not valid JSON.');
    case tooDeep:
      return new ValidationFailed(
        'body_too_deep',
        `The request body nests deeper than ${limits.maxJsonDepth} levels of objects and arrays.`,
      );
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_media_type', 'Send the body as UTF-8 JSON.');
    default:
      return fromExpress(err);
  }
}

/** The answer `err` stands for, when it is one a client can act on (else a 500). */
export function knownError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (isDatabaseUnavailable(err)) return new DatabaseUnavailable();
  return fromBodyParser(err);
}

/**
 * The one error handler, mounted after every route (Express only calls error handlers
 * registered after the route that failed). Internals never reach the client.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = knownError(err);
    if (known instanceof DatabaseUnavailable && !(err instanceof HttpError)) {
      const message = err instanceof Error ? err.message : String(err);
      logger.warn({ code: pgCode(err), message, method: req.method, path: req.path }, 'database unavailable');
    }
    if (res.headersSent) {
      // A request that timed out gets its 503 first; its late answer has nowhere to go.
      if (res.locals.timedOut === true) {
        logger.warn({ path: req.path, method: req.method }, 'request finished after it timed out');
        return;
      }
      logger.error({ err, path: req.path }, 'error after the response started');
      res.end();
      return;
    }
    if (known) {
      // For the refusals metric (metrics/metrics.ts), which sees only the status otherwise.
      res.locals.errorCode = known.code;
      for (const [name, value] of Object.entries(known.extra.headers ?? {})) res.setHeader(name, value);
      res.status(known.status).json(known.body());
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    const body: ErrorBody = {
      error: { code: 'internal_error', message: 'Something went wrong on the server. The request can be retried.' },
    };
    res.locals.errorCode = body.error.code;
    res.status(500).json(body);
  };
}
