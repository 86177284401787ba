import { headers, limits, type Device, type Role } from '@chit/shared';
import type { Request, RequestHandler } from 'express';
import type { Actor } from '../actor.js';
import type { RateLimitConfig } from '../config.js';
import type { Pool } from '../db/pool.js';
import {
  admitWrite,
  findDeviceByToken,
  recordReport,
  touchDevice,
  type DeviceReport,
  type OutboxState,
} from '../devices/store.js';
import type { Logger } from '../logger.js';
import { Forbidden, Unauthorized } from './errors.js';
import { isWrite } from './methods.js';
import { rateLimited, retryAfterSeconds } from './rate-limit.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point
  namespace Express {
    interface Request {
      /** The device whose bearer token came with the request; set by `authenticate`. */
      device?: Device;
    }
  }
}

// HTTP auth schemes are case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are Bearer too.
const bearer = /^Bearer\s+([A-Za-z0-9_-]{16,128})\s*$/i;

const bareToken = /^[A-Za-z0-9_-]{16,128}$/;

function tokenOf(req: Request, queryParam: string | undefined): string | undefined {
  const header = req.get('authorization');
  if (header !== undefined || queryParam === undefined) return bearer.exec(header ?? '')?.[1];
  const value: unknown = req.query[queryParam];
  return typeof value === 'string' && bareToken.test(value) ? value : undefined;
}

const versionPattern = /^[\x21-\x7e][\x20-\x7e]*$/;

/**
 * The app version a device reports in `Chit-App-Version`, for the manager's device list.
 * A malformed one is ignored rather than refused: a tablet must never lose an order over
 * a diagnostic header.
 */
function appVersionOf(req: Request): string | undefined {
  const raw = req.get(headers.appVersion)?.trim();
  return raw !== undefined && raw.length <= limits.maxAppVersionLength && versionPattern.test(raw) ? raw : undefined;
}

const count = /^\d{1,9}$/;

/**
 * The outbox a device reports in `Chit-Outbox-Length` and `Chit-Outbox-Oldest-Age` (whole
 * seconds), for the manager's device list. Like the app version, malformed values are
 * ignored, never refused.
 */
function outboxOf(req: Request): OutboxState | undefined {
  const length = req.get(headers.outboxLength)?.trim();
  if (length === undefined || !count.test(length)) return undefined;
  const age = req.get(headers.outboxOldestAge)?.trim() ?? '0';
  return { length: Number(length), oldestAgeMs: count.test(age) ? Number(age) * 1000 : 0 };
}

/**
 * Whether the device's browser marked its storage persistent (`Chit-Storage-Persisted`:
 * `true` or `false`). Anything else is ignored, as the other health headers are.
 */
function storagePersistedOf(req: Request): boolean | undefined {
  const raw = req.get(headers.storagePersisted)?.trim();
  return raw === 'true' ? true : raw === 'false' ? false : undefined;
}

/** Everything a request says about its device, each part left out when absent or malformed. */
function reportOf(req: Request): DeviceReport {
  return { appVersion: appVersionOf(req), outbox: outboxOf(req), storagePersisted: storagePersistedOf(req) };
}

export interface AuthenticateOptions {
  /** Each device's write rate limit (429 with Retry-After past it). */
  writes: RateLimitConfig;
  /**
   * Also accepts the token in this query parameter, for the one route EventSource must
   * reach (it cannot send headers); the request logger redacts it.
   */
  queryParam?: string;
}

/**
 * Looks the token up on every request (no cache), so a revoked device is refused at once
 * on every instance. A write also counts towards the device's activity and rate limit, in
 * the same statement as the lookup (`admitWrite`): one round trip before the write's own.
 */
export function authenticate(pool: Pool, logger: Logger, options: AuthenticateOptions): RequestHandler {
  return async (req, _res, next) => {
    const token = tokenOf(req, options.queryParam);
    if (token === undefined) throw new Unauthorized('Send the device token as "Authorization: Bearer <token>".');
    const report = reportOf(req);
    const { appVersion, outbox, storagePersisted } = report;
    if (isWrite(req.method)) {
      const admitted = await admitWrite(pool, token, report, options.writes);
      if (!admitted) throw new Unauthorized();
      req.device = admitted.device;
      if (!admitted.allowed) {
        throw rateLimited('Too many writes from this device.', retryAfterSeconds(admitted.tokens, options.writes));
      }
      return next();
    }
    const found = await findDeviceByToken(pool, token);
    const device = found?.device;
    if (!found || !device || device.revokedAt) throw new Unauthorized();
    req.device = device;
    const newVersion = appVersion !== undefined && appVersion !== device.appVersion;
    const newStorage = storagePersisted !== undefined && storagePersisted !== found.storagePersisted;
    if (newVersion || newStorage) await recordReport(pool, device.id, report);
    const lastSeen = device.lastSeenAt ? Date.parse(device.lastSeenAt) : 0;
    // An outbox that emptied (or filled) is recorded at once: the list must not keep calling
    // a tablet stuck for a minute after its writes went through.
    const turned = outbox !== undefined && outbox.length > 0 !== found.outboxPending;
    if (turned || Date.now() - lastSeen > 60_000) {
      const touched = touchDevice(pool, device.id, outbox, turned).catch((err: unknown) =>
        logger.warn({ err }, 'could not record last-seen'),
      );
      // A turn is recorded before the answer (rare, and the console must see it as soon as the
      // tablet does); a plain last-seen is not worth holding a request for.
      if (turned) await touched;
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

/** The signed-in device of `req` with the staff name its body gave (empty when none). */
export function actorOf(req: Request, staffName: string | undefined): Actor {
  return { device: deviceOf(req), staffName: staffName ?? '' };
}
