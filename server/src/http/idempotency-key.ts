import { createHash } from 'node:crypto';
import { headers, limits } from '@chit/shared';
import type { Request, RequestHandler } from 'express';
import { deviceOf } from './auth.js';
import { ValidationFailed } from './errors.js';
import { isWrite } from './methods.js';

// The Idempotency-Key of a write: read and checked from its header, and claimed by the
// device that sent it together with what the request was (its fingerprint).

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point
  namespace Express {
    interface Request {
      /** The write's (device, Idempotency-Key, fingerprint), once worked out. */
      idempotency?: Claim;
    }
  }
}

const keyPattern = /^[\x21-\x7e]+$/;

/** Every write must carry an Idempotency-Key: refuse it before doing any work. */
export const requireIdempotencyKey: RequestHandler = (req, _res, next) => {
  if (!isWrite(req.method)) return next();
  idempotencyKeyOf(req);
  next();
};

function idempotencyKeyOf(req: Request): string {
  const raw = req.get(headers.idempotencyKey);
  if (raw === undefined || raw.trim() === '') {
    throw new ValidationFailed(
      'idempotency_key_missing',
      `Every write needs an ${headers.idempotencyKey} header (a fresh UUID per write; the same one when retrying it).`,
    );
  }
  // The draft makes the key a quoted string; accept it quoted or bare.
  const key = raw.trim().replace(/^"(.*)"$/, '$1');
  if (key.length === 0 || key.length > limits.idempotencyKeyMaxLength || !keyPattern.test(key)) {
    throw new ValidationFailed(
      'idempotency_key_invalid',
      `${headers.idempotencyKey} must be 1 to ${limits.idempotencyKeyMaxLength} visible ASCII characters.`,
    );
  }
  return key;
}

/** What makes two requests "the same request": method, path and body. */
function fingerprint(req: Request): Buffer {
  return createHash('sha256')
    .update(`${req.method} ${req.baseUrl}${req.path}\n`)
    .update(JSON.stringify(req.body ?? null))
    .digest();
}

export interface Claim {
  deviceId: string;
  key: string;
  hash: Buffer;
}

/** The write's claim, worked out once per request. */
export function claimOf(req: Request): Claim {
  return (req.idempotency ??= { deviceId: deviceOf(req).id, key: idempotencyKeyOf(req), hash: fingerprint(req) });
}
