import { headers, limits } from '@chit/shared';
import type { RequestHandler } from 'express';
import type { Pool } from '../db/pool.js';
import { recordDeviceActivity } from '../devices/store.js';
import { deviceOf } from './auth.js';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const versionPattern = /^[\x21-\x7e][\x20-\x7e]*$/;

/**
 * For the manager's device list: counts the writes each device sends and records the app
 * version it reports in `Chit-App-Version`. A malformed version is ignored rather than
 * refused: a tablet must never lose an order over a diagnostic header.
 */
export function deviceActivity(pool: Pool): RequestHandler {
  return async (req, _res, next) => {
    const device = deviceOf(req);
    const raw = req.get(headers.appVersion)?.trim();
    const appVersion =
      raw !== undefined && raw.length <= limits.maxAppVersionLength && versionPattern.test(raw) ? raw : undefined;
    const write = writeMethods.has(req.method);
    if (write || (appVersion !== undefined && appVersion !== device.appVersion)) {
      await recordDeviceActivity(pool, device.id, { write, appVersion });
    }
    next();
  };
}
