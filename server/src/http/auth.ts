import type { Device, Role } from '@chit/shared';
import type { Request, RequestHandler } from 'express';
import type { Pool } from '../db/pool.js';
import { findDeviceByToken, touchDevice } from '../devices/store.js';
import type { Logger } from '../logger.js';
import { Forbidden, Unauthorized } from './errors.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point
  namespace Express {
    interface Request {
      /** The device whose bearer token came with the request; set by `authenticate`. */
      device?: Device;
    }
  }
}

const bearer = /^Bearer\s+([A-Za-z0-9_-]{16,128})\s*$/;

const bareToken = /^[A-Za-z0-9_-]{16,128}$/;

function tokenOf(req: Request, queryParam: string | undefined): string | undefined {
  const header = req.get('authorization');
  if (header !== undefined || queryParam === undefined) return bearer.exec(header ?? '')?.[1];
  const value: unknown = req.query[queryParam];
  return typeof value === 'string' && bareToken.test(value) ? value : undefined;
}

/**
 * Looks the token up on every request (no cache), so a revoked device is refused at once
 * on every instance. `queryParam` also accepts the token in the URL, for the one route
 * EventSource must reach (it cannot send headers); the request logger redacts it.
 */
export function authenticate(pool: Pool, logger: Logger, queryParam?: string): RequestHandler {
  return async (req, _res, next) => {
    const token = tokenOf(req, queryParam);
    if (token === undefined) throw new Unauthorized('Send the device token as "Authorization: Bearer <token>".');
    const device = await findDeviceByToken(pool, token);
    if (!device || device.revokedAt) throw new Unauthorized();
    req.device = device;
    const lastSeen = device.lastSeenAt ? Date.parse(device.lastSeenAt) : 0;
    if (Date.now() - lastSeen > 60_000) {
      touchDevice(pool, device.id).catch((err: unknown) => logger.warn({ err }, 'could not record last-seen'));
    }
    next();
  };
}

/** Lets the listed roles through; a manager may do everything. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const device = deviceOf(req);
    if (device.role !== 'manager' && !roles.includes(device.role)) {
      throw new Forbidden(`A ${device.role} device cannot do this; it needs a ${roles.join(' or ')} device.`);
    }
    next();
  };
}

export function deviceOf(req: Request): Device {
  if (!req.device) throw new Unauthorized();
  return req.device;
}
